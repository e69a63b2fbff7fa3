//! Per-thread memo tables for facts that are pure functions of one short text.
//!
//! Job titles, name parts and email domains repeat heavily in lead data (a few hundred
//! titles cover most of a CRM), while the facts derived from them (tokenising a title,
//! the gibberish rules, IDNA and list lookups) cost microseconds. A memo answers a repeated
//! text with one hash lookup. Each thread has its own table, so scoring threads never
//! contend; a table is emptied when it reaches [`CAPACITY`] entries, so memory stays
//! bounded whatever the input. A memo never changes an answer: it only stores what the
//! function returned for exactly the same text (tests compare memoised and direct answers).

use std::cell::RefCell;
use std::thread::LocalKey;

use rustc_hash::FxHashMap;

/// Entries per table and thread before the table is emptied.
pub(crate) const CAPACITY: usize = 1 << 14;

/// Texts longer than this are computed directly (rarely repeated, and not worth keeping).
const MAX_KEY_BYTES: usize = 96;

/// One memo table: text to answer.
pub(crate) type Table<V> = RefCell<FxHashMap<Box<str>, V>>;

/// The answer of `compute(key)`, from `table` when this thread has computed it before.
pub(crate) fn memoized<V: Clone + 'static>(table: &'static LocalKey<Table<V>>, key: &str, compute: impl FnOnce(&str) -> V) -> V {
    if key.len() > MAX_KEY_BYTES {
        return compute(key);
    }
    // `try_with` fails only while the thread is being torn down; compute directly then.
    let cached = table.try_with(|t| t.borrow().get(key).cloned()).ok().flatten();
    if let Some(v) = cached {
        return v;
    }
    let v = compute(key);
    let _ = table.try_with(|t| {
        let mut t = t.borrow_mut();
        if t.len() >= CAPACITY {
            t.clear();
        }
        t.insert(key.into(), v.clone());
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static SQUARES: Table<usize> = RefCell::new(FxHashMap::default());
        static CALLS: Cell<usize> = const { Cell::new(0) };
    }

    fn len_squared(s: &str) -> usize {
        CALLS.with(|c| c.set(c.get() + 1));
        s.len() * s.len()
    }

    #[test]
    fn repeated_keys_are_computed_once_and_answers_are_unchanged() {
        CALLS.with(|c| c.set(0));
        for _ in 0..3 {
            assert_eq!(memoized(&SQUARES, "abcd", len_squared), 16);
            assert_eq!(memoized(&SQUARES, "ab", len_squared), 4);
        }
        assert_eq!(CALLS.with(Cell::get), 2);
        let long = "x".repeat(MAX_KEY_BYTES + 1);
        assert_eq!(memoized(&SQUARES, &long, len_squared), long.len() * long.len());
        assert_eq!(memoized(&SQUARES, &long, len_squared), long.len() * long.len());
        assert_eq!(CALLS.with(Cell::get), 4, "long keys are not kept");
    }

    #[test]
    fn a_full_table_is_emptied_and_stays_bounded() {
        for i in 0..CAPACITY + 10 {
            memoized(&SQUARES, &i.to_string(), len_squared);
        }
        let len = SQUARES.with(|t| t.borrow().len());
        assert!(len <= CAPACITY, "{len} entries");
        assert_eq!(memoized(&SQUARES, "12345", len_squared), 25);
    }
}
