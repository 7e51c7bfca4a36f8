//! `timeout`: give a future a number of ticks to finish.

use pin_project_lite::pin_project;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::scope::Branches;

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
/// finish in that poll either (the future is polled first: a tie goes to it). Either way,
/// whatever the future asked for (a walk, a timer) is withdrawn at once; on time-out the future
/// is dropped. While it runs, the behaviour parks only if the future does.
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
        let (ticks, deadline) = (*this.ticks, this.deadline);
        let mut clock = 0;
        let Some(mut branches) = Branches::enter("timeout", |now| {
            clock = now;
            let until = *deadline.get_or_insert_with(|| now.saturating_add(ticks));
            Activity::Timeout { until }
        }) else {
            return Poll::Pending; // the poll's budget is spent: on the next tick
        };
        let deadline = deadline.expect("set on entering");
        if let Poll::Ready(output) = branches.poll(|| this.future.poll(cx)) {
            return branches.complete(Ok(output));
        }
        if clock >= deadline {
            return branches.complete(Err(TimedOut { ticks }));
        }
        // Keep the future's requests, and be woken at the deadline at the latest.
        branches.wake_by(deadline);
        branches.pending()
    }
}
