//! The run queue: the behaviours Think polls on the next tick.

use bevy_ecs::entity::Entity;
use std::cmp::Ordering;

use super::radix;
use crate::components::{Behavior, BehaviorState, UnitId};

/// Units whose behaviour is polled on the next tick: new behaviours, behaviours that did not
/// park, and parked ones a native system woke.
///
/// Think polls them in unit-id order, whatever order they were woken in, so what a poll may see
/// of tickweave's own state never depends on the entity layout. Keeping that order costs little:
/// the behaviours that stay runnable are queued as they are polled, already in order, and only
/// those woken since are sorted (in linear time) and merged in. A unit woken twice is then next
/// to itself, and queued once. The buffers keep their capacity, so a steady simulation never
/// allocates here.
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
    /// Room was reserved for a batch of wake-ups (a crowd spawned at once): given back when the
    /// tick that polls them ends.
    batch: bool,
}

impl RunQueue {
    /// Schedules `entity` for the next tick (a duplicate entry is polled once).
    pub fn wake(&mut self, unit: UnitId, entity: Entity) {
        self.woken.push((unit, entity));
    }

    /// Makes room for `more` wake-ups at once, before spawning many units. The room is given
    /// back at the end of the tick that polls them (see [`end_tick`](Self::end_tick)).
    pub fn reserve(&mut self, more: usize) {
        self.woken.reserve(more);
        self.batch |= more > 0;
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

    /// Makes the queued behaviours this tick's, in unit-id order, each once.
    pub fn start_tick(&mut self) {
        radix::sort_by_key(&mut self.woken, &mut self.scratch, |&(unit, _)| unit.0);
        // The woken may hold a unit twice; the still running never do (each was polled once).
        self.woken.dedup();
        self.now.clear();
        if self.still_running.is_empty() {
            // Nothing to merge (a crowd just spawned, or every other unit parked): the woken
            // become this tick's as they are, and no second buffer of their size is made.
            std::mem::swap(&mut self.now, &mut self.woken);
            return;
        }
        self.now
            .reserve(self.still_running.len() + self.woken.len());
        let (running, woken) = (&self.still_running[..], &self.woken[..]);
        let (mut r, mut w) = (0, 0);
        while let (Some(&a), Some(&b)) = (running.get(r), woken.get(w)) {
            match a.cmp(&b) {
                Ordering::Less => {
                    self.now.push(a);
                    r += 1;
                }
                Ordering::Equal => {
                    // Running and woken too: once.
                    self.now.push(a);
                    r += 1;
                    w += 1;
                }
                Ordering::Greater => {
                    self.now.push(b);
                    w += 1;
                }
            }
        }
        self.now.extend_from_slice(&running[r..]);
        self.now.extend_from_slice(&woken[w..]);
        self.still_running.clear();
        self.woken.clear();
    }

    /// Takes back `now`, the tick's queue Think took out of [`Self::now`], once it is done.
    ///
    /// The buffers keep their capacity from tick to tick, so that a steady simulation (bursts
    /// of wake-ups included) allocates nothing here; but room reserved for a batch is the size
    /// of a crowd spawned at once, which every unit parking at once would leave unused for good
    /// (16 bytes a unit). It is given back now, and the buffers grow again as later ticks need.
    pub fn end_tick(&mut self, mut now: Vec<(UnitId, Entity)>) {
        now.clear();
        if std::mem::take(&mut self.batch) {
            now = Vec::new();
            self.woken.shrink_to_fit();
        }
        self.now = now;
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
        assert_eq!(ids, [0, 1, 4, 5, 6, 9]);
        // Woken twice, polled once, with nothing to merge with too.
        for id in [3, 2, 3] {
            let (id, entity) = unit(id);
            queue.wake(id, entity);
        }
        queue.start_tick();
        let ids: Vec<u64> = queue.now.iter().map(|(id, _)| id.0).collect();
        assert_eq!(ids, [2, 3]);
        assert!(queue.is_empty());
    }

    /// Think's part: takes the tick's queue out, polls it, gives it back.
    fn tick(queue: &mut RunQueue) -> usize {
        queue.start_tick();
        let now = std::mem::take(&mut queue.now);
        let polled = now.len();
        queue.end_tick(now);
        polled
    }

    #[test]
    fn room_reserved_for_a_crowd_is_given_back_and_a_burst_keeps_its_room() {
        let mut queue = RunQueue::default();
        queue.reserve(10_000);
        for id in 0..10 {
            let (id, entity) = unit(id);
            queue.wake(id, entity);
        }
        assert_eq!(tick(&mut queue), 10);
        assert!(queue.now.capacity() + queue.woken.capacity() < 100);
        // Bursts without a reservation: once grown, the buffers are reused as they are.
        let burst = |queue: &mut RunQueue| {
            for id in 0..1_000 {
                let (id, entity) = unit(id);
                queue.wake(id, entity);
            }
            tick(queue)
        };
        burst(&mut queue);
        burst(&mut queue);
        let room = (queue.now.as_ptr(), queue.woken.as_ptr());
        for _ in 0..3 {
            assert_eq!(burst(&mut queue), 1_000);
            assert_eq!((queue.woken.as_ptr(), queue.now.as_ptr()), room);
            assert_eq!(burst(&mut queue), 1_000);
            assert_eq!((queue.now.as_ptr(), queue.woken.as_ptr()), room);
        }
    }
}
