//! `repeat` and `forever`: run a body again and again.

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::scope::{budget, trail};

/// Runs the future `body()` makes, `times` times in a row; the next run starts in the poll that
/// finishes the previous one, so no tick is lost between runs.
///
/// A run that finishes in the same poll it started in (it never waited) ends the tick's work:
/// the next run starts on the next tick. So a body that never waits cannot freeze a tick.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("u", ivec2(0, 0), repeat(2, || async {
///     goto(ivec2(1, 0)).await;
///     goto(ivec2(0, 0)).await;
/// }));
/// sim.run(4);
/// assert_eq!(sim.position(unit), Some(ivec2(0, 0)));
/// sim.step(); // tick 5: the second run finishes
/// assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
/// ```
pub fn repeat<F, Fut>(times: u64, body: F) -> Repeat<F, Fut>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    Repeat {
        body,
        remaining: Some(times),
        iteration: 0,
        run: None,
    }
}

/// Runs the future `body()` makes, again and again, forever (see [`repeat`] for the timing).
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("u", ivec2(0, 0), forever(|| async {
///     goto(ivec2(0, 2)).await;
///     goto(ivec2(0, 0)).await;
/// }));
/// sim.run(6);
/// assert_eq!(sim.position(unit), Some(ivec2(0, 2)));
/// ```
pub fn forever<F, Fut>(body: F) -> Repeat<F, Fut>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    Repeat {
        body,
        remaining: None,
        iteration: 0,
        run: None,
    }
}

pin_project! {
    /// The future returned by [`repeat`] and [`forever`].
    #[must_use = "futures do nothing unless you .await or poll them"]
    pub struct Repeat<F, Fut> {
        body: F,
        remaining: Option<u64>,
        iteration: u64,
        #[pin]
        run: Option<Fut>,
    }
}

impl<F, Fut> std::fmt::Debug for Repeat<F, Fut> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repeat")
            .field("remaining", &self.remaining)
            .field("iteration", &self.iteration)
            .finish_non_exhaustive()
    }
}

impl<F, Fut> Future for Repeat<F, Fut>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut this = self.project();
        if budget::budget_spent("repeat") {
            return Poll::Pending; // the poll's budget is spent: on the next tick
        }
        loop {
            let started_now = this.run.is_none();
            if started_now {
                if *this.remaining == Some(0) {
                    budget::count_await();
                    return Poll::Ready(());
                }
                this.run.set(Some((this.body)()));
            }
            let mark = trail::enter(Activity::Repeat {
                iteration: *this.iteration,
            });
            let run = this.run.as_mut().as_pin_mut().expect("set above");
            let poll = run.poll(cx);
            trail::leave(mark, poll.is_ready());
            if poll.is_pending() {
                return Poll::Pending;
            }
            this.run.set(None);
            *this.iteration += 1;
            if let Some(remaining) = this.remaining.as_mut() {
                *remaining -= 1;
            }
            if started_now && *this.remaining != Some(0) {
                // The run never waited: let the tick end before the next one.
                trail::leaf(Activity::NextTick);
                return Poll::Pending;
            }
        }
    }
}
