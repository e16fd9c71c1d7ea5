//! A declared format through a real reqwest client against a loopback server: Slack's
//! errors come with HTTP 200, and the client helpers tell them from successes by the
//! declared `"ok":false`.

use apierror::reqwest::{ClientError, ResponseExt};
use apierror_examples::vendors::slack::SlackError;
use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;

/// Serves Slack-like answers on 127.0.0.1: `/history` succeeds, `/missing` and `/auth`
/// are errors sent with 200, `/limited` a 429 with `Retry-After`.
async fn serve() -> String {
    let routes = Router::new()
        .route("/history", get(|| async { r#"{"ok":true,"messages":[]}"# }))
        .route(
            "/missing",
            get(|| async { r#"{"ok":false,"error":"channel_not_found"}"# }),
        )
        .route(
            "/auth",
            get(|| async { r#"{"error":"invalid_auth","ok":false}"# }),
        )
        .route(
            "/limited",
            get(|| async {
                (
                    http::StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", "30")],
                    r#"{"ok":false,"error":"ratelimited"}"#,
                )
            }),
        );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, routes).await });
    format!("http://{address}")
}

#[tokio::test]
async fn one_call_gives_a_typed_success_or_a_typed_error() {
    let base = serve().await;
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{base}{path}")).send();

    let history: serde_json::Value = get("/history")
        .await
        .unwrap()
        .api_json::<_, SlackError>()
        .await
        .unwrap();
    assert_eq!(history["ok"], true);

    for (path, expected) in [("/missing", "channel_not_found"), ("/auth", "invalid_auth")] {
        let error = get(path)
            .await
            .unwrap()
            .api_json::<serde_json::Value, SlackError>()
            .await
            .unwrap_err();
        let ClientError::Api(decoded) = error else {
            panic!("{path}: {error:?}")
        };
        assert_eq!(apierror::ApiError::code(&decoded.error), expected);
        assert_eq!(decoded.meta.status, 200);
    }

    let limited = get("/limited")
        .await
        .unwrap()
        .api_error::<SlackError>()
        .await
        .unwrap_err();
    let ClientError::Api(decoded) = limited else {
        panic!("{limited:?}")
    };
    assert!(
        matches!(decoded.error, SlackError::Ratelimited { retry_after } if retry_after.as_secs() == 30)
    );
}

#[tokio::test]
async fn check_hands_a_success_back_with_its_body() {
    let base = serve().await;
    let client = reqwest::Client::new();
    let response = client.get(format!("{base}/history")).send().await.unwrap();
    let response = response.api_error::<SlackError>().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(
        response.text().await.unwrap(),
        r#"{"ok":true,"messages":[]}"#
    );

    let response = client.get(format!("{base}/missing")).send().await.unwrap();
    let error = response.api_error::<SlackError>().await.unwrap_err();
    assert!(
        matches!(error, ClientError::Api(ref d) if matches!(d.error, SlackError::ChannelNotFound)),
        "{error:?}"
    );
}
