//! Label names (`Label(name: "flee", ...)`), kept for as long as the program runs.
//!
//! An activity stack records a label as `&'static str`, so that recording what a unit awaits
//! never allocates. A name read from a file is kept once, however often it is used, in a fixed
//! table of slots: at most [`MAX_LABELS`] different names in a program's life (at most 1 MiB),
//! so reading file after file cannot grow memory without bound. Nothing is leaked: the table
//! owns the names.

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock, PoisonError};

/// The most different label names a program keeps.
pub(crate) const MAX_LABELS: usize = 4_096;

static SLOTS: [OnceLock<Box<str>>; MAX_LABELS] = [const { OnceLock::new() }; MAX_LABELS];
static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// `name`, kept for the program's life; `None` if the table is full and `name` is not in it.
pub(super) fn intern(name: &str) -> Option<&'static str> {
    let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = names.get(name) {
        return Some(known);
    }
    // The next free slot: slots are filled in order, one per name.
    let slot = SLOTS.get(names.len())?;
    let kept: &'static str = slot.get_or_init(|| name.into());
    names.insert(kept);
    Some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_kept_once() {
        let a = intern(&String::from("flee")).unwrap();
        let b = intern(&String::from("flee")).unwrap();
        assert!(std::ptr::eq(a, b));
        assert_eq!(a, "flee");
    }
}
