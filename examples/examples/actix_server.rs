//! An actix-web service whose every failure is one `ApiError` enum: a handler's errors,
//! actix-web's extractor errors, a masked internal error and a panicking handler, each in
//! the same `nested` envelope with the request's id and a timestamp.
//!
//! ```text
//! cargo run --example actix_server                  # serves, sends a few requests, prints them
//! cargo run --example actix_server -- 127.0.0.1:3000  # serves until Ctrl-C
//! ```

use std::io::{Read, Write};
use std::net::TcpListener;

use actix_web::{App, HttpServer, web};
use apierror::actix_web::{CatchPanic, RequestContext, RequestId};
use apierror::server::{FromRejection, Rejection, RejectionKind};
use apierror::{ApiError, FieldErrors};
use serde::Deserialize;

/// Every error the service answers with.
#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
enum AppError {
    /// No widget with that id.
    #[error("no such widget")]
    #[status(404)]
    NotFound,

    /// The body is larger than the service reads.
    #[error("the request body is too large")]
    #[status(413)]
    TooLarge,

    /// The request's fields, and what is wrong with each.
    #[error("validation failed")]
    #[status(422)]
    ValidationError {
        /// Messages per field.
        #[api_error(details)]
        fields: FieldErrors,
    },

    /// A bug or an outage on our side: the details go to the log only.
    #[error("storage unreachable: {0}")]
    #[status(500)]
    Internal(#[source] std::io::Error),
}

/// actix-web's extractor errors, in the application's words.
impl FromRejection for AppError {
    fn from_rejection(rejection: Rejection) -> Self {
        match rejection.kind() {
            RejectionKind::BodyTooLarge => AppError::TooLarge,
            RejectionKind::ServerMisconfigured => {
                AppError::Internal(std::io::Error::other(rejection.to_string()))
            }
            _ => AppError::ValidationError {
                fields: rejection.into_fields(),
            },
        }
    }
}

#[derive(Deserialize)]
struct NewWidget {
    name: String,
}

async fn create(widget: web::Json<NewWidget>, id: RequestId) -> Result<String, AppError> {
    if widget.name.is_empty() {
        let fields = FieldErrors::new().with_field("name", "must not be empty");
        return Err(AppError::ValidationError { fields });
    }
    Ok(format!("created {} (request {id})", widget.name))
}

async fn show(id: web::Path<u32>) -> Result<String, AppError> {
    match *id {
        1 => Ok("widget 1".to_owned()),
        7 => Err(AppError::Internal(std::io::Error::other(
            "connect to postgres://widgets:s3cr3t@10.0.0.7:5432 refused",
        ))),
        _ => Err(AppError::NotFound),
    }
}

async fn panics() -> &'static str {
    panic!("an invariant broke")
}

fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let fixed = std::env::args().nth(1);
    let listener = TcpListener::bind(fixed.as_deref().unwrap_or("127.0.0.1:0"))?;
    let address = listener.local_addr()?;
    println!("listening on http://{address}");
    let server = HttpServer::new(|| {
        App::new()
            .configure(apierror::actix_web::extractors::<AppError>)
            .app_data(apierror::actix_web::json_config::<AppError>().limit(1024))
            .route("/widgets", web::post().to(create))
            .route("/widgets/{id}", web::get().to(show))
            .route("/panics", web::get().to(panics))
            .wrap(CatchPanic::new(|| {
                AppError::Internal(std::io::Error::other("a handler panicked"))
            }))
            .wrap(RequestContext::new())
    })
    .workers(1)
    .listen(listener)?
    .run();
    if fixed.is_some() {
        return actix_web::rt::System::new().block_on(server);
    }
    let handle = server.handle();
    let serving = std::thread::spawn(move || actix_web::rt::System::new().block_on(server));
    for (request, body) in [
        ("GET /widgets/42", ""),
        ("GET /widgets/abc", ""),
        ("POST /widgets", r#"{"name":""}"#),
        ("POST /widgets", r#"{"label":"bolt"}"#),
        ("GET /widgets/7", ""),
        ("GET /panics", ""),
    ] {
        println!("\n$ {request} {body}");
        println!("{}", exchange(address, request, body)?);
    }
    actix_web::rt::System::new().block_on(handle.stop(true));
    serving
        .join()
        .map_err(|_| std::io::Error::other("the server panicked"))?
}

/// Sends one HTTP/1.1 request and returns the response as text, without its `date`.
fn exchange(address: std::net::SocketAddr, request: &str, body: &str) -> std::io::Result<String> {
    let mut stream = std::net::TcpStream::connect(address)?;
    write!(
        stream,
        "{request} HTTP/1.1\r\nhost: localhost\r\nx-request-id: demo-{}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        request.len() + body.len(),
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response
        .lines()
        .filter(|line| !line.starts_with("date:"))
        .collect::<Vec<_>>()
        .join("\n"))
}
