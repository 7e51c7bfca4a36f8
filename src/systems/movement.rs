//! Act: walk every unit that a parked `goto` or `patrol` handed to the movement system.

use bevy_ecs::change_detection::{DetectChangesMut, Mut};
use bevy_ecs::query::QueryState;
use bevy_ecs::world::World;
use glam::IVec2;

use crate::components::{Motion, MotionMode, PatrolRoute, Position, UnitId, same_cell};

/// What the movement system reads and writes of each unit.
pub(crate) type Walker = (
    &'static mut Position,
    &'static mut Motion,
    &'static PatrolRoute,
);
/// The same with the unit's id, to report events.
pub(crate) type NamedWalker = (Walker, &'static UnitId);

/// Steps each walking unit one cell toward its target.
///
/// A walk (`goto`, `chase`) stops at its target; the behaviour that asked for it knows when
/// that is and is woken by its own timer. A patrol needs no poll at all: standing on its
/// waypoint at the start of Act, it turns to the next one and steps in the same tick — as the
/// patrol future would, so no tick is lost at a waypoint.
///
/// This loop visits every unit every tick, so it is shaped like the hand-written state machine
/// it competes with: internal iteration, a small body with the rare arrival out of line, cells
/// compared as one value, no wake-up.
#[inline(never)]
pub(crate) fn walk(units: &mut QueryState<Walker>, world: &mut World) {
    units
        .iter_mut(world)
        .for_each(|(mut position, mut motion, route)| {
            step_unit(&mut position, &mut motion, |motion, _| {
                arrive(motion, route)
            });
        });
}

/// [`walk`] for when someone listens for events (a `DEBUG` subscriber, or the event log
/// recording): reads unit ids too, to note each waypoint reached in `reached`.
#[inline(never)]
pub(crate) fn walk_reporting(
    units: &mut QueryState<NamedWalker>,
    world: &mut World,
    reached: &mut Vec<(UnitId, u16, IVec2)>,
) {
    units
        .iter_mut(world)
        .for_each(|((mut position, mut motion, route), &id)| {
            step_unit(&mut position, &mut motion, |motion, here| {
                let index = motion.next;
                let to = arrive(motion, route);
                if to.is_some() {
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
    if motion.mode == MotionMode::Idle {
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

/// Standing on its target: a patrol turns toward its next waypoint (returned); a walk stands.
#[inline(never)]
fn arrive(motion: &mut Motion, patrol: &PatrolRoute) -> Option<IVec2> {
    match motion.mode {
        MotionMode::PatrolPair => {
            std::mem::swap(&mut motion.target, &mut motion.after);
            motion.next ^= 1;
            Some(motion.target)
        }
        MotionMode::PatrolRoute => Some(turn_on_route(motion, patrol)),
        MotionMode::Walk | MotionMode::Idle => None,
    }
}

/// Turns at a waypoint of a route of three or more: heads for the next waypoint, and looks up
/// the one after it.
#[cold]
#[inline(never)]
fn turn_on_route(motion: &mut Motion, patrol: &PatrolRoute) -> IVec2 {
    let waypoints = patrol
        .route
        .as_ref()
        .expect("patrolling needs a route")
        .waypoints();
    let following = |index: u16| {
        let index = index + 1;
        if usize::from(index) == waypoints.len() {
            0
        } else {
            index
        }
    };
    motion.next = following(motion.next);
    motion.target = motion.after;
    motion.after = waypoints[usize::from(following(motion.next))];
    motion.target
}
