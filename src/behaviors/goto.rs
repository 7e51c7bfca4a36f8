//! `goto`: walk to a cell, one step per tick, handing the walking to the movement system.

use glam::IVec2;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::events::UnitEvent;
use crate::ground::grid_distance;
use crate::scope::emit;
use crate::scope::{context, trail};

/// Walks the unit to `target`, one step per tick, and completes on the first poll that finds it
/// there.
///
/// A poll that finds the unit elsewhere asks the movement system to walk it and parks the
/// behaviour on a timer set for the tick after the arrival: no poll happens while it walks.
/// Polled first on tick `t` from `d` steps away, the unit stands on `target` at the end of tick
/// `t + d - 1` and the `goto` completes in the poll of tick `t + d` — so arriving costs one poll,
/// and whatever follows the `.await` runs in that same tick: a patrol loses no tick at a
/// waypoint. Already at `target`, it completes at once (unless the poll has already completed
/// [`POLL_BUDGET`](super::POLL_BUDGET) awaits: then it yields one tick).
///
/// A unit moved meanwhile by its own behaviour ([`unit::set_position`](crate::behaviors::unit::set_position))
/// or placed by the game ([`control::place`](crate::control::place)) is re-checked on the next
/// tick: on its target, the `goto` completes then; elsewhere, it walks on from there. A raw
/// write of its `Position` is noticed when the timer wakes it.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("u1", ivec2(0, 0), async { goto(ivec2(12, 0)).await });
/// sim.run(12);
/// assert_eq!(sim.position(unit), Some(ivec2(12, 0)));
/// assert_eq!(sim.state(unit), Some(BehaviorState::Parked)); // arrived; its timer fires on tick 13
/// sim.step();
/// assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
/// ```
pub fn goto(target: IVec2) -> Goto {
    Goto {
        target,
        issued: false,
    }
}

/// The future returned by [`goto`].
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Goto {
    target: IVec2,
    /// A poll found the unit elsewhere and started the walk (raised `GotoIssued`).
    issued: bool,
}

impl Goto {
    /// The cell this `goto` walks to.
    pub fn target(&self) -> IVec2 {
        self.target
    }
}

impl Future for Goto {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        let Goto { target, issued } = &mut *self;
        let target = *target;
        context::with("goto", |unit| {
            if unit.position == target {
                if !unit.complete_await("goto") {
                    return Poll::Pending; // the poll's budget is spent
                }
                if *issued {
                    emit(unit, UnitEvent::GotoArrived { cell: target });
                }
                return Poll::Ready(());
            }
            // The walk takes one tick per step, so the arrival tick is known now: a timer wakes
            // the behaviour for the tick after it, and the movement system only walks.
            let steps = u64::from(grid_distance(unit.position, target));
            unit.requests.move_target = Some(target);
            unit.requests.wake_at = unit.requests.wake_at.min(unit.clock + steps);
            unit.requests.park = true;
            trail::leaf(Activity::Goto(target));
            if !*issued {
                *issued = true;
                emit(unit, UnitEvent::GotoIssued { cell: target });
            }
            Poll::Pending
        })
    }
}
