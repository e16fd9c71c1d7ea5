//! A small widget service whose every failure is one `ApiError` enum: validation, a
//! rate limit that answers 429 with `Retry-After`, a masked internal error, and axum's
//! own rejections in the same envelope.
//!
//! ```text
//! cargo run --example server                    # a free port on 127.0.0.1
//! cargo run --example server -- 127.0.0.1:3000  # a fixed address
//! ```
//!
//! It prints its address and serves until Ctrl-C; error logs go to stderr. Creating
//! widgets is limited to 4 attempts a minute. Try:
//!
//! ```text
//! curl -i 'localhost:3000/widgets?limit=lots'
//! curl -i localhost:3000/widgets -H 'content-type: application/json' -d '{"name":"bolt","size":2}'
//! curl -i localhost:3000/widgets -H 'content-type: application/json' -d '{"name":"","size":99}'
//! curl -i localhost:3000/widgets/42 -H 'x-request-id: support-ticket-7'
//! curl -i localhost:3000/health
//! curl -i -X DELETE localhost:3000/widgets
//! curl -s localhost:3000/openapi.json
//! ```
//!
//! `/openapi.json` is the service's OpenAPI 3.1 document: every operation lists
//! `AppError`'s responses, written by its derive (feature `utoipa`).

use std::net::SocketAddr;

use apierror_examples::widgets::app;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let address = std::env::args()
        .nth(1)
        .map_or(Ok(SocketAddr::from(([127, 0, 0, 1], 0))), |arg| arg.parse())
        .map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(address).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app())
        .with_graceful_shutdown(async {
            // If Ctrl-C cannot be listened for, serve until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
}
