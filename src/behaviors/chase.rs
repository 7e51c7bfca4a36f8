//! `chase`: walk after another unit until adjacent to it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::sense::{Despawned, position_of};
use crate::components::{Activity, UnitId};
use crate::events::UnitEvent;
use crate::ground::grid_distance;
use crate::scope::emit;
use crate::scope::{context, trail};

/// Walks toward `target` one step per tick, re-aiming every tick at where it stood at the start
/// of the tick; completes with `Ok(())` on the first poll that finds the two adjacent (one step
/// apart, diagonals included, or on the same cell), or with `Err(Despawned)` on the first poll
/// after the target disappeared. Needs sensing.
///
/// # Panics
///
/// When polled with sensing off, or outside a behaviour's poll: a behaviour that does either
/// faults alone, with a message saying so.
///
/// The behaviour is polled every tick while chasing (the target moves).
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// sim.enable_sensing();
/// let prey = sim.spawn("prey", ivec2(5, 0), async {});
/// let prey_id = sim.unit_id(prey).unwrap();
/// let hunter = sim.spawn("hunter", ivec2(0, 0), async move {
///     chase(prey_id).await.expect("the prey stays");
/// });
/// sim.run(5);
/// assert_eq!(sim.position(hunter), Some(ivec2(4, 0)));
/// assert_eq!(sim.state(hunter), Some(BehaviorState::Finished));
/// ```
pub fn chase(target: UnitId) -> Chase {
    Chase {
        target,
        started: false,
    }
}

/// The future returned by [`chase`].
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chase {
    target: UnitId,
    /// A poll found the target out of reach and started the chase (raised `ChaseStarted`).
    started: bool,
}

impl Future for Chase {
    type Output = Result<(), Despawned>;

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        let Chase { target, started } = &mut *self;
        let target = *target;
        let there = position_of(target);
        context::with("chase", |unit| {
            let there = match there {
                Ok(there) => there,
                Err(despawned) => {
                    if !unit.complete_await("chase") {
                        return Poll::Pending; // the poll's budget is spent
                    }
                    emit(unit, UnitEvent::ChaseLost { target });
                    return Poll::Ready(Err(despawned));
                }
            };
            if grid_distance(unit.position, there) <= 1 {
                if !unit.complete_await("chase") {
                    return Poll::Pending; // the poll's budget is spent
                }
                emit(unit, UnitEvent::ChaseCaught { target });
                Poll::Ready(Ok(()))
            } else {
                unit.requests.move_target = Some(there);
                trail::leaf(Activity::Chase(target));
                if !*started {
                    *started = true;
                    emit(unit, UnitEvent::ChaseStarted { target });
                }
                Poll::Pending
            }
        })
    }
}
