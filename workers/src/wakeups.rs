//! LISTEN/NOTIFY wake-ups with one database connection per process; the same connection
//! hears the changes of cached settings and texts ([`crate::cache`]).
//!
//! The insert trigger (migration 0013, on apalis's channel) sends `apalis::job::insert` with
//! the queue's name, once per queue per inserting statement. One listener per process fans
//! the notices out, and each queue's stream yields when its queue is named, once
//! for all the notices that queued up while its loop was busy. A burst larger than the channel just
//! wakes everyone: a wake-up is only a hint to fetch, and the
//! poll interval catches anything missed while reconnecting.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use futures::Stream;
use futures::stream::BoxStream;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::cache;

const CHANNEL: &str = "apalis::job::insert";
const CAPACITY: usize = 1024;

#[derive(Clone)]
pub struct Wakeups {
    sender: broadcast::Sender<Arc<str>>,
}

impl Wakeups {
    /// Start the process's listener; it reconnects by itself until `shutdown`.
    pub fn start(pool: PgPool, shutdown: CancellationToken) -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        tokio::spawn(listen(pool, sender.clone(), shutdown));
        Wakeups { sender }
    }

    /// A stream that yields whenever a job may be ready on `queue`.
    pub fn for_queue(&self, queue: &'static str) -> QueueWakeups {
        let receiver = self.sender.subscribe();
        let stream = futures::stream::unfold(receiver, move |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(named) if &*named == queue => break,
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(_)) => break,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
            // Notices that queued up meanwhile ask for the same fetch: one wake-up for all.
            while !matches!(
                receiver.try_recv(),
                Err(broadcast::error::TryRecvError::Empty | broadcast::error::TryRecvError::Closed)
            ) {}
            Some(((), receiver))
        });
        QueueWakeups(Mutex::new(Box::pin(stream)))
    }
}

/// apalis wants a `Sync` stream; the mutex is never contended (one worker polls it).
pub struct QueueWakeups(Mutex<BoxStream<'static, ()>>);

impl Stream for QueueWakeups {
    type Item = ();

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<()>> {
        match self.get_mut().0.get_mut() {
            Ok(stream) => stream.as_mut().poll_next(cx),
            Err(_) => Poll::Ready(None),
        }
    }
}

#[derive(serde::Deserialize)]
struct Notice {
    job_type: String,
}

async fn listen(pool: PgPool, sender: broadcast::Sender<Arc<str>>, shutdown: CancellationToken) {
    while !shutdown.is_cancelled() {
        let mut listener = match connect(&pool).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for new jobs; polling only, retrying in 1s");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                    _ = shutdown.cancelled() => return,
                }
            }
        };
        cache::listening();
        loop {
            tokio::select! {
                // `try_recv`, not `recv`: `recv` reconnects by itself and drops the notices of
                // the gap unseen, while the cache must know it may have missed a change.
                notice = listener.try_recv() => match notice {
                    Ok(Some(notice)) if notice.channel() == cache::CHANNEL => cache::changed(),
                    Ok(Some(notice)) => {
                        if let Ok(Notice { job_type }) = serde_json::from_str(notice.payload()) {
                            let _ = sender.send(Arc::from(job_type));
                        }
                    }
                    Ok(None) => {
                        cache::deaf();
                        tracing::warn!("job listener lost its connection; reconnecting");
                        break;
                    }
                    Err(error) => {
                        cache::deaf();
                        tracing::warn!(%error, "job listener lost its connection; reconnecting");
                        break;
                    }
                },
                _ = shutdown.cancelled() => return,
            }
        }
    }
}

async fn connect(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all([CHANNEL, cache::CHANNEL]).await?;
    Ok(listener)
}
