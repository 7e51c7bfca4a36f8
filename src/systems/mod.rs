//! The per-tick systems, grouped into the phases of [`TickPhase`], and the executor's resources.

mod act;
mod executor;
mod lookouts;
mod movement;
mod phase;
mod radix;
mod report;
mod requests;
mod run_queue;
mod sense;
mod signals;
mod spatial_index;
mod stats;
mod think;
mod tick;
mod timers;
mod unit_index;

pub use crate::ground::{Recipient, Sighting, grid_distance};
pub(crate) use act::act;
pub use executor::Executor;
pub(crate) use lookouts::Lookouts;
pub use phase::TickPhase;
pub(crate) use report::emit_into_world;
pub use requests::Tallies;
pub(crate) use requests::apply_requests;
pub(crate) use run_queue::RunQueue;
pub(crate) use sense::begin_tick;
pub(crate) use signals::{Mailboxes, deliver};
pub use spatial_index::SpatialIndex;
pub use stats::ExecutorStats;
pub(crate) use think::think;
pub use tick::{Tick, TickSpan};
pub(crate) use timers::Timers;
pub use unit_index::UnitIndex;

/// Signals of one type a unit's mailbox keeps until a `receive` takes them: each type has a
/// queue of its own, so signals of one type never push out another's. A signal arriving at a
/// full queue drops that queue's oldest, which is counted in [`ExecutorStats::signals_dropped`]
/// and raised as a [`SignalDropped`](crate::events::UnitEvent::SignalDropped) event of the
/// recipient (the first drop of each queue is also a warning).
pub const MAILBOX_CAPACITY: usize = Mailboxes::CAPACITY;
