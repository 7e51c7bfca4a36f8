//! The tick view: what every poll of one Think may take from or append to beyond its own unit —
//! the mailboxes, the outbox of requests and commands, the event log.
//!
//! Think moves these into a thread-local slot for the duration of its polls and moves them back
//! afterwards (a guard gives them back if anything panics): no copy, no allocation, no `unsafe`.
//! What polls only read (the spatial index, the unit index) stays in the lent world.

use std::cell::RefCell;

use super::Outbox;
use super::context::outside_poll;
use crate::events::EventLog;
use crate::systems::Mailboxes;

pub(crate) struct TickView {
    pub seed: u64,
    pub mailboxes: Mailboxes,
    pub outbox: Outbox,
    /// Where this tick's events are recorded.
    pub log: EventLog,
}

thread_local! {
    static VIEW: RefCell<Option<TickView>> = const { RefCell::new(None) };
}

/// Installs `view` for the polls to come; [`take`] removes it. Whoever installs it owns taking
/// it back, also when something panics (Think does both through one guard).
pub(crate) fn install(view: TickView) {
    VIEW.with_borrow_mut(|slot| *slot = Some(view));
}

/// Removes the installed view, if any, and gives it back.
pub(crate) fn take() -> Option<TickView> {
    VIEW.with_borrow_mut(Option::take)
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
