//! `wait_until`: wait for a condition, re-checked once per tick.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::scope::{context, trail};

/// Completes on the first poll at which `condition()` is true — at once if it already is.
///
/// The condition runs inside the poll, so it may read the unit (`unit::position()`), sense
/// others (`nearest`, `units_within`) and read the game's components and resources
/// ([`ecs::get`](super::ecs::get), [`ecs::resource`](super::ecs::resource), …), as they stood
/// when Think began. It is re-checked once per tick: the behaviour is not parked while it waits,
/// so each tick costs a poll (a few hundred instructions, see BENCHMARKS.md) plus the
/// condition's reads. Prefer `wait`, `receive` or a signal from the game system that makes the
/// change when many units wait long.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("u", ivec2(0, 0), async {
///     wait_until(|| unit::tick() >= 3).await;
///     goto(ivec2(1, 0)).await;
/// });
/// sim.run(2);
/// assert_eq!(sim.position(unit), Some(ivec2(0, 0)));
/// sim.step(); // tick 3: the condition holds, and the goto steps in the same tick
/// assert_eq!(sim.position(unit), Some(ivec2(1, 0)));
/// ```
///
/// Waiting on the game's data:
///
/// ```
/// # use bevy_ecs::prelude::*;
/// # use tickweave::prelude::*;
/// #[derive(Resource)]
/// struct Gate { open: bool }
///
/// let mut sim = Simulation::new(0);
/// sim.world_mut().insert_resource(Gate { open: false });
/// let unit = sim.spawn("u", ivec2(0, 0), async {
///     wait_until(|| ecs::with_resource(|gate: &Gate| gate.open) == Ok(true)).await;
///     goto(ivec2(1, 0)).await;
/// });
/// sim.run(2);
/// sim.world_mut().resource_mut::<Gate>().open = true; // the game opens it between ticks
/// sim.step(); // tick 3 reads it open, and steps
/// assert_eq!(sim.position(unit), Some(ivec2(1, 0)));
/// ```
pub fn wait_until<F: FnMut() -> bool>(condition: F) -> WaitUntil<F> {
    WaitUntil { condition }
}

/// The future returned by [`wait_until`].
#[must_use = "futures do nothing unless you .await or poll them"]
pub struct WaitUntil<F> {
    condition: F,
}

impl<F> std::fmt::Debug for WaitUntil<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitUntil").finish_non_exhaustive()
    }
}

impl<F: FnMut() -> bool + Unpin> Future for WaitUntil<F> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        // Outside a poll the condition could not read its unit: say so before it tries.
        context::with("wait_until", |_| ());
        if (self.condition)() {
            if context::with("wait_until", |unit| unit.complete_await("wait_until")) {
                Poll::Ready(())
            } else {
                Poll::Pending // the poll's budget is spent
            }
        } else {
            trail::leaf(Activity::WaitUntil);
            Poll::Pending
        }
    }
}
