//! The server example's OpenAPI document against the server itself: every error it
//! answers, over a real loopback connection, is documented for its operation and
//! matches the documented schema and headers; and the README shows the document as it is.

use serde_json::Value;

use super::openapi::conforms;

/// Serves the widget service on a free loopback port.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, apierror_examples::widgets::app())
            .await
            .unwrap();
    });
    format!("http://{address}")
}

/// `GET /openapi.json`.
async fn fetch_document(base: &str) -> Value {
    let response = reqwest::get(format!("{base}/openapi.json")).await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

/// The README's JSON block that follows `marker`.
fn readme_json_after(marker: &str) -> Value {
    let readme = include_str!("../../README.md");
    let after = &readme[readme.find(marker).expect("marker in README")..];
    let start = after.find("```json\n").unwrap() + "```json\n".len();
    let end = start + after[start..].find("```").unwrap();
    serde_json::from_str(&after[start..end]).unwrap()
}

/// One request and the operation that documents its answer.
struct Probe {
    method: reqwest::Method,
    path: &'static str,
    operation: (&'static str, &'static str),
    body: Option<&'static str>,
    expect: u16,
}

fn probes() -> Vec<Probe> {
    use reqwest::Method;
    let get = |path, operation, expect| Probe {
        method: Method::GET,
        path,
        operation,
        body: None,
        expect,
    };
    let post = |body, expect| Probe {
        method: Method::POST,
        path: "/widgets",
        operation: ("/widgets", "post"),
        body: Some(body),
        expect,
    };
    let mut probes = vec![
        get("/widgets/999", ("/widgets/{id}", "get"), 404),
        get("/widgets/abc", ("/widgets/{id}", "get"), 422),
        get("/widgets?limit=0", ("/widgets", "get"), 422),
        get("/widgets?limit=lots", ("/widgets", "get"), 422),
        get("/widgets", ("/widgets", "get"), 422),
        get("/health", ("/health", "get"), 500),
        Probe {
            method: Method::DELETE,
            path: "/widgets",
            operation: ("/widgets", "get"),
            body: None,
            expect: 405,
        },
        post(r#"{"name":"","size":99}"#, 422),
        post(r#"{"name":"bolt""#, 422),
        post(r#"{"name":"bolt","size":"big"}"#, 422),
    ];
    // The quota is 4 POSTs a minute, counted before the body is read: three failed
    // validation above, the fourth creates, the fifth is throttled with Retry-After.
    probes.push(post(r#"{"name":"bolt","size":2}"#, 201));
    probes.push(post(r#"{"name":"bolt","size":2}"#, 429));
    probes
}

#[tokio::test]
async fn every_error_the_server_answers_is_documented_and_fits_its_schema() {
    let base = serve().await;
    let client = reqwest::Client::new();
    let document = fetch_document(&base).await;
    assert_eq!(document["openapi"], "3.1.0");
    for probe in probes() {
        let mut request = client.request(probe.method.clone(), format!("{base}{}", probe.path));
        if let Some(body) = probe.body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let what = format!("{} {} -> {status}", probe.method, probe.path);
        assert_eq!(status, probe.expect, "{what}");
        let (path, method) = probe.operation;
        let documented = &document["paths"][path][method]["responses"][status.to_string()];
        assert!(documented.is_object(), "{what} is not documented");
        if status < 400 {
            continue;
        }
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let media = &documented["content"][&content_type];
        assert!(
            media.is_object(),
            "{what}: {content_type} is not documented"
        );
        for (header, _) in documented["headers"].as_object().into_iter().flatten() {
            let value = response.headers().get(header.as_str());
            let seconds: u64 = value.unwrap().to_str().unwrap().parse().unwrap();
            assert!(seconds <= 60, "{what}: {header}: {seconds}");
        }
        let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        if let Err(why) = conforms(&body, &media["schema"]) {
            panic!("{what}: {body} does not fit its schema: {why}");
        }
    }
}

#[tokio::test]
async fn the_readme_shows_the_documented_429_as_it_is() {
    let base = serve().await;
    let document = fetch_document(&base).await;
    assert_eq!(
        document["paths"]["/widgets"]["post"]["responses"]["429"],
        readme_json_after("the 429 response is:")
    );
}
