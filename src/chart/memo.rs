//! A formatter that remembers what it wrote. One chart formats the same
//! value several times: for its label, again for its description, and a
//! tick value for every axis length the layout tries. Float formatting is
//! the largest single cost of a small chart, so each (value, decimals) is
//! formatted once per render. The caller's formatter is pure (same value,
//! same text), so the bytes are those it would write itself.

use super::ValueFormat;
use std::cell::RefCell;
use std::collections::HashMap;

/// Wraps a [`ValueFormat`] for the length of one render.
pub struct Memo<'a> {
    inner: &'a dyn ValueFormat,
    seen: RefCell<HashMap<(u64, usize), String, foldhash::fast::FixedState>>,
}

impl<'a> Memo<'a> {
    /// A memo in front of `inner`, empty.
    pub fn new(inner: &'a dyn ValueFormat) -> Memo<'a> {
        Memo {
            inner,
            // Room for a typical chart's labels and ticks without regrowing.
            seen: RefCell::new(HashMap::with_capacity_and_hasher(
                64,
                foldhash::fast::FixedState::with_seed(0),
            )),
        }
    }
}

impl ValueFormat for Memo<'_> {
    fn format(&self, value: f64, decimals: usize) -> String {
        let key = (value.to_bits(), decimals);
        if let Some(s) = self.seen.borrow().get(&key) {
            return s.clone();
        }
        let s = self.inner.format(value, decimals);
        self.seen.borrow_mut().insert(key, s.clone());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    struct Counting(Cell<usize>);
    impl ValueFormat for Counting {
        fn format(&self, v: f64, d: usize) -> String {
            self.0.set(self.0.get() + 1);
            format!("{v:.d$}")
        }
    }

    #[test]
    fn formats_each_value_once_and_writes_what_the_formatter_writes() {
        let inner = Counting(Cell::new(0));
        let memo = Memo::new(&inner);
        assert_eq!(memo.format(2.5, 1), "2.5");
        assert_eq!(memo.format(2.5, 0), "2");
        assert_eq!(memo.format(2.5, 1), "2.5");
        assert_eq!(memo.format(-0.0, 1), "-0.0");
        assert_eq!(memo.format(0.0, 1), "0.0", "zero and minus zero stay apart");
        assert_eq!(inner.0.get(), 4);
    }
}
