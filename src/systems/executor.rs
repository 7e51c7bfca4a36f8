//! The executor's state: one resource, so that each system fetches it once per tick.

use bevy_ecs::resource::Resource;

use super::{ExecutorStats, Lookouts, Mailboxes, RunQueue, Timers};
use crate::components::UnitId;
use crate::outcome::BehaviorFinished;
use crate::scope::Outbox;
use glam::IVec2;

/// Everything the executor keeps between phases: the run queue, the timers, the mailboxes, the
/// requests waiting for Act, and its statistics.
///
/// One resource rather than several because a tick's fixed cost is dominated by each system
/// looking up each of its resources; the parts are internal, read [`Executor::stats`].
#[derive(Resource, Debug, Default)]
pub struct Executor {
    pub(crate) queue: RunQueue,
    pub(crate) timers: Timers,
    pub(crate) lookouts: Lookouts,
    pub(crate) mailboxes: Mailboxes,
    pub(crate) outbox: Outbox,
    /// Endings seen in Think, announced (message and event) in Act.
    pub(crate) finished: Vec<BehaviorFinished>,
    /// Endings the game caused through `Behavior`'s hooks (replaced, removed, despawned),
    /// announced by the command the hook queued.
    pub(crate) ended: Vec<BehaviorFinished>,
    pub(crate) stats: ExecutorStats,
    /// The current tick (a copy of [`Tick`](super::Tick), saving Think a lookup).
    pub(crate) tick: u64,
    /// The tick whose Think began last: a control applied now first changes the tick after.
    pub(crate) last_think: u64,
    /// Think has begun and Act has not finished: a control issued now is held until Act's end.
    pub(crate) mid_tick: bool,
    /// The controls held while `mid_tick`, in the order issued.
    pub(crate) held: Vec<crate::control::Held>,
    /// The simulation's seed, for `unit::rng`.
    pub(crate) seed: u64,
    /// How many threads Think polls on (0 counts as 1: the thread running it).
    pub(crate) threads: usize,
    /// The fewest runnable units a tick must have to be polled on more than one thread.
    pub(crate) parallel_from: usize,
    /// Sense updates the `BehaviorFinished` message buffers.
    pub(crate) update_messages: bool,
    /// Someone listens for events this tick (a `DEBUG` subscriber, or the event log records):
    /// set by Think, read by the movement system.
    pub(crate) listening: bool,
    /// Waypoints the movement system's patrols turned at this tick, reported by Act:
    /// (unit, index, cell).
    pub(crate) waypoints_reached: Vec<(UnitId, u16, IVec2)>,
}

impl Executor {
    /// What the executor has done so far.
    pub fn stats(&self) -> ExecutorStats {
        self.stats
    }

    /// The simulation's seed, from which every random number derives (see
    /// [`SimRng`](crate::SimRng) and [`unit::rng`](crate::behaviors::unit::rng)).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How many threads Think polls behaviours on (see
    /// [`Tickweave::threads`](crate::Tickweave::threads)).
    pub fn threads(&self) -> usize {
        self.threads.max(1)
    }

    /// Polls behaviours on `threads` threads from the next tick on (see
    /// [`Tickweave::threads`](crate::Tickweave::threads)).
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// Polls on several threads only ticks with at least `units` runnable units (see
    /// [`Tickweave::parallel_from`](crate::Tickweave::parallel_from)).
    pub fn set_parallel_from(&mut self, units: usize) {
        self.parallel_from = units;
    }

    /// Whether Act has requests or endings to apply.
    pub(crate) fn has_work_for_act(&self) -> bool {
        !self.outbox.is_empty() || !self.finished.is_empty() || !self.waypoints_reached.is_empty()
    }
}
