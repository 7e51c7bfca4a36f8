//! Raising a transition from inside Think: a `tracing` event, and an entry of the event log while
//! it records.
//!
//! Behaviours raise events inside Think's hot loop, so the first thing [`emit`] does is ask
//! whether anyone listens — a `DEBUG` subscriber, or a log that records during this Think —
//! which costs two loads. Only then does it dispatch the event.

use std::cell::Cell;
use tracing::Level;

use super::{UnitContext, view};
use crate::components::UnitId;
use crate::events::{EventLog, UnitEvent, trace};

thread_local! {
    /// Whether the event log of the Think running on this thread records.
    static RECORDING: Cell<bool> = const { Cell::new(false) };
}

/// Marks the log of the Think about to run on this thread as recording (or not) until the
/// guard is dropped.
pub(crate) fn recording_during_think(recording: bool) -> RecordingGuard {
    RECORDING.set(recording);
    RecordingGuard
}

/// Whether the event log of the Think running on this thread records.
pub(crate) fn recording() -> bool {
    RECORDING.get()
}

/// Sets the mark of [`recording_during_think`] back to what [`recording`] said.
pub(crate) fn set_recording(recording: bool) {
    RECORDING.set(recording);
}

/// Clears the mark of [`recording_during_think`] (also when a poll panics).
pub(crate) struct RecordingGuard;

impl Drop for RecordingGuard {
    fn drop(&mut self) {
        RECORDING.set(false);
    }
}

/// Whether an event raised during Think would go anywhere.
#[inline]
fn listening() -> bool {
    tracing::level_enabled!(Level::DEBUG) || RECORDING.get()
}

/// Raises `event` for the unit being polled, on the tick of the poll; call it from inside the
/// poll's `context::with`, which gives the unit.
#[inline]
pub(crate) fn emit(unit: &UnitContext, event: UnitEvent) {
    emit_at(unit.tick, unit.id, event);
}

/// Raises `event` for `unit` on `tick`, from Think (in a poll or between polls).
#[inline]
pub(crate) fn emit_at(tick: u64, unit: UnitId, event: UnitEvent) {
    if listening() {
        dispatch(tick, unit, event);
    }
}

/// Raises `event` for `unit` on `tick` into `log`, from Think between polls, where no tick view
/// is installed.
pub(crate) fn emit_into(log: &mut EventLog, tick: u64, unit: UnitId, event: UnitEvent) {
    if listening_with(log) {
        trace(unit, &event);
        log.push(tick, unit, event);
    }
}

#[inline(never)]
fn dispatch(tick: u64, unit: UnitId, event: UnitEvent) {
    trace(unit, &event);
    view::try_with(|view| view.log.push(tick, unit, event));
}

/// Whether an event raised now would go anywhere, for a system that holds the log.
#[inline]
pub(crate) fn listening_with(log: &EventLog) -> bool {
    tracing::level_enabled!(Level::DEBUG) || log.is_recording()
}
