//! Timers: when parked behaviours (a `wait`, a walking `goto`) must be woken.

use bevy_ecs::entity::Entity;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::components::UnitId;

/// One pending wake-up: its tick, and the unit it wakes.
type Entry = (u64, UnitId, Entity);

/// Pending wake-ups: a timing wheel of one bucket per tick for the next [`Timers::WHEEL`]
/// ticks, and a heap for the few set further ahead, which move into the wheel as their tick
/// comes near. Setting a timer and taking a due one cost a push and a walk over one bucket, where
/// a heap of every timer costs a sift through it (a dozen cache misses at 100,000 units).
///
/// The buckets are lists threaded through one shared pool of nodes, so memory follows the
/// number of timers, not the busiest bucket: the pool grows only when more timers wait than
/// ever before, and a steady simulation stops allocating here once it has.
///
/// The order in which a tick's timers are taken does not matter: Think polls the units they
/// wake in unit-id order.
///
/// An entry is only a hint: it wakes the unit only if the behaviour still wants that tick (a
/// `wait` dropped by a race, or a cancelled or despawned unit, leaves a stale entry, skipped
/// when it comes due). Stale entries are swept whenever the timers have doubled since the last
/// sweep, so churn cannot grow them without bound — but not while they are at most twice the
/// entries set in one tick: those are all wanted (a behaviour is polled at most once a tick), so
/// a crowd starting at once (a million units on the first tick) costs no sweep.
#[derive(Debug)]
pub(crate) struct Timers {
    /// `heads[at % WHEEL]` starts the list of the entries due at `at`, for `at` less than
    /// `WHEEL` ticks after the tick they were set on. Empty until the first timer is set, so that
    /// an empty `Timers` costs no allocation (Think lends the executor out every tick by swapping
    /// a default one in).
    heads: Vec<u32>,
    /// The nodes of every list.
    nodes: Vec<Node>,
    /// The nodes no list holds, to reuse last freed first: a stack of its own rather than a
    /// list through the nodes, so that taking one does not wait on reading it.
    free: Vec<u32>,
    /// Entries due `WHEEL` ticks or more after the tick they were set on.
    far: BinaryHeap<Reverse<Entry>>,
    /// Entries in the wheel and the heap, stale ones included.
    len: usize,
    sweep_at: usize,
    /// Entries scheduled by this tick's polls so far.
    scheduled: usize,
}

/// An entry of a bucket's list.
#[derive(Clone, Copy, Debug)]
struct Node {
    entry: Entry,
    next: u32,
}

/// The end of a list.
const NIL: u32 = u32::MAX;

impl Default for Timers {
    // (Not derived: a sweep is due only once the timers have grown.)
    fn default() -> Self {
        Timers {
            heads: Vec::new(),
            nodes: Vec::new(),
            free: Vec::new(),
            far: BinaryHeap::new(),
            len: 0,
            sweep_at: Self::MIN_SWEEP,
            scheduled: 0,
        }
    }
}

impl Timers {
    /// Ticks ahead the wheel covers.
    const WHEEL: u64 = 256;
    const MIN_SWEEP: usize = 1024;

    fn bucket(at: u64) -> usize {
        (at % Self::WHEEL) as usize
    }

    /// Wakes `entity` (unit `unit`) on tick `at`, set during tick `now` (`at` after `now`).
    pub fn schedule(&mut self, now: u64, at: u64, unit: UnitId, entity: Entity) {
        if at.saturating_sub(now) < Self::WHEEL {
            // (A tick already past would wait a whole turn: it is due on the next.)
            self.link(Self::bucket(at.max(now + 1)), (at, unit, entity));
        } else {
            self.far.push(Reverse((at, unit, entity)));
        }
        self.len += 1;
        self.scheduled += 1;
    }

    /// Adds `entry` to the list of `bucket`, reusing a free node if there is one.
    fn link(&mut self, bucket: usize, entry: Entry) {
        if self.heads.is_empty() {
            self.heads.resize(Self::WHEEL as usize, NIL);
        }
        let next = self.heads[bucket];
        let node = Node { entry, next };
        let index = match self.free.pop() {
            Some(index) => {
                self.nodes[index as usize] = node;
                index
            }
            None => {
                self.nodes.push(node);
                u32::try_from(self.nodes.len() - 1).expect("fewer than 2^32 timers")
            }
        };
        self.heads[bucket] = index;
    }

