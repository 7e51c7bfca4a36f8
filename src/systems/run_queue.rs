//! The run queue: the behaviours Think polls on the next tick.

use bevy_ecs::entity::Entity;

use crate::components::{Behavior, BehaviorState};

/// Entities whose behaviour is polled on the next tick: new behaviours, behaviours that did not
/// park, and parked ones a native system woke. Two buffers swapped each tick keep their capacity,
/// so a steady simulation never allocates here.
#[derive(Debug, Default)]
pub(crate) struct RunQueue {
    /// Being polled this tick.
    pub now: Vec<Entity>,
    /// Polled on the next tick.
    pub next: Vec<Entity>,
}

impl RunQueue {
    /// Schedules `entity` for the next tick (a duplicate entry is polled once).
    pub fn wake(&mut self, entity: Entity) {
        self.next.push(entity);
    }

    /// Un-parks a parked behaviour: it is polled on the next tick (a paused one stays put; its
    /// resumption polls it).
    #[inline]
    pub fn unpark(&mut self, entity: Entity, behavior: &mut Behavior) {
        if behavior.state() == BehaviorState::Parked {
            behavior.set_state(BehaviorState::Running);
            self.next.push(entity);
        }
    }
}
