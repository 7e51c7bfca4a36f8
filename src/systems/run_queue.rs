//! The run queue: the behaviours Think polls on the next tick.

use bevy_ecs::entity::Entity;

use super::radix;
use crate::components::{Behavior, BehaviorState, UnitId};

/// Units whose behaviour is polled on the next tick: new behaviours, behaviours that did not
/// park, and parked ones a native system woke.
///
/// Think polls them in unit-id order, whatever order they were woken in, so what a poll may see
/// of tickweave's own state never depends on the entity layout. Keeping that order costs little:
/// the behaviours that stay runnable are queued as they are polled, already in order, and only
/// those woken since are sorted (in linear time) and merged in. The buffers keep their capacity, so a steady
/// simulation never allocates here.
#[derive(Debug, Default)]
pub(crate) struct RunQueue {
    /// Being polled this tick, in unit-id order.
    pub now: Vec<(UnitId, Entity)>,
    /// Polled this tick and runnable on the next, in the order polled (unit-id order).
    still_running: Vec<(UnitId, Entity)>,
    /// Woken since the last Think (by a timer, a signal, a control, a new behaviour), any order.
    woken: Vec<(UnitId, Entity)>,
    /// Room for sorting `woken`.
    scratch: Vec<(UnitId, Entity)>,
}

impl RunQueue {
    /// Schedules `entity` for the next tick (a duplicate entry is polled once).
    pub fn wake(&mut self, unit: UnitId, entity: Entity) {
        self.woken.push((unit, entity));
    }

    /// Makes room for `more` wake-ups at once, before spawning many units.
    pub fn reserve(&mut self, more: usize) {
        self.woken.reserve(more);
    }

    /// Un-parks a parked behaviour: it is polled on the next tick (a paused one stays put; its
    /// resumption polls it).
    #[inline]
    pub fn unpark(&mut self, unit: UnitId, entity: Entity, behavior: &mut Behavior) {
        if behavior.state() == BehaviorState::Parked {
            behavior.set_state(BehaviorState::Running);
            self.woken.push((unit, entity));
        }
    }

    /// Keeps a unit Think just polled runnable for the next tick; Think polls in unit-id order,
    /// so these arrive in order.
    #[inline]
    pub fn keep_running(&mut self, unit: UnitId, entity: Entity) {
        self.still_running.push((unit, entity));
    }

    /// Whether any behaviour is queued for the next Think.
    pub fn is_empty(&self) -> bool {
        self.still_running.is_empty() && self.woken.is_empty()
    }

    /// Makes the queued behaviours this tick's, in unit-id order.
    pub fn start_tick(&mut self) {
        radix::sort_by_key(&mut self.woken, &mut self.scratch, |&(unit, _)| unit.0);
        self.now.clear();
        if self.still_running.is_empty() {
            // Nothing to merge (a crowd just spawned, or every other unit parked): the woken
            // become this tick's as they are, and no second buffer of their size is made.
            std::mem::swap(&mut self.now, &mut self.woken);
            return;
        }
        self.now
            .reserve(self.still_running.len() + self.woken.len());
        let (mut running, mut woken) = (self.still_running.iter(), self.woken.iter());
        let (mut next_running, mut next_woken) = (running.next(), woken.next());
        loop {
            let entry = match (next_running, next_woken) {
                (Some(a), Some(b)) if a <= b => {
                    next_running = running.next();
                    a
                }
                (_, Some(b)) => {
                    next_woken = woken.next();
                    b
                }
                (Some(a), None) => {
                    next_running = running.next();
                    a
                }
                (None, None) => break,
            };
            self.now.push(*entry);
        }
        self.still_running.clear();
        self.woken.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: u64) -> (UnitId, Entity) {
        let index = u32::try_from(id).expect("small ids") + 1;
        (
            UnitId(id),
            Entity::from_raw_u32(index).expect("a valid index"),
        )
    }

    #[test]
    fn a_tick_polls_the_running_and_the_woken_in_unit_id_order() {
        let mut queue = RunQueue::default();
        for id in [1, 4, 6] {
            let (id, entity) = unit(id);
            queue.keep_running(id, entity);
        }
        for id in [9, 0, 5, 4] {
            let (id, entity) = unit(id);
            queue.wake(id, entity);
        }
        queue.start_tick();
        let ids: Vec<u64> = queue.now.iter().map(|(id, _)| id.0).collect();
        assert_eq!(ids, [0, 1, 4, 4, 5, 6, 9]);
        assert!(queue.is_empty());
    }
}
