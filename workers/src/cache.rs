//! Process-wide copies of what admins change rarely and every update reads (the text
//! overrides, the shop settings), dropped the moment PostgreSQL says they changed.
//!
//! A trigger on `templates` and `settings` (migration 0014) sends a notice on
//! [`CHANNEL`] with every change; the process's listener ([`crate::wakeups`]) turns it into a
//! new generation here, and a copy made in an older generation is read again. While the
//! listener is not connected (start-up, a lost connection) notices could be missed, so
//! nothing is served from memory: every read goes to the database until the listener is
//! back, and a reconnect starts a new generation. A process without a listener (the CLI,
//! tests calling handlers directly) always reads the database.
//!
//! A change is seen in memory once its notice arrives, a moment after it commits. The
//! transaction that makes a change cannot see it here at all (its notice goes out at
//! commit): code that reads what it just wrote reads the database (`load_fresh`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The notice channel of migration 0014's trigger.
pub const CHANNEL: &str = "shop_config";

static GENERATION: AtomicU64 = AtomicU64::new(0);
static LISTENING: AtomicBool = AtomicBool::new(false);

/// The listener is connected and listening on [`CHANNEL`]: copies may be served, from a new
/// generation (whatever changed before is read again).
pub fn listening() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
    LISTENING.store(true, Ordering::SeqCst);
}

/// The listener lost its connection: serve nothing from memory until it is back.
pub fn deaf() {
    LISTENING.store(false, Ordering::SeqCst);
}

/// Something cached changed.
pub fn changed() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// One cached value.
pub struct Cached<T> {
    stored: Mutex<Option<(u64, Arc<T>)>>,
}

impl<T> Cached<T> {
    pub const fn new() -> Self {
        Cached {
            stored: Mutex::new(None),
        }
    }

    /// The copy of this generation, or what `load` reads (kept for the next reader when no
    /// change came while it read).
    pub async fn get_or_load<E, F>(&self, load: F) -> Result<Arc<T>, E>
    where
        F: Future<Output = Result<T, E>>,
    {
        if !LISTENING.load(Ordering::SeqCst) {
            return load.await.map(Arc::new);
        }
        let generation = GENERATION.load(Ordering::SeqCst);
        if let Some(value) = self.current(generation) {
            return Ok(value);
        }
        let value = Arc::new(load.await?);
        if let Ok(mut stored) = self.stored.lock() {
            *stored = Some((generation, value.clone()));
        }
        Ok(value)
    }

    fn current(&self, generation: u64) -> Option<Arc<T>> {
        let stored = self.stored.lock().ok()?;
        stored
            .as_ref()
            .filter(|(made, _)| *made == generation)
            .map(|(_, value)| value.clone())
    }
}

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test touches the process-wide state, so tests running in parallel cannot race it.
    #[tokio::test]
    async fn a_copy_is_served_while_listening_and_read_again_after_a_change() {
        let cache: Cached<u32> = Cached::new();
        let reads = std::sync::atomic::AtomicU32::new(0);
        let load = || async { Ok::<_, ()>(reads.fetch_add(1, Ordering::SeqCst) + 1) };
        deaf();
        assert_eq!(*cache.get_or_load(load()).await.unwrap_or_default(), 1);
        assert_eq!(
            *cache.get_or_load(load()).await.unwrap_or_default(),
            2,
            "deaf: always read"
        );
        listening();
        assert_eq!(*cache.get_or_load(load()).await.unwrap_or_default(), 3);
        assert_eq!(
            *cache.get_or_load(load()).await.unwrap_or_default(),
            3,
            "served"
        );
        changed();
        assert_eq!(
            *cache.get_or_load(load()).await.unwrap_or_default(),
            4,
            "read again"
        );
        assert_eq!(*cache.get_or_load(load()).await.unwrap_or_default(), 4);
        // A change while a read is under way: that read is not kept.
        changed();
        let racing = cache.get_or_load(async {
            changed();
            Ok::<_, ()>(99)
        });
        assert_eq!(*racing.await.unwrap_or_default(), 99);
        assert_eq!(*cache.get_or_load(load()).await.unwrap_or_default(), 5);
        deaf();
        assert_eq!(*cache.get_or_load(load()).await.unwrap_or_default(), 6);
    }
}
