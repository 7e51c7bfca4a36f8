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
/// sweep, so churn cannot grow it without bound.
#[derive(Debug)]
pub(crate) struct Timers {
    due: BinaryHeap<Reverse<(u64, UnitId, Entity)>>,
    sweep_at: usize,
}

impl Default for Timers {
    // (Not derived: a sweep is due only once the heap has grown.)
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

    /// Removes and returns the earliest entry due at or before `tick`, in (tick, unit id) order.
    pub fn pop_due(&mut self, tick: u64) -> Option<(u64, Entity)> {
        let &Reverse((at, _, entity)) = self.due.peek()?;
        if at > tick {
            return None;
        }
        self.due.pop();
        Some((at, entity))
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
