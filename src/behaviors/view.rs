//! The tick view: what every poll of one Think may read or append to beyond its own unit —
//! the sensing snapshot, the mailboxes, the outbox of requests.
//!
//! Think moves these resources into a thread-local slot for the duration of its polls and moves
//! them back afterwards: no copy, no allocation, no reference into the world, no `unsafe`.

use std::cell::RefCell;

use super::context::outside_poll;
use crate::events::EventLog;
use crate::systems::{Mailboxes, Outbox, SpatialIndex, UnitIndex};

pub(crate) struct TickView {
    pub seed: u64,
    pub index: SpatialIndex,
    pub mailboxes: Mailboxes,
    pub outbox: Outbox,
    /// Live units by id (read only during Think: nothing spawns or despawns then).
    pub units: UnitIndex,
    /// Where this tick's events are recorded.
    pub log: EventLog,
}

thread_local! {
    static VIEW: RefCell<Option<TickView>> = const { RefCell::new(None) };
}

/// Installs `view` until the returned guard is dropped or [`ViewGuard::finish`]ed.
pub(crate) fn install(view: TickView) -> ViewGuard {
    VIEW.with_borrow_mut(|slot| *slot = Some(view));
    ViewGuard
}

/// Removes the view when dropped (also when a poll panics).
pub(crate) struct ViewGuard;

impl ViewGuard {
    /// Removes the view and gives it back.
    pub fn finish(self) -> TickView {
        VIEW.with_borrow_mut(Option::take)
            .expect("the view is installed until its guard goes")
    }
}

impl Drop for ViewGuard {
    fn drop(&mut self) {
        VIEW.with_borrow_mut(|slot| *slot = None);
    }
}

/// Gives `access` the tick view if one is installed (an event raised by a future that a test
/// polls by hand, with no Think around it, has nowhere to go and is dropped).
pub(crate) fn try_with(access: impl FnOnce(&mut TickView)) {
    VIEW.with_borrow_mut(|slot| {
        if let Some(view) = slot.as_mut() {
            access(view);
        }
    });
}

/// Gives `access` the tick view; panics with a message naming `caller` outside a poll.
pub(crate) fn with<R>(caller: &'static str, access: impl FnOnce(&mut TickView) -> R) -> R {
    VIEW.with_borrow_mut(|slot| match slot.as_mut() {
        Some(view) => access(view),
        None => outside_poll(caller),
    })
}
