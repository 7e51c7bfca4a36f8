//! Act: walk every unit that a parked `goto` or `patrol` handed to the movement system.

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::system::Query;
use glam::IVec2;

use crate::components::{Motion, MotionMode, PatrolRoute, Position, same_cell};

/// Act: steps each walking unit one cell toward its target.
///
/// A walk (`goto`, `chase`) stops at its target; the behaviour that asked for it knows when
/// that is and is woken by its own timer. A patrol needs no poll at all: standing on its
/// waypoint at the start of Act, it turns to the next one and steps in the same tick — as the
/// patrol future would, so no tick is lost at a waypoint.
///
/// This loop visits every unit every tick, so it is shaped like the hand-written state machine
/// it competes with: internal iteration, a small body the compiler inlines (the rare turn on a
/// long route is out of line), cells compared as one value, no wake-up.
pub(crate) fn move_units(mut units: Query<(&mut Position, &mut Motion, &PatrolRoute)>) {
    units
        .iter_mut()
        .for_each(|(mut position, mut motion, patrol)| {
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
                        to = motion.after;
                        motion.after = motion.target;
                        motion.target = to;
                        motion.next ^= 1;
                    }
                    MotionMode::PatrolRoute => to = turn_on_route(motion, patrol),
                    MotionMode::Walk | MotionMode::Idle => return, // arrived: stand
                }
            }
            *position = Position(here).step_toward(to);
        });
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
