//! What happened to each unit, tick by tick: the transitions a user cares about (a walk issued
//! or finished, a waypoint reached, a signal sent or received, a behaviour that ended…).
//!
//! Every transition is a `tracing` event (target `tickweave::events`, level `DEBUG`, inside the
//! `tick` and `poll` spans) and, while the [`EventLog`] records, an entry of the log. This module
//! is plain data; behaviours raise events through the poll scope, systems from the world.

mod log;
mod trace;
mod unit_event;

pub use log::{EventLog, LoggedEvent};
pub(crate) use trace::trace;
pub use unit_event::UnitEvent;

/// The `tracing` target of every transition event.
pub const TARGET: &str = "tickweave::events";
