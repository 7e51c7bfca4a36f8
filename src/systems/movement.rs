//! Act: walk every unit that a parked `goto` or `patrol` handed to the movement system.

use bevy_ecs::change_detection::{DetectChangesMut, Mut};
use bevy_ecs::query::QueryState;
use bevy_ecs::world::World;
use glam::IVec2;

use crate::components::{Behavior, Motion, Position, UnitId, same_cell};

/// What the movement system reads and writes of each unit: the same two columns as the
/// hand-written state machine.
pub(crate) type Walker = (&'static mut Position, &'static mut Motion);
/// The same with the unit's id and behaviour (which knows the route walked), to report the
/// waypoints reached.
pub(crate) type NamedWalker = (Walker, Option<&'static Behavior>, &'static UnitId);

/// Steps each walking unit one cell toward its target.
///
/// A walk (`goto`, `chase`) stops at its target; the behaviour that asked for it knows when
/// that is and is woken by its own timer. A two-waypoint patrol needs no poll at all: standing on
/// its waypoint at the start of Act, it turns to the other one and steps in the same tick — as
/// the patrol future would, so no tick is lost at a waypoint.
///
/// This loop visits every unit every tick, so it is shaped like the hand-written state machine
/// it competes with: internal iteration, a small body with the rare arrival out of line, cells
/// compared as one value, no wake-up.
#[inline(never)]
pub(crate) fn walk(units: &mut QueryState<Walker>, world: &mut World) {
    units
        .iter_mut(world)
        .for_each(|(mut position, mut motion)| {
            step_unit(&mut position, &mut motion, |motion, _| turn(motion));
        });
}

/// [`walk`] for when someone listens for events (a `DEBUG` subscriber, or the event log
/// recording): notes each waypoint a patrol reaches in `reached`.
#[inline(never)]
pub(crate) fn walk_reporting(
    units: &mut QueryState<NamedWalker>,
    world: &mut World,
    reached: &mut Vec<(UnitId, u16, IVec2)>,
) {
    units
        .iter_mut(world)
        .for_each(|((mut position, mut motion), behavior, &id)| {
            step_unit(&mut position, &mut motion, |motion, here| {
                let walked = behavior.and_then(|behavior| behavior.walked_patrol(motion));
                let index = walked.map(|walked| walked.next());
                let to = turn(motion);
                if let (Some(index), Some(_)) = (index, to) {
                    reached.push((id, index, here));
                }
                to
            });
        });
}

/// One unit's step. `arrive(motion, here)`, called when the unit stands on its target, returns
/// where it heads next, if anywhere.
#[inline(always)]
fn step_unit(
    position: &mut Mut<Position>,
    motion: &mut Mut<Motion>,
    arrive: impl FnOnce(&mut Motion, IVec2) -> Option<IVec2>,
) {
    if motion.is_idle() {
        return;
    }
    let here = position.0;
    let to = motion.target;
    if same_cell(here, to) {
        // Out of line, and stepping on its own, so that `to` above stays one load.
        if let Some(next) = arrive(motion.bypass_change_detection(), here) {
            **position = Position(here).step_toward(next);
        }
        return;
    }
    **position = Position(here).step_toward(to);
}

/// Standing on its target: a patrol turns to its other waypoint (returned); a walk stands.
#[inline(always)]
fn turn(motion: &mut Motion) -> Option<IVec2> {
    if motion.stops_at_target() {
        return None; // a walk's end
    }
    std::mem::swap(&mut motion.target, &mut motion.then);
    Some(motion.target)
}
