//! `next_tick`: yield until the next tick.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::scope::{budget, trail};

/// Completes on the poll after its first: the code after `.await` runs on the next tick.
///
/// The behaviour stays in the run queue (it is not parked), so it costs one poll per tick.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("u", ivec2(0, 0), async {
///     next_tick().await;         // polled on tick 1, resumes on tick 2
///     unit::set_position(ivec2(0, 5));
/// });
/// sim.step();
/// assert_eq!(sim.position(unit), Some(ivec2(0, 0)));
/// sim.step();
/// assert_eq!(sim.position(unit), Some(ivec2(0, 5)));
/// ```
pub fn next_tick() -> NextTick {
    NextTick { yielded: false }
}

/// The future returned by [`next_tick`].
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Clone, Copy, Debug)]
pub struct NextTick {
    yielded: bool,
}

impl Future for NextTick {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            if budget::complete_await("next_tick") {
                Poll::Ready(())
            } else {
                Poll::Pending // the poll's budget is spent
            }
        } else {
            self.yielded = true;
            trail::leaf(Activity::NextTick);
            Poll::Pending
        }
    }
}
