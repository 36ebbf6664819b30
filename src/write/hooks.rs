//! Test-only hooks, read from the environment, so the fault tests can stop a
//! real build between two steps of the swap and kill it there.
//!
//! * `QUIRE_TEST_PAUSE_MS=<step>:<ms>[,<step>:<ms>…]`: announce
//!   `quire-test: paused at <step>` on stderr and sleep `ms` milliseconds
//!   when the writer reaches `<step>` (see [`Step`]).
//! * `QUIRE_TEST_SWAP=rename|in-place`: use the two-rename fallback, or the
//!   per-entry swap used for mount points, instead of `RENAME_EXCHANGE`.
//!
//! Neither is meant for users; unset, they cost one environment read.

use std::sync::OnceLock;
use std::time::Duration;

/// A point in the writer where a test may pause it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The lock is held; nothing has been cleaned or written yet.
    Locked,
    /// The new tree is complete in its staging folder.
    Staged,
    /// Two-rename fallback: the old tree is aside and `output/` is missing.
    Aside,
    /// The new tree is in place; the old one is not deleted yet.
    Swapped,
    /// In-place swap: between two entries.
    Entry,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Locked => "locked",
            Step::Staged => "staged",
            Step::Aside => "aside",
            Step::Swapped => "swapped",
            Step::Entry => "entry",
        }
    }
}

/// How the writer swaps the new tree in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// One `renameat2(RENAME_EXCHANGE)`, falling back as needed.
    Exchange,
    /// Move the old tree aside, then the new one in.
    TwoRenames,
    /// Swap each entry inside the output folder (mount points).
    InPlace,
}

/// The swap method a test forced, if any.
pub fn forced_method() -> Option<Method> {
    match std::env::var("QUIRE_TEST_SWAP").ok()?.as_str() {
        "rename" => Some(Method::TwoRenames),
        "in-place" => Some(Method::InPlace),
        _ => None,
    }
}

/// Pauses at `step` if `QUIRE_TEST_PAUSE_MS` asks for it.
pub fn pause(step: Step) {
    static PLAN: OnceLock<Vec<(String, u64)>> = OnceLock::new();
    let plan = PLAN.get_or_init(|| {
        std::env::var("QUIRE_TEST_PAUSE_MS")
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| {
                let (name, ms) = s.split_once(':')?;
                Some((name.trim().to_string(), ms.trim().parse().ok()?))
            })
            .collect()
    });
    for (name, ms) in plan {
        if name == step.name() {
            eprintln!("quire-test: paused at {name}");
            std::thread::sleep(Duration::from_millis(*ms));
        }
    }
}
