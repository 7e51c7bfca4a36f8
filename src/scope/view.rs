//! The tick view: what every poll of one Think may take from or append to beyond its own unit —
//! the mailboxes, the outbox of requests and commands, the event log.
//!
//! Think moves a view into a thread-local slot on each thread that polls, for the length of its
//! polls, and moves it back afterwards (a guard gives it back if anything panics): no copy, no
//! allocation, no `unsafe`. Each thread polling has an outbox and a log of its own, appended to
//! Think's in the order the units were polled; the mailboxes are shared, behind a lock that
//! only a `receive` takes, and only for its own unit's mailbox. What polls only read (the
//! spatial index, the unit index) stays in the lent world.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, PoisonError};

use super::Outbox;
use super::context::outside_poll;
use crate::events::EventLog;
use crate::systems::Mailboxes;

pub(crate) struct TickView {
    pub seed: u64,
    pub mailboxes: SharedMailboxes,
    pub outbox: Outbox,
    /// Where this tick's events are recorded.
    pub log: EventLog,
}

/// The mailboxes, shared by every thread that polls during one Think. Kept from tick to tick
/// (the mailboxes are moved in and out), so sharing them allocates nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct SharedMailboxes(Arc<Mutex<Mailboxes>>);

impl SharedMailboxes {
    /// Gives `access` the mailboxes. No lock is held while a behaviour's own code runs, so the
    /// lock is never poisoned by a behaviour's panic; it is read past anyway.
    pub fn with<R>(&self, access: impl FnOnce(&mut Mailboxes) -> R) -> R {
        access(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

thread_local! {
    static VIEW: RefCell<Option<TickView>> = const { RefCell::new(None) };
}

/// Installs `view` for the polls to come; [`take`] removes it. Whoever installs it owns taking
/// it back, also when something panics.
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
