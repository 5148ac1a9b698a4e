//! A TCP accept loop on `127.0.0.1:<ephemeral>` that handles each
//! connection in its own thread and stops when dropped; the common base
//! of the static server and the trap proxy.
//!
//! Hand-written on `std::net` on purpose: tiny_http 0.12's connection
//! pool starves concurrent keep-alive connections. With 8 simultaneous
//! keep-alive clients, typically only 4 got an answer (19 of 20 rounds
//! in a probe); Chromium fetching the quiz's card shards in parallel hit
//! this, and the page waited forever for a request the server never read.

use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

#[derive(Debug)]
pub struct AcceptLoop {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl AcceptLoop {
    pub fn start(handler: impl Fn(TcpStream) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let handler = Arc::new(handler);
        let thread = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        let handler = Arc::clone(&handler);
                        std::thread::spawn(move || handler(stream));
                    }
                }
            })
        };
        AcceptLoop {
            port,
            stop,
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for AcceptLoop {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept so the loop sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
