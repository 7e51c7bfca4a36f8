//! The poll budget (see [`POLL_BUDGET`] for the rule), in the spirit of an async runtime's
//! cooperative budget. It is counted in the unit context, so it costs a store per poll and a
//! decrement per completed await.
//!
//! A leaf (`goto`, `wait`, `receive`, …) checks when it is about to complete, so a leaf that
//! would be pending anyway (a walk, a timer) still hands its work over. A wrapper (`race`,
//! `label`, `repeat`, …) checks as it is entered, before polling anything, and counts when it
//! completes: it cannot yield after a branch completed without losing the branch's output.

use super::UnitContext;
use super::context;
use super::trail;
use crate::components::Activity;

/// How many tickweave awaits one poll of a behaviour may complete; the next one yields until
/// the next tick instead.
///
/// A behaviour runs until an await is pending, so a loop whose awaits all complete at once —
/// `loop { wait(0).await }`, `loop { goto(unit::position()).await }`, a `race` whose first
/// branch is already done — would never hand the tick back. Instead, once a poll has completed
/// this many awaits of tickweave's (`goto`, `wait`, `next_tick`, `receive`, `chase`,
/// `wait_until`, a write's handle, and `race`, `join`, `timeout`, `label`, `repeat` themselves),
/// the next one returns `Pending` without parking, and the behaviour goes on from there in
/// the next tick's poll, with a fresh budget. It is counted per poll, so the same behaviour
/// yields at the same await in every run.
///
/// The first poll of a behaviour that runs out is reported: a
/// [`BudgetExhausted`](crate::events::UnitEvent::BudgetExhausted) event and a `tracing`
/// warning naming the unit and its activity stack. Every such poll is counted in
/// [`ExecutorStats::budget_yields`](crate::systems::ExecutorStats::budget_yields).
///
/// The budget is large enough for any behaviour that does real work between its awaits —
/// draining a full queue of one signal type
/// ([`MAILBOX_CAPACITY`](crate::systems::MAILBOX_CAPACITY)) with a `receive` raced against a
/// `next_tick`, two awaits a signal, takes half of it — and small enough that a loop that never
/// waits costs a bounded slice of a tick (a few thousand instructions). Awaits of other futures
/// (an `async {}` block, a hand-written future) are not counted.
///
/// ```
/// # use tickweave::prelude::*;
/// # use tickweave::behaviors::POLL_BUDGET;
/// # use std::sync::{Arc, atomic::{AtomicU32, Ordering}};
/// let turns = Arc::new(AtomicU32::new(0));
/// let counted = turns.clone();
/// let mut sim = Simulation::new(0);
/// sim.spawn("spinner", ivec2(0, 0), async move {
///     loop {
///         wait(0).await; // completes at once: only the budget ends the tick
///         counted.fetch_add(1, Ordering::Relaxed);
///     }
/// });
/// sim.run(2);
/// assert_eq!(turns.load(Ordering::Relaxed), 2 * POLL_BUDGET);
/// ```
pub const POLL_BUDGET: u32 = 256;

impl UnitContext {
    /// Counts an await of kind `what` that is about to complete; false once the budget is spent,
    /// and then the await must return `Pending` instead (the yield is recorded here).
    #[inline]
    pub(crate) fn complete_await(&mut self, what: &'static str) -> bool {
        if self.budget > 0 {
            self.budget -= 1;
            true
        } else {
            self.yield_for_budget(what);
            false
        }
    }

    /// For a wrapper being entered: true if the budget is spent, and then it must return
    /// `Pending` without polling anything (the yield is recorded here).
    #[inline]
    pub(crate) fn budget_spent(&mut self, what: &'static str) -> bool {
        if self.budget > 0 {
            false
        } else {
            self.yield_for_budget(what);
            true
        }
    }

    /// Counts a wrapper that completes (it checked on entry, so it never yields here).
    #[inline]
    pub(crate) fn count_await(&mut self) {
        self.budget = self.budget.saturating_sub(1);
    }

    /// Yields until the next tick: the behaviour stays runnable (not parked), and its activity
    /// stack shows `next_tick` where the await stood.
    #[cold]
    #[inline(never)]
    fn yield_for_budget(&mut self, what: &'static str) {
        self.requests.park = false;
        if !std::mem::replace(&mut self.budget_yielded, true) {
            self.budget_yields.push((self.entity, self.id, what));
        }
        trail::leaf(Activity::NextTick);
    }
}

/// [`UnitContext::complete_await`] for a leaf that also works polled by hand, outside Think
/// (where there is no budget: it always completes).
#[inline]
pub(crate) fn complete_await(what: &'static str) -> bool {
    context::try_with(|unit| unit.complete_await(what)).unwrap_or(true)
}

/// [`UnitContext::budget_spent`], for a wrapper that also works polled by hand, outside Think.
#[inline]
pub(crate) fn budget_spent(what: &'static str) -> bool {
    context::try_with(|unit| unit.budget_spent(what)).unwrap_or(false)
}

/// [`UnitContext::count_await`], for a wrapper that also works polled by hand, outside Think.
#[inline]
pub(crate) fn count_await() {
    context::try_with(UnitContext::count_await);
}
