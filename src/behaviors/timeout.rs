//! `timeout`: give a future a number of ticks to finish.

use pin_project_lite::pin_project;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::scope::{context, trail};

/// A [`timeout`] ran out before its future finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimedOut {
    /// The ticks it was given.
    pub ticks: u64,
}

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "timed out after {} ticks", self.ticks)
    }
}

impl std::error::Error for TimedOut {}

/// Runs `future` for at most `ticks` ticks of the behaviour's clock.
///
/// First polled on tick `t`, it completes with `Ok(output)` in whichever poll the future
/// finishes, or with `Err(TimedOut)` in the poll of tick `t + ticks` if the future did not
/// finish in that poll either (the future is polled first: a tie goes to it). On time-out the
/// future is dropped and its requests (a walk, a timer) withdrawn at once.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("u", ivec2(0, 0), async {
///     assert_eq!(timeout(2, goto(ivec2(9, 0))).await, Err(TimedOut { ticks: 2 }));
///     assert_eq!(timeout(2, goto(ivec2(3, 0))).await, Ok(()));
/// });
/// sim.run(4);
/// assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
/// ```
pub fn timeout<F: Future>(ticks: u64, future: F) -> Timeout<F> {
    Timeout {
        future,
        ticks,
        deadline: None,
    }
}

pin_project! {
    /// The future returned by [`timeout`].
    #[must_use = "futures do nothing unless you .await or poll them"]
    #[derive(Debug)]
    pub struct Timeout<F> {
        #[pin]
        future: F,
        ticks: u64,
        deadline: Option<u64>,
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, TimedOut>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let (before, clock) = context::with("timeout", |unit| (unit.requests, unit.clock));
        let deadline = *this
            .deadline
            .get_or_insert_with(|| clock.saturating_add(*this.ticks));
        let mark = trail::enter(Activity::Timeout { until: deadline });
        if let Poll::Ready(output) = this.future.poll(cx) {
            trail::leave(mark, true);
            return Poll::Ready(Ok(output));
        }
        if clock >= deadline {
            trail::leave(mark, true);
            context::set_requests("timeout", before);
            return Poll::Ready(Err(TimedOut { ticks: *this.ticks }));
        }
        // Keep the future's requests, and be woken at the deadline at the latest.
        context::with("timeout", |unit| {
            unit.requests.wake_at = unit.requests.wake_at.min(deadline);
        });
        trail::leave(mark, false);
        Poll::Pending
    }
}