    /// Keeps the entries of `bucket`'s list that `keep` accepts; the others' nodes are freed.
    fn retain_bucket(&mut self, bucket: usize, mut keep: impl FnMut(Entry) -> bool) -> usize {
        let mut removed = 0;
        let mut kept = NIL;
        let mut at = self.heads[bucket];
        while at != NIL {
            let node = self.nodes[at as usize];
            if keep(node.entry) {
                self.nodes[at as usize].next = kept;
                kept = at;
            } else {
                self.free.push(at);
                removed += 1;
            }
            at = node.next;
        }
        self.heads[bucket] = kept;
        removed
    }

    /// This tick's polls are done: the entries they set are all wanted, so no sweep is due
    /// before the timers are twice their number.
    pub fn end_of_polls(&mut self) {
        self.sweep_at = self.sweep_at.max(2 * self.scheduled);
        self.scheduled = 0;
    }

    /// Whether a timer may be due on `tick`, or the timers want a sweep.
    #[inline]
    pub fn has_work(&self, tick: u64) -> bool {
        self.len >= self.sweep_at
            || self
                .heads
                .get(Self::bucket(tick))
                .is_some_and(|&head| head != NIL)
            || self
                .far
                .peek()
                .is_some_and(|&Reverse((at, _, _))| at <= tick)
    }

    /// How many entries are waiting, stale ones included.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Calls `wake` with every entry due on `tick`, and removes them. Call it on every tick
    /// [`has_work`](Self::has_work) says so.
    pub fn drain_due(&mut self, tick: u64, mut wake: impl FnMut(u64, UnitId, Entity)) {
        // Far entries whose tick has come near enough move into the wheel.
        while let Some(&Reverse(entry)) = self.far.peek() {
            if entry.0.saturating_sub(tick) >= Self::WHEEL {
                break;
            }
            self.far.pop();
            self.link(Self::bucket(entry.0.max(tick)), entry);
        }
        if self.heads.is_empty() {
            return; // no timer was ever set
        }
        let woken = self.retain_bucket(Self::bucket(tick), |(at, unit, entity)| {
            let due = at <= tick;
            if due {
                wake(at, unit, entity);
            }
            !due // an entry for a later turn of the wheel stays
        });
        self.len -= woken;
    }

    /// If the timers have doubled since the last sweep, keeps only the entries `is_live`
    /// accepts.
    #[inline]
    pub fn sweep_if_grown(&mut self, is_live: impl FnMut(Entity, u64) -> bool) {
        if self.len >= self.sweep_at {
            self.sweep(is_live);
        }
    }

    #[cold]
    fn sweep(&mut self, mut is_live: impl FnMut(Entity, u64) -> bool) {
        for bucket in 0..self.heads.len() {
            let removed = self.retain_bucket(bucket, |(at, _, entity)| is_live(entity, at));
            self.len -= removed;
        }
        let before = self.far.len();
        self.far
            .retain(|&Reverse((at, _, entity))| is_live(entity, at));
        self.len -= before - self.far.len();
        self.sweep_at = (self.len * 2).max(Self::MIN_SWEEP);
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
            let at = u64::from(index) + 1;
            timers.schedule(0, at, UnitId(u64::from(index)), entity(index));
        }
    }

    fn due(timers: &mut Timers, tick: u64) -> Vec<u64> {
        let mut woken = vec![];
        timers.drain_due(tick, |_, unit, _| woken.push(unit.0));
        woken.sort_unstable();
        woken
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
        assert_eq!((checked, timers.len()), (0, 10_000));
    }

    #[test]
    fn timers_doubled_since_their_last_sweep_keep_only_the_wanted_entries() {
        let mut timers = Timers::default();
        for tick in 0..10 {
            schedule(&mut timers, tick * 1_000..(tick + 1) * 1_000);
            timers.end_of_polls();
        }
        // Only the 4,000 behaviours with the lowest indices still want their entries.
        timers.sweep_if_grown(|entity, _| entity.index_u32() < 4_000);
        assert_eq!(timers.len(), 4_000);
        assert_eq!(due(&mut timers, 1), [0]);
    }

    #[test]
    fn each_entry_comes_due_on_its_tick_near_or_far() {
        let mut timers = Timers::default();
        let far = Timers::WHEEL * 3 + 5;
        for (unit, at) in [(0, 2), (1, far), (2, 2), (3, Timers::WHEEL + 2), (4, 3)] {
            timers.schedule(1, at, UnitId(unit), entity(unit as u32));
        }
        let mut seen = vec![];
        for tick in 2..=far {
            if timers.has_work(tick) {
                for unit in due(&mut timers, tick) {
                    seen.push((tick, unit));
                }
            }
        }
        assert_eq!(
            seen,
            [(2, 0), (2, 2), (3, 4), (Timers::WHEEL + 2, 3), (far, 1)]
        );
        assert_eq!(timers.len(), 0);
    }
}
