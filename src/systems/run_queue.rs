//! The run queue: the behaviours Think polls on the next tick.

use bevy_ecs::entity::Entity;

use crate::components::{Behavior, BehaviorState, UnitId};

/// Units whose behaviour is polled on the next tick: new behaviours, behaviours that did not
/// park, and parked ones a native system woke. Two buffers swapped each tick keep their capacity,
/// so a steady simulation never allocates here.
///
/// Think polls them in unit-id order (see [`RunQueue::sort_now`]), whatever order they were
/// woken in: what a poll sees of tickweave's own state never depends on the entity layout.
#[derive(Debug, Default)]
pub(crate) struct RunQueue {
    /// Being polled this tick.
    pub now: Vec<(UnitId, Entity)>,
    /// Polled on the next tick.
    pub next: Vec<(UnitId, Entity)>,
}

impl RunQueue {
    /// Schedules `entity` for the next tick (a duplicate entry is polled once).
    pub fn wake(&mut self, unit: UnitId, entity: Entity) {
        self.next.push((unit, entity));
    }

    /// Un-parks a parked behaviour: it is polled on the next tick (a paused one stays put; its
    /// resumption polls it).
    #[inline]
    pub fn unpark(&mut self, unit: UnitId, entity: Entity, behavior: &mut Behavior) {
        if behavior.state() == BehaviorState::Parked {
            behavior.set_state(BehaviorState::Running);
            self.next.push((unit, entity));
        }
    }

    /// Makes the next tick's queue this tick's, in unit-id order. The queue is mostly in order
    /// already (last tick's polls in order, then the units woken since), and the sort merges
    /// sorted runs in linear time.
    pub fn sort_now(&mut self) {
        std::mem::swap(&mut self.now, &mut self.next);
        self.now.sort();
    }
}
