//! What happened to each unit, tick by tick: the transitions a user cares about (a walk issued
//! or finished, a waypoint reached, a signal sent or received, a behaviour that ended…).
//!
//! Every transition is a `tracing` event (target `tickweave::events`, level `DEBUG`, inside the
//! `tick` and `poll` spans) and, while the [`EventLog`] records, an entry of the log.

mod emit;
mod log;
mod unit_event;

pub(crate) use emit::{emit, emit_at, emit_into_world, listening_with, recording_during_think};
pub use log::{EventLog, LoggedEvent};
pub use unit_event::UnitEvent;

/// The `tracing` target of every transition event.
pub const TARGET: &str = "tickweave::events";
