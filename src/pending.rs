//! Work started on another core while this thread goes on with something
//! else, for stages that are independent (templates and datasets, sections
//! and datasets): the build's wall time is then the longer of the two, not
//! their sum.
//!
//! A build runs on rayon's pool (see [`crate::build_with`]), so the thread
//! that waits for a result is one of the pool's: it helps with the pool's
//! other work while it waits, instead of sleeping until the result arrives
//! and leaving a core idle, then paying the wake-up (a tenth to a third of
//! a millisecond on these machines) each time.

use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError, channel};
use std::time::Duration;

/// The result of a closure [`start`]ed beside the caller.
pub struct Pending<T>(Receiver<T>);

/// Rounds a waiting pool thread yields its core, finding nothing to help
/// with, before it sleeps: a few hundred microseconds, about the time the
/// build's shorter waits take.
const SPIN_ROUNDS: u32 = 256;

/// How long a waiting pool thread sleeps before it looks for work again.
const NAP: Duration = Duration::from_micros(200);

/// Runs `f` on rayon's pool: on another thread, or on this one if it is a
/// pool thread that reaches `f` first while it [waits](Pending::wait).
pub fn start<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Pending<T> {
    let (send, receive) = channel();
    rayon::spawn(move || {
        // The receiver is only dropped once `wait` returned, so this cannot
        // fail unless the caller is gone, and then nobody needs the result.
        let _ = send.send(f());
    });
    Pending(receive)
}

impl<T> Pending<T> {
    /// The closure's result; `None` only if it panicked on the other thread.
    ///
    /// Outside the pool this sleeps until the result arrives. A pool thread
    /// runs the pool's queued work meanwhile (the closure itself, if nobody
    /// took it yet: a blocked pool thread could otherwise wait for work
    /// queued behind it); with nothing to run it yields its core for a
    /// while, then sleeps in short naps between looks for new work.
    pub fn wait(self) -> Option<T> {
        if rayon::current_thread_index().is_none() {
            return self.0.recv().ok();
        }
        let mut idle = 0;
        loop {
            match self.0.try_recv() {
                Ok(t) => return Some(t),
                Err(TryRecvError::Disconnected) => return None,
                Err(TryRecvError::Empty) => {}
            }
            if rayon::yield_now() == Some(rayon::Yield::Executed) {
                idle = 0;
            } else if idle < SPIN_ROUNDS {
                idle += 1;
                std::thread::yield_now();
            } else {
                match self.0.recv_timeout(NAP) {
                    Ok(t) => return Some(t),
                    Err(RecvTimeoutError::Disconnected) => return None,
                    Err(RecvTimeoutError::Timeout) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_arrives_outside_the_pool_and_inside_a_pool_of_one() {
        let here = std::thread::current().id();
        let p = start(move || std::thread::current().id() != here);
        assert_eq!(
            p.wait(),
            Some(true),
            "outside the pool the closure runs beside the caller"
        );
        // One thread: the closure is queued behind the waiter, which must
        // run it rather than wait for it forever.
        let inside = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a pool")
            .install(|| {
                let here = std::thread::current().id();
                let first = start(move || std::thread::current().id() == here);
                let second = start(|| 2 + 2);
                (second.wait(), first.wait())
            });
        assert_eq!(inside, (Some(4), Some(true)), "a pool of one runs the closures itself");
    }

    #[test]
    fn a_panic_on_the_other_side_is_none_not_a_hang() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .panic_handler(|_| ())
            .build()
            .expect("a pool");
        let got = pool.install(|| start(|| -> u8 { panic!("a test panic") }).wait());
        assert_eq!(got, None);
    }
}
