//! Work started on another core while this thread goes on with something
//! else, for stages that are independent (templates and datasets, sections
//! and datasets): the build's wall time is then the longer of the two, not
//! their sum.

use std::sync::mpsc::{Receiver, channel};

/// The result of a closure [`start`]ed beside the caller.
pub enum Pending<T> {
    /// Running on one of rayon's threads; the result arrives here.
    Beside(Receiver<T>),
    /// Already computed, on the caller's own thread.
    Done(T),
}

/// Runs `f` on another thread of rayon's pool, unless the caller is itself
/// one of the pool's threads: blocking one of those on a queued task could
/// starve the pool, so `f` then runs right away, here.
pub fn start<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Pending<T> {
    if rayon::current_thread_index().is_some() {
        return Pending::Done(f());
    }
    let (send, receive) = channel();
    rayon::spawn(move || {
        // The receiver is only dropped once `wait` returned, so this cannot
        // fail unless the caller is gone, and then nobody needs the result.
        let _ = send.send(f());
    });
    Pending::Beside(receive)
}

impl<T> Pending<T> {
    /// The closure's result; `None` only if it panicked on the other thread.
    pub fn wait(self) -> Option<T> {
        match self {
            Pending::Beside(r) => r.recv().ok(),
            Pending::Done(t) => Some(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_arrives_from_another_thread_or_this_one() {
        let here = std::thread::current().id();
        let p = start(move || std::thread::current().id() != here);
        assert_eq!(
            p.wait(),
            Some(true),
            "outside the pool the closure runs beside the caller"
        );
        let inside = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a pool")
            .install(|| {
                let here = std::thread::current().id();
                start(move || std::thread::current().id() == here).wait()
            });
        assert_eq!(
            inside,
            Some(true),
            "inside a pool the closure runs right away, on the same thread"
        );
    }
}
