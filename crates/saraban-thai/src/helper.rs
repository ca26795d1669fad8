//! A thread of its own beside the caller's, for work that can be done on the second core
//! while the caller goes on: the line breaker cuts a letter's words on one
//! ([`crate::LineBreaker::cut_ahead`]) while its parts are set, and the PDF writer makes
//! its fonts ready on one while its pages are drawn.
//!
//! Why a thread kept for the owner's life rather than one started per letter: a letter
//! takes two or three milliseconds, and starting a thread, waiting for it to run and
//! joining it cost a tenth of a millisecond each time — most of what the second core
//! gave back. Why here: this is the bottom crate, and both users are above it.

use std::sync::{mpsc, Arc, Mutex};

/// Work for a helper thread.
pub type Job = Box<dyn FnOnce() + Send>;

/// A helper thread (เธรดช่วย), started with its first job and ended when the last clone
/// of its owner is gone. Jobs run one after another, in the order given.
#[derive(Clone)]
pub struct Helper {
    name: &'static str,
    jobs: Arc<Mutex<Option<mpsc::Sender<Job>>>>,
}

impl std::fmt::Debug for Helper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Helper").field("name", &self.name).finish()
    }
}

impl Helper {
    /// A helper whose thread, once started, is called `name` (what a debugger shows).
    pub fn new(name: &'static str) -> Self {
        Helper {
            name,
            jobs: Arc::default(),
        }
    }

    /// Runs `job` on the helper thread after the jobs given before it, starting the
    /// thread the first time (and again if it is gone). Gives the job back when no thread
    /// can be started: the caller then does the work itself.
    pub fn run(&self, job: Job) -> Result<(), Job> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        let job = match jobs.as_ref() {
            Some(tx) => match tx.send(job) {
                Ok(()) => return Ok(()),
                Err(mpsc::SendError(job)) => job,
            },
            None => job,
        };
        let (tx, rx) = mpsc::channel::<Job>();
        let started = std::thread::Builder::new()
            .name(self.name.into())
            .spawn(move || {
                // A job that panics ends only itself; the thread ends when its owner and
                // with it the sender is gone.
                while let Ok(job) = rx.recv() {
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            });
        *jobs = None;
        if started.is_err() {
            return Err(job);
        }
        tx.send(job).map_err(|mpsc::SendError(job)| job)?;
        *jobs = Some(tx);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_in_order_on_one_thread_beside_the_caller() {
        let helper = Helper::new("test-helper");
        let (tx, rx) = mpsc::channel();
        for i in 0..5 {
            let tx = tx.clone();
            helper
                .run(Box::new(move || {
                    let me = std::thread::current();
                    tx.send((i, me.name().map(str::to_string), me.id()))
                        .unwrap();
                }))
                .unwrap_or_else(|_| panic!("a thread starts"));
        }
        let got: Vec<_> = (0..5).map(|_| rx.recv().unwrap()).collect();
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
        assert!(got.iter().all(|g| g.1.as_deref() == Some("test-helper")));
        assert!(got.iter().all(|g| g.2 == got[0].2), "one thread");
        assert_ne!(got[0].2, std::thread::current().id());
    }

    #[test]
    fn a_job_that_panics_ends_only_itself() {
        let helper = Helper::new("test-helper");
        let _ = helper.run(Box::new(|| panic!("a job's own failure")));
        let (tx, rx) = mpsc::channel();
        let _ = helper.run(Box::new(move || tx.send(7).unwrap()));
        assert_eq!(rx.recv().unwrap(), 7);
    }

    #[test]
    fn the_thread_ends_with_its_owner() {
        // Sends when the thread it was put on ends (its thread-locals are dropped then).
        struct OnExit(Option<mpsc::Sender<()>>);
        impl Drop for OnExit {
            fn drop(&mut self) {
                if let Some(tx) = self.0.take() {
                    let _ = tx.send(());
                }
            }
        }
        thread_local! {
            static GUARD: std::cell::RefCell<OnExit> = const { std::cell::RefCell::new(OnExit(None)) };
        }
        let helper = Helper::new("test-helper");
        let other = helper.clone();
        let (tx, ended) = mpsc::channel();
        let _ = helper.run(Box::new(move || {
            GUARD.with(|g| g.borrow_mut().0 = Some(tx))
        }));
        drop(helper);
        let wait = std::time::Duration::from_millis(300);
        assert!(ended.recv_timeout(wait).is_err(), "a clone still owns it");
        drop(other);
        assert!(
            ended.recv_timeout(wait * 20).is_ok(),
            "ended with the last owner"
        );
    }
}
