//! Sync scheduling, for any front end that stays running (the desktop app, a future daemon):
//! one sync at a time per process, a sync every [`INTERVAL`] while signed in and on, a backoff
//! while the server cannot be reached, and the watcher that syncs at once when another device
//! pushed. The front end creates one [`Scheduler`], starts [`Scheduler::run`] and
//! [`Scheduler::watch`] on its async runtime, and hears of each attempt through [`Observer`].

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use qoder_domain::CodedError;
use qoder_domain::sync::{SyncReport, SyncStatus};
use tokio::sync::Notify;

use super::{Result, SyncError};

/// How often a sync runs while signed in and reachable.
pub const INTERVAL: Duration = Duration::from_secs(120);
/// Longest wait between attempts while the server cannot be reached.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// The first attempt after start-up.
const FIRST: Duration = Duration::from_secs(5);
/// The wait after finding the sync lock held.
const BUSY_RETRY: Duration = Duration::from_secs(3);

/// What the front end hears after each attempt.
pub trait Observer: Send + Sync {
    /// The sync status after every attempt (also a failed one).
    fn status(&self, status: SyncStatus);
    /// A sync finished; the screens reload what it changed.
    fn completed(&self, report: &SyncReport);
}

/// The scheduler of one data folder.
pub struct Scheduler {
    dir: PathBuf,
    notify: Notify,
    /// One sync at a time in this process.
    running: AtomicBool,
}

impl Scheduler {
    pub fn new(dir: PathBuf) -> Arc<Self> {
        Arc::new(Scheduler { dir, notify: Notify::new(), running: AtomicBool::new(false) })
    }

    /// Wakes the loop (after sign-in, turning sync on, or another device's push).
    pub fn wake(&self) {
        self.notify.notify_one();
    }

    /// One sync now, unless one is running in this process (then [`SyncError::Busy`]); the
    /// observer hears the status after it and the report when it succeeded.
    pub async fn run_once(&self, observer: &dyn Observer) -> Result<SyncReport> {
        if self.running.swap(true, Ordering::AcqRel) {
            return Err(SyncError::Busy);
        }
        let dir = self.dir.clone();
        let result = blocking(move || super::sync_now(&dir)).await;
        self.running.store(false, Ordering::Release);
        let dir = self.dir.clone();
        if let Ok(status) = blocking(move || super::status(&dir)).await {
            observer.status(status);
        }
        if let Ok(report) = &result {
            observer.completed(report);
        }
        result
    }

    /// The loop: a sync every [`INTERVAL`] while signed in and on, or at once when woken;
    /// after a failure that may pass (offline, server busy) it waits twice as long each time,
    /// up to [`MAX_BACKOFF`]. Never returns.
    pub async fn run(self: Arc<Self>, observer: Arc<dyn Observer>) {
        let mut wait = FIRST;
        let mut failures = 0u32;
        loop {
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.notify.notified() => {}
            }
            let dir = self.dir.clone();
            let status = blocking(move || super::status(&dir)).await;
            if !matches!(&status, Ok(s) if s.signed_in && s.enabled) {
                wait = INTERVAL;
                continue;
            }
            let result = self.run_once(&*observer).await;
            wait = wait_after(&result, &mut failures);
        }
    }

    /// Listens for other devices' pushes (the server's WebSocket) and wakes the loop when
    /// told; the loop still runs, so a closed or refused connection only delays updates.
    /// Never returns.
    pub async fn watch(self: Arc<Self>) {
        let mut failures = 0u32;
        loop {
            let started = Instant::now();
            let me = self.clone();
            let ended = super::watch(&self.dir, move || me.wake()).await;
            // A connection that stayed up a while was fine; start the backoff over.
            if started.elapsed() > INTERVAL {
                failures = 0;
            }
            failures += 1;
            let pause = match &ended {
                Err(SyncError::NotSignedIn | SyncError::Disabled) => INTERVAL,
                _ => backoff(failures),
            };
            if let Err(e) = ended {
                tracing::debug!("sync watch ended ({e}); again in {pause:?}");
            }
            tokio::time::sleep(pause).await;
        }
    }
}

/// The loop's wait after an attempt; `failures` counts the failures in a row.
fn wait_after(result: &Result<SyncReport>, failures: &mut u32) -> Duration {
    match result {
        Ok(_) => {
            *failures = 0;
            INTERVAL
        }
        // The sync lock is held: by another sync (this process, or `qoder sync`), or for a
        // moment by an account call (the plan, the flags) that a screen makes right after
        // sign-in. Try again shortly, not in INTERVAL: the first sync after a sign-in must not
        // be put off by two minutes.
        Err(SyncError::Busy) => BUSY_RETRY,
        Err(e) if e.code() == qoder_domain::ErrorCode::Conflict => INTERVAL,
        Err(e) => {
            *failures += 1;
            let next = backoff(*failures);
            tracing::warn!("sync failed ({e}); next attempt in {next:?}");
            next
        }
    }
}

/// Runs blocking sync work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(SyncError::Corrupt(format!("the sync task failed: {e}"))))
}

/// The wait after `failures` failed attempts in a row: 15 s, doubling, at most [`MAX_BACKOFF`].
pub fn backoff(failures: u32) -> Duration {
    let secs = 15u64.saturating_mul(1u64 << failures.saturating_sub(1).min(16));
    Duration::from_secs(secs).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let seen: Vec<u64> = (1..=8).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(seen, vec![15, 30, 60, 120, 240, 480, 900, 900]);
        assert_eq!(backoff(1000), MAX_BACKOFF);
    }

    #[test]
    fn a_held_lock_is_tried_again_in_seconds_and_failures_back_off() {
        let mut failures = 0;
        assert_eq!(wait_after(&Err(SyncError::Busy), &mut failures), BUSY_RETRY);
        assert!(BUSY_RETRY < FIRST);
        let offline = || Err(SyncError::Offline { server: "s".into(), detail: "d".into() });
        assert_eq!(wait_after(&offline(), &mut failures), backoff(1));
        assert_eq!(wait_after(&offline(), &mut failures), backoff(2));
        assert_eq!(wait_after(&Err(SyncError::Busy), &mut failures), BUSY_RETRY, "no backoff");
        assert_eq!(failures, 2);
        assert_eq!(wait_after(&Ok(SyncReport::default()), &mut failures), INTERVAL);
        assert_eq!(failures, 0);
    }

    #[derive(Default)]
    struct Seen(Mutex<Vec<String>>);
    impl Observer for Seen {
        fn status(&self, s: SyncStatus) {
            self.0.lock().unwrap().push(format!("status signed_in={}", s.signed_in));
        }
        fn completed(&self, _: &SyncReport) {
            self.0.lock().unwrap().push("completed".into());
        }
    }

    #[tokio::test]
    async fn one_sync_at_a_time_and_the_status_after_each() {
        let dir = tempfile::tempdir().unwrap();
        let s = Scheduler::new(dir.path().to_path_buf());
        let seen = Seen::default();
        // Not signed in: the attempt fails, and the status still reaches the observer.
        assert!(matches!(s.run_once(&seen).await, Err(SyncError::NotSignedIn)));
        assert_eq!(*seen.0.lock().unwrap(), vec!["status signed_in=false".to_string()]);
        // A second caller while one runs is told so instead of queueing.
        s.running.store(true, Ordering::SeqCst);
        assert!(matches!(s.run_once(&seen).await, Err(SyncError::Busy)));
        assert_eq!(seen.0.lock().unwrap().len(), 1);
    }
}
