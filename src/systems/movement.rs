//! Act: walk every unit that a parked `goto` or `patrol` handed to the movement system.

use bevy_ecs::change_detection::{DetectChangesMut, Mut};
use bevy_ecs::system::{ParamSet, Query, ResMut};
use glam::IVec2;

use super::Executor;
use crate::components::{Motion, MotionMode, PatrolRoute, Position, UnitId, same_cell};

/// What the movement system reads and writes of each unit.
type Walker = (
    &'static mut Position,
    &'static mut Motion,
    &'static PatrolRoute,
);
/// The same with the unit's id, to report events.
type NamedWalker = (Walker, &'static UnitId);

/// Act: steps each walking unit one cell toward its target.
///
/// A walk (`goto`, `chase`) stops at its target; the behaviour that asked for it knows when
/// that is and is woken by its own timer. A patrol needs no poll at all: standing on its
/// waypoint at the start of Act, it turns to the next one and steps in the same tick — as the
/// patrol future would, so no tick is lost at a waypoint.
///
/// This loop visits every unit every tick, so it is shaped like the hand-written state machine
/// it competes with: internal iteration, a small body the compiler inlines (the rare turn on a
/// long route is out of line), cells compared as one value, no wake-up. Only when someone
/// listens for events (a `DEBUG` subscriber, or the event log recording) does it read unit ids,
/// to report each waypoint reached.
pub(crate) fn move_units(
    mut units: ParamSet<(Query<Walker>, Query<NamedWalker>)>,
    mut executor: ResMut<Executor>,
) {
    if !executor.listening {
        units
            .p0()
            .iter_mut()
            .for_each(|(mut position, mut motion, patrol)| {
                step_unit(&mut position, &mut motion, patrol, |_, _| {});
            });
        return;
    }
    // Someone listens: note each waypoint reached, for Act to report once the loop is done.
    let reached = &mut executor.waypoints_reached;
    units
        .p1()
        .iter_mut()
        .for_each(|((mut position, mut motion, patrol), &id)| {
            step_unit(&mut position, &mut motion, patrol, |index, cell| {
                reached.push((id, index, cell));
            });
        });
}

/// One unit's step; `reached(index, cell)` hears of each waypoint a patrol turns at.
#[inline(always)]
fn step_unit(
    position: &mut Mut<Position>,
    motion: &mut Mut<Motion>,
    patrol: &PatrolRoute,
    mut reached: impl FnMut(u16, IVec2),
) {
    let mode = motion.mode;
    if mode == MotionMode::Idle {
        return;
    }
    let here = position.0;
    let mut to = motion.target;
    if same_cell(here, to) {
        let motion = motion.bypass_change_detection();
        match mode {
            MotionMode::PatrolPair => {
                reached(motion.next, here);
                to = motion.after;
                motion.after = motion.target;
                motion.target = to;
                motion.next ^= 1;
            }
            MotionMode::PatrolRoute => {
                reached(motion.next, here);
                to = turn_on_route(motion, patrol);
            }
            MotionMode::Walk | MotionMode::Idle => return, // arrived: stand
        }
    }
    **position = Position(here).step_toward(to);
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
