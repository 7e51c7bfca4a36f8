//! Timers: wake parked behaviours whose `wait` is due.

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::system::{Query, Res, ResMut};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{RunQueue, Tick};
use crate::components::{Behavior, UnitId};

/// Pending wake-ups ordered by (tick, unit id): deterministic, whatever the entity order.
///
/// An entry is only a hint: it wakes the unit only if the behaviour still wants that tick (a
/// `wait` dropped by a race leaves a stale entry, skipped when it comes due).
#[derive(Resource, Debug, Default)]
pub(crate) struct Timers {
    due: BinaryHeap<Reverse<(u64, UnitId, Entity)>>,
}

impl Timers {
    pub fn schedule(&mut self, tick: u64, unit: UnitId, entity: Entity) {
        self.due.push(Reverse((tick, unit, entity)));
    }
}

/// Think, before polling: un-parks every behaviour whose timer is due this tick.
pub(crate) fn wake_due_timers(
    tick: Res<Tick>,
    mut timers: ResMut<Timers>,
    mut queue: ResMut<RunQueue>,
    mut behaviors: Query<&mut Behavior>,
) {
    while let Some(&Reverse((at, _, entity))) = timers.due.peek() {
        if at > tick.0 {
            break;
        }
        timers.due.pop();
        if let Ok(mut behavior) = behaviors.get_mut(entity) {
            let behavior = behavior.bypass_change_detection();
            if behavior.wake_at == at {
                queue.unpark(entity, behavior);
            }
        }
    }
}
