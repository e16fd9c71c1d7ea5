//! Helpers the behaviour tests share.

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use http::StatusCode;

/// Polls a future whose waits are all `ManualSleep`s (ready at once) to its end.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// One scripted answer of a [`Stub`]: status, headers, body.
pub(crate) type Answer<B> = (u16, Vec<(&'static str, &'static str)>, B);

/// What a [`Stub`] saw of each request: its method and `Idempotency-Key`.
pub(crate) type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A loopback server answering a script, for the clients' tests.
pub(crate) struct Stub {
    pub(crate) url: String,
    pub(crate) seen: Seen,
}

impl Stub {
    /// How many requests arrived.
    pub(crate) fn arrivals(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// Serves `answers` in order on 127.0.0.1, each after `delay`, then 200 `["a"]`, on
    /// the current tokio runtime.
    pub(crate) async fn serve<B: Into<String> + Send + 'static>(
        answers: Vec<Answer<B>>,
        delay: Duration,
    ) -> Stub {
        let (routes, seen) = scripted(answers, delay);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, routes).await });
        Stub {
            url: format!("http://{address}"),
            seen,
        }
    }

    /// [`serve`](Self::serve), at once, from a runtime on a thread of its own: for a
    /// test thread that blocks in its client.
    pub(crate) fn serve_blocking<B: Into<String> + Send + 'static>(
        answers: Vec<Answer<B>>,
    ) -> Stub {
        let (routes, seen) = scripted(answers, Duration::ZERO);
        let (sender, address) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                sender.send(listener.local_addr().unwrap()).unwrap();
                axum::serve(listener, routes).await.unwrap();
            });
        });
        Stub {
            url: format!("http://{}", address.recv().unwrap()),
            seen,
        }
    }
}

/// The router of a [`Stub`], and what it will see.
fn scripted<B: Into<String> + Send + 'static>(
    answers: Vec<Answer<B>>,
    delay: Duration,
) -> (Router, Seen) {
    let script = Arc::new(Mutex::new(answers.into_iter()));
    let seen: Seen = Arc::default();
    let noted = Arc::clone(&seen);
    let routes = Router::new().fallback(move |request: Request| {
        let (noted, script) = (Arc::clone(&noted), Arc::clone(&script));
        async move {
            let key = request
                .headers()
                .get("idempotency-key")
                .map(|k| k.to_str().unwrap().to_owned());
            noted
                .lock()
                .unwrap()
                .push((request.method().to_string(), key));
            tokio::time::sleep(delay).await;
            let next = script.lock().unwrap().next();
            let (status, headers, body) = match next {
                Some((status, headers, body)) => (status, headers, body.into()),
                None => (200, Vec::new(), r#"["a"]"#.to_owned()),
            };
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = StatusCode::from_u16(status).unwrap();
            for (name, value) in headers {
                response.headers_mut().insert(name, value.parse().unwrap());
            }
            response
        }
    });
    (routes, seen)
}
