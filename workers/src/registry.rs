use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;
use jobs::{Job, Queue};

use crate::{JobContext, JobError};

type ErasedHandler =
    dyn Fn(serde_json::Value, JobContext) -> BoxFuture<'static, Result<(), JobError>> + Send + Sync;

/// Which handler runs each job kind.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, (Queue, Arc<ErasedHandler>)>,
}

impl Registry {
    /// Run `handler` for every job of kind `J`. A payload that does not decode as `J` fails the
    /// job for good: retrying cannot change its bytes.
    pub fn register<J, F, Fut>(&mut self, handler: F)
    where
        J: Job,
        F: Fn(J, JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        let erased = move |args: serde_json::Value, ctx: JobContext| -> BoxFuture<'static, _> {
            let handler = handler.clone();
            Box::pin(async move {
                let job: J = serde_json::from_value(args).map_err(|e| {
                    JobError::Permanent(format!("payload is not a valid {}: {e}", J::KIND))
                })?;
                handler(job, ctx).await
            })
        };
        self.handlers.insert(J::KIND, (J::QUEUE, Arc::new(erased)));
    }

    pub(crate) fn handler(&self, kind: &str) -> Option<Arc<ErasedHandler>> {
        self.handlers.get(kind).map(|(_, h)| h.clone())
    }

    /// Kinds served by `queue`, for logs and `--help`.
    pub fn kinds(&self, queue: Queue) -> Vec<&'static str> {
        let mut kinds: Vec<_> = self
            .handlers
            .iter()
            .filter(|(_, (q, _))| *q == queue)
            .map(|(kind, _)| *kind)
            .collect();
        kinds.sort_unstable();
        kinds
    }
}
