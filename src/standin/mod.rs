//! Local HTTP servers that speak the protocols of the services this shop talks to, for tests,
//! benchmarks and the load generator: they record every call and can be told to fail. A
//! simulated customer (`shopper`) and the load generator (`load`) drive them.

pub mod load;
pub mod pakasir;
pub mod shopper;
pub mod telegram;

use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use salvo::conn::tcp::TcpAcceptor;
use salvo::prelude::*;

/// A listener on a free local port, and its address.
async fn listen() -> std::io::Result<(TcpAcceptor, SocketAddr)> {
    let acceptor = TcpListener::new("127.0.0.1:0")
        .try_bind()
        .await
        .map_err(std::io::Error::other)?;
    let addr = acceptor.local_addr()?;
    Ok((acceptor, addr))
}

/// Answer every path on `acceptor` with `endpoint`, in the background.
fn serve(acceptor: TcpAcceptor, endpoint: impl Handler) {
    let router = Router::with_path("{**rest}").goal(endpoint);
    tokio::spawn(Server::new(acceptor).serve(router));
}

/// A stand-in's state, even after a panic elsewhere held its lock (a test's panic must not
/// hide what the stand-in saw).
fn locked<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
