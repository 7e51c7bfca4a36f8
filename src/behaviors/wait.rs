//! `wait`: let ticks pass, handing the countdown to the timer system.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::events::UnitEvent;
use crate::scope::emit;
use crate::scope::{context, trail};

/// Completes `ticks` ticks after its first poll: first polled on tick `t`, the code after the
/// `.await` runs on tick `t + ticks`. `wait(0)` completes at once (unless the poll has already
/// completed [`POLL_BUDGET`](super::POLL_BUDGET) awaits: then it yields one tick); `wait(1)`
/// yields one tick.
///
/// Ticks are counted on the behaviour's clock, which stands still while the unit is paused or
/// pre-empted (e.g. stunned): a wait never runs out while its behaviour cannot see it end.
///
/// The behaviour is parked meanwhile and a timer wakes it: a waiting unit costs no poll.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("sleeper", ivec2(0, 0), async {
///     wait(3).await;            // first polled on tick 1: resumes on tick 4
///     goto(ivec2(1, 0)).await;  // so it steps on tick 4
/// });
/// sim.run(3);
/// assert_eq!(sim.position(unit), Some(ivec2(0, 0)));
/// sim.step();
/// assert_eq!(sim.position(unit), Some(ivec2(1, 0)));
/// ```
pub fn wait(ticks: u64) -> Wait {
    Wait(WaitState::Start { ticks })
}

/// The future returned by [`wait`].
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait(WaitState);

/// Where a [`Wait`] stands; private, so that only [`wait`] makes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WaitState {
    /// Not yet polled: the countdown starts at the first poll.
    Start { ticks: u64 },
    /// Polled: completes on the first poll at or after `deadline` (of the behaviour's clock).
    Until { deadline: u64 },
}

impl Future for Wait {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        let state = self.0;
        let (poll, next) = context::with("wait", |unit| {
            let deadline = match state {
                WaitState::Start { ticks } => unit.clock.saturating_add(ticks),
                WaitState::Until { deadline } => deadline,
            };
            if unit.clock >= deadline {
                if !unit.complete_await("wait") {
                    return (Poll::Pending, state); // the poll's budget is spent
                }
                if let WaitState::Until { .. } = state {
                    emit(unit, UnitEvent::WaitDone);
                }
                (Poll::Ready(()), WaitState::Until { deadline })
            } else {
                unit.requests.wake_at = unit.requests.wake_at.min(deadline);
                unit.requests.park = true;
                trail::leaf(Activity::Wait { until: deadline });
                if let WaitState::Start { ticks } = state {
                    emit(unit, UnitEvent::WaitStarted { ticks });
                }
                (Poll::Pending, WaitState::Until { deadline })
            }
        });
        self.0 = next;
        poll
    }
}
