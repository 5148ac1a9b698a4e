//! An HTTP/1.1 server on `127.0.0.1:<ephemeral>`, built on hyper; the
//! common base of the static server and the trap proxy, which only say
//! how to answer a request ([`Handler`]).
//!
//! A current-thread tokio runtime runs in a background thread and every
//! connection is a task on it, so many connections are served at once,
//! keep-alive ones included: Chromium fetches the quiz's card shards in
//! parallel. Dropping the server stops the runtime, which closes the
//! listening socket and every connection still open.
//!
//! Before hyper this was a hand-written `std::net` loop, and before that
//! tiny_http, whose 0.12 connection pool starved concurrent keep-alive
//! connections: with 8 simultaneous keep-alive clients typically only 4
//! got an answer, and the page waited forever for a card shard the server
//! never read. The `server` module's `answers_many_open_connections_at_once`
//! test keeps that case covered.

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// What a server does with what arrives.
pub trait Handler: Send + Sync + 'static {
    /// The answer to one request (request bodies are never read). Runs on
    /// the server's only thread, so it should be quick: reading a small
    /// file is fine.
    fn respond(&self, request: &Request<Incoming>) -> Response<Full<Bytes>>;

    /// A connection closed before any request reached [`Handler::respond`]:
    /// it sent nothing before closing or before the header timeout, or
    /// nothing hyper could parse (hyper answers that with a 400 itself).
    fn unanswered_connection(&self) {}
}

/// A running server; it stops when dropped.
#[derive(Debug)]
pub struct HttpServer {
    port: u16,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Serves `handler` on a fresh loopback port. A connection that has
    /// not sent a whole request head within `header_timeout` is closed.
    pub fn start(handler: impl Handler, header_timeout: Duration) -> Self {
        // Bound here, not in the thread, so the port is known (and
        // connectable) as soon as `start` returns.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .expect("a tokio runtime for the server");
        let (stop, stopped) = oneshot::channel::<()>();
        let handler = Arc::new(handler);
        let thread = std::thread::Builder::new()
            .name(format!("http-127.0.0.1:{port}"))
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("a tokio listener");
                    tokio::select! {
                        () = accept(listener, handler, header_timeout) => {}
                        _ = stopped => {}
                    }
                });
                // Dropping `runtime` here cancels the connection tasks,
                // closing their sockets.
            })
            .expect("spawn the server thread");
        HttpServer {
            port,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept<H: Handler>(listener: TcpListener, handler: Arc<H>, header_timeout: Duration) {
    loop {
        if let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, Arc::clone(&handler), header_timeout));
        }
    }
}

/// One connection, until the client or a `Connection: close` ends it.
async fn serve<H: Handler>(stream: TcpStream, handler: Arc<H>, header_timeout: Duration) {
    let answered = Arc::new(AtomicBool::new(false));
    let service = {
        let (handler, answered) = (Arc::clone(&handler), Arc::clone(&answered));
        service_fn(move |request| {
            answered.store(true, Ordering::SeqCst);
            let response = handler.respond(&request);
            async move { Ok::<_, Infallible>(response) }
        })
    };
    // Errors are the client going away or a timeout; nothing to report.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        // `Content-Type`, not `content-type`, as most servers write it.
        .title_case_headers(true)
        // Only the headers the handler chose (and the body's length).
        .auto_date_header(false)
        .serve_connection(TokioIo::new(stream), service)
        .await;
    if !answered.load(Ordering::SeqCst) {
        handler.unanswered_connection();
    }
}
