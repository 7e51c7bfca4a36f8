//! Timers: when parked behaviours (a `wait`, a walking `goto`) must be woken.

use bevy_ecs::entity::Entity;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::components::UnitId;

/// Pending wake-ups ordered by (tick, unit id): deterministic, whatever the entity order.
///
/// An entry is only a hint: it wakes the unit only if the behaviour still wants that tick (a
/// `wait` dropped by a race, or a cancelled or despawned unit, leaves a stale entry, skipped
/// when it comes due). Stale entries are swept whenever the heap has doubled since the last
/// sweep, so churn cannot grow it without bound — but not while it is at most twice the entries
/// set in one tick: those are all wanted (a behaviour is polled at most once a tick), so a crowd
/// starting at once (a million units on the first tick) costs no sweep.
#[derive(Debug)]
pub(crate) struct Timers {
    due: BinaryHeap<Reverse<(u64, UnitId, Entity)>>,
    sweep_at: usize,
    /// Entries scheduled by this tick's polls so far.
    scheduled: usize,
}

impl Default for Timers {
    // (Not derived: a sweep is due only once the heap has grown.)
    fn default() -> Self {
        Timers {
            due: BinaryHeap::new(),
            sweep_at: Self::MIN_SWEEP,
            scheduled: 0,
        }
    }
}

impl Timers {
    const MIN_SWEEP: usize = 1024;

    pub fn schedule(&mut self, tick: u64, unit: UnitId, entity: Entity) {
        self.due.push(Reverse((tick, unit, entity)));
        self.scheduled += 1;
    }

    /// Makes room for `additional` more entries.
    pub fn reserve(&mut self, additional: usize) {
        self.due.reserve(additional);
    }

    /// This tick's polls are done: the entries they set are all wanted, so no sweep is due
    /// before the heap is twice their number.
    pub fn end_of_polls(&mut self) {
        self.sweep_at = self.sweep_at.max(2 * self.scheduled);
        self.scheduled = 0;
    }

    /// Whether a timer is due at or before `tick`, or the heap wants a sweep.
    #[inline]
    pub fn has_work(&self, tick: u64) -> bool {
        self.due.len() >= self.sweep_at
            || self
                .due
                .peek()
                .is_some_and(|&Reverse((at, _, _))| at <= tick)
    }

    /// How many entries are waiting, stale ones included.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.due.len()
    }

    /// Removes and returns the earliest entry due at or before `tick`, in (tick, unit id) order.
    pub fn pop_due(&mut self, tick: u64) -> Option<(u64, UnitId, Entity)> {
        let &Reverse(entry) = self.due.peek()?;
        if entry.0 > tick {
            return None;
        }
        self.due.pop();
        Some(entry)
    }

    /// If the heap has doubled since the last sweep, keeps only the entries `is_live` accepts.
    #[inline]
    pub fn sweep_if_grown(&mut self, is_live: impl FnMut(Entity, u64) -> bool) {
        if self.due.len() >= self.sweep_at {
            self.sweep(is_live);
        }
    }

    #[cold]
    fn sweep(&mut self, mut is_live: impl FnMut(Entity, u64) -> bool) {
        {
            self.due
                .retain(|&Reverse((at, _, entity))| is_live(entity, at));
            self.sweep_at = (self.due.len() * 2).max(Self::MIN_SWEEP);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(index: u32) -> Entity {
        Entity::from_raw_u32(index).expect("a valid index")
    }

    fn schedule(timers: &mut Timers, indices: std::ops::Range<u32>) {
        for index in indices {
            timers.schedule(u64::from(index), UnitId(u64::from(index)), entity(index));
        }
    }

    #[test]
    fn a_crowd_of_timers_set_in_one_tick_is_not_swept() {
        let mut timers = Timers::default();
        schedule(&mut timers, 0..10_000);
        timers.end_of_polls();
        let mut checked = 0;
        timers.sweep_if_grown(|_, _| {
            checked += 1;
            true
        });
        assert_eq!((checked, timers.due.len()), (0, 10_000));
    }

    #[test]
    fn a_heap_that_doubled_since_its_last_sweep_keeps_only_the_wanted_entries() {
        let mut timers = Timers::default();
        for tick in 0..10 {
            schedule(&mut timers, tick * 1_000..(tick + 1) * 1_000);
            timers.end_of_polls();
        }
        // Only the 4,000 behaviours with the lowest indices still want their entries.
        timers.sweep_if_grown(|entity, _| entity.index_u32() < 4_000);
        assert_eq!(timers.due.len(), 4_000);
        assert_eq!(timers.pop_due(0), Some((0, UnitId(0), entity(0))));
    }
}
