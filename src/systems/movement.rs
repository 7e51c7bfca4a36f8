//! Act: walk every unit that a parked `goto` or `patrol` handed to the movement system.

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::entity::Entity;
use bevy_ecs::system::{Query, ResMut};

use super::RunQueue;
use crate::components::{Behavior, Motion, MotionMode, PatrolRoute, Position};

/// Act: steps each walking unit one cell toward its target. On arrival, a patrolling unit heads
/// for its next waypoint by itself; any other unit's behaviour is woken so that the next tick's
/// poll sees the arrival.
pub(crate) fn move_units(
    mut queue: ResMut<RunQueue>,
    mut units: Query<(
        Entity,
        &mut Position,
        &mut Motion,
        &mut PatrolRoute,
        &mut Behavior,
    )>,
) {
    for (entity, mut position, mut motion, mut patrol, mut behavior) in &mut units {
        if motion.mode == MotionMode::Idle {
            continue;
        }
        let target = motion.target;
        if position.0 == target {
            continue;
        }
        let stepped = position.step_toward(target);
        *position = stepped;
        if stepped.0 != target {
            continue;
        }
        // Arrived. A patrol turns here, as the patrol future would: the next tick walks the
        // next leg. Anything else wakes its behaviour.
        let motion = motion.bypass_change_detection();
        match motion.mode {
            MotionMode::PatrolPair => {
                motion.target = motion.after;
                motion.after = target;
            }
            MotionMode::PatrolRoute => {
                let patrol = patrol.bypass_change_detection();
                let route = patrol.route.as_ref().expect("patrolling needs a route");
                let waypoints = route.waypoints();
                let following = |index: u32| (index + 1) % waypoints.len() as u32;
                patrol.next = following(patrol.next);
                motion.target = motion.after;
                motion.after = waypoints[following(patrol.next) as usize];
            }
            MotionMode::Walk | MotionMode::Idle => {
                queue.unpark(entity, behavior.bypass_change_detection());
            }
        }
    }
}
