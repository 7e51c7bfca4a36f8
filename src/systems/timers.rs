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
/// `wait` dropped by a race, or a cancelled or despawned unit, leaves a stale entry, skipped
/// when it comes due). Stale entries are swept whenever the heap has doubled since the last
/// sweep, so churn cannot grow it without bound.
#[derive(Resource, Debug)]
pub(crate) struct Timers {
    due: BinaryHeap<Reverse<(u64, UnitId, Entity)>>,
    sweep_at: usize,
}

impl Default for Timers {
    fn default() -> Self {
        Timers {
            due: BinaryHeap::new(),
            sweep_at: Self::MIN_SWEEP,
        }
    }
}

impl Timers {
    const MIN_SWEEP: usize = 1024;

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
    if timers.due.len() >= timers.sweep_at {
        timers.due.retain(|&Reverse((at, _, entity))| {
            behaviors
                .get(entity)
                .is_ok_and(|behavior| behavior.wake_at == at)
        });
        timers.sweep_at = (timers.due.len() * 2).max(Timers::MIN_SWEEP);
    }
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
