//! Act: walk every unit that a parked `goto` or `patrol` handed to the movement system.

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::entity::Entity;
use bevy_ecs::system::{Query, ResMut};

use super::RunQueue;
use crate::components::{Behavior, Motion, Position};

/// Act: steps each walking unit one cell toward its target, and wakes its behaviour on the tick
/// it arrives so that the next tick's poll sees the arrival.
pub(crate) fn move_units(
    mut queue: ResMut<RunQueue>,
    mut units: Query<(Entity, &mut Position, &Motion, &mut Behavior)>,
) {
    for (entity, mut position, motion, mut behavior) in &mut units {
        let Some(target) = motion.target else {
            continue;
        };
        if position.0 == target {
            continue;
        }
        let stepped = position.step_toward(target);
        *position = stepped;
        if stepped.0 == target {
            queue.unpark(entity, behavior.bypass_change_detection());
        }
    }
}
