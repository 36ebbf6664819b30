//! Per-stage timings on standard error, for finding where a build's time
//! goes: set `QUIRE_TIMINGS=1` and each stage prints one line,
//! `quire-timing: <stage> <ms> ms`. Unset, each mark costs one cached
//! environment read, so the marks stay in release builds.

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("QUIRE_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// When the previous [`mark`] was made.
static LAST: Mutex<Option<Instant>> = Mutex::new(None);

/// Starts the clock for the first stage.
pub fn start() {
    if enabled() {
        *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
    }
}

/// Ends the stage `name`: prints the time since the previous mark (or
/// [`start`]) and starts the next stage's clock.
pub fn mark(name: &str) {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = *last {
        eprintln!("quire-timing: {name} {:.2} ms", (now - t).as_secs_f64() * 1e3);
    }
    *last = Some(now);
}

/// Times one scope on its own, printed when it ends, for a step inside a
/// stage (e.g. deleting the old output inside writing).
#[must_use]
pub struct Lap {
    name: &'static str,
    start: Option<Instant>,
}

impl Lap {
    /// Starts timing `name`.
    pub fn new(name: &'static str) -> Lap {
        Lap {
            name,
            start: enabled().then(Instant::now),
        }
    }
}

impl Drop for Lap {
    fn drop(&mut self) {
        if let Some(t) = self.start {
            eprintln!("quire-timing: {} {:.2} ms", self.name, t.elapsed().as_secs_f64() * 1e3);
        }
    }
}
