//! The per-tick systems, grouped into the phases of [`TickPhase`], and the executor's resources.

mod movement;
mod phase;
mod run_queue;
mod stats;
mod think;
mod tick;
mod timers;

pub(crate) use movement::move_units;
pub use phase::TickPhase;
pub(crate) use run_queue::RunQueue;
pub use stats::ExecutorStats;
pub(crate) use think::poll_behaviors;
pub use tick::Tick;
pub(crate) use tick::advance_tick;
pub(crate) use timers::{Timers, wake_due_timers};
