//! The park protocol of combinators: how `race`, `join` and `timeout` poll their branches.
//!
//! A poll rebuilds its unit's requests from what its pending futures ask for. A combinator
//! polls several futures in one poll (or one, against a deadline), so it must:
//! - let each branch say for itself whether it parks: the flag is cleared before a branch is
//!   polled and taken after it;
//! - park only if every branch that is still pending parks (one that must be polled next tick,
//!   such as `next_tick`, keeps the behaviour running);
//! - withdraw what a branch asked for as soon as that branch completes (a `join`'s finished
//!   branch must not keep walking the unit while the other is pending), by restoring the
//!   requests as they were before it was polled;
//! - when it completes, withdraw everything its branches asked for — a loser's walk, its
//!   timer — by restoring the requests as they were when it was entered;
//! - while it is pending, keep its pending branches' requests (walks, timers, `receive`s).
//!
//! [`Branches`] is that protocol, once. It also pushes the combinator's frame on the activity
//! trail and takes it back, and checks and counts the poll's budget (see `budget`).

use std::task::Poll;

use super::context;
use super::context::Requests;
use super::trail::{self, Mark};
use crate::components::Activity;

/// A combinator's poll in progress: see the module docs.
pub(crate) struct Branches {
    caller: &'static str,
    /// The requests as they stood when the combinator was entered.
    before: Requests,
    /// The requests as they stand before the next branch is polled (park cleared).
    next: Requests,
    /// Every branch polled so far that stayed pending parks.
    parks: bool,
    /// A tick (of the behaviour's clock) to be woken at, at the latest, while pending.
    wake_by: u64,
    mark: Mark,
}

impl Branches {
    /// Enters a combinator named `caller`, whose frame on the activity trail `frame` makes from
    /// the behaviour's clock. `None` if the poll's budget is spent: the combinator must then
    /// return `Pending` without polling anything (it is polled again on the next tick).
    #[inline]
    pub fn enter(caller: &'static str, frame: impl FnOnce(u64) -> Activity) -> Option<Branches> {
        let (before, clock) = context::with(caller, |unit| {
            if unit.budget_spent(caller) {
                return None;
            }
            let before = unit.requests;
            unit.requests.park = false;
            Some((before, unit.clock))
        })?;
        Some(Branches {
            caller,
            before,
            next: Requests {
                park: false,
                ..before
            },
            parks: true,
            wake_by: u64::MAX,
            mark: trail::enter(frame(clock)),
        })
    }

    /// Polls one branch: if it stays pending, notes whether it parks and keeps its requests;
    /// if it completes, withdraws them.
    #[inline]
    pub fn poll<T>(&mut self, branch: impl FnOnce() -> Poll<T>) -> Poll<T> {
        let poll = branch();
        let next = &mut self.next;
        let parks = context::with(self.caller, |unit| {
            let parks = std::mem::replace(&mut unit.requests.park, false);
            if poll.is_ready() {
                unit.requests = *next;
            }
            *next = unit.requests;
            parks
        });
        if poll.is_pending() {
            self.parks &= parks;
        }
        poll
    }

    /// While pending, asks to be woken at `tick` of the behaviour's clock at the latest.
    pub fn wake_by(&mut self, tick: u64) {
        self.wake_by = tick;
    }

    /// Completes the combinator with `output`: its branches' requests are withdrawn, its frame
    /// and theirs leave the trail, and it counts as one completed await.
    #[inline]
    pub fn complete<T>(self, output: T) -> Poll<T> {
        trail::leave(self.mark, true);
        context::with(self.caller, |unit| {
            unit.requests = self.before;
            unit.count_await();
        });
        Poll::Ready(output)
    }

    /// Leaves the combinator pending: its branches' requests stand, and it parks only if every
    /// pending branch did.
    #[inline]
    pub fn pending<T>(self) -> Poll<T> {
        context::with(self.caller, |unit| {
            unit.requests.park = self.parks;
            unit.requests.wake_at = unit.requests.wake_at.min(self.wake_by);
        });
        trail::leave(self.mark, false);
        Poll::Pending
    }
}
