//! Raising a transition: a `tracing` event, and an entry of the [`EventLog`] while it records.
//!
//! Behaviours raise events inside Think's hot loop, so the first thing [`emit`] does is ask
//! whether anyone listens — a `DEBUG` subscriber, or a log that records during this Think —
//! which costs two loads. Only then does it dispatch the event.

use bevy_ecs::world::World;
use std::cell::Cell;
use tracing::{Level, debug};

use super::{EventLog, TARGET, UnitEvent};
use crate::behaviors::{UnitContext, view};
use crate::components::UnitId;
use crate::systems::Tick;

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

/// Raises `event` for `unit` from code that owns the world (Act, controls from the game).
pub(crate) fn emit_into_world(world: &mut World, unit: UnitId, event: UnitEvent) {
    trace(unit, &event);
    let tick = world.get_resource::<Tick>().map_or(0, |tick| tick.0);
    if let Some(mut log) = world.get_resource_mut::<EventLog>() {
        log.push(tick, unit, event);
    }
}

/// One `tracing` callsite per kind, so that each carries its own fields.
fn trace(unit: UnitId, event: &UnitEvent) {
    match event {
        UnitEvent::GotoIssued { cell } => {
            debug!(target: TARGET, %unit, x = cell.x, y = cell.y, "goto issued");
        }
        UnitEvent::GotoArrived { cell } => {
            debug!(target: TARGET, %unit, x = cell.x, y = cell.y, "goto arrived");
        }
        UnitEvent::WaypointReached { index, cell } => {
            debug!(target: TARGET, %unit, index, x = cell.x, y = cell.y, "waypoint reached");
        }
        UnitEvent::WaitStarted { ticks } => {
            debug!(target: TARGET, %unit, ticks, "wait started");
        }
        UnitEvent::WaitDone => debug!(target: TARGET, %unit, "wait done"),
        UnitEvent::SignalSent { to, kind } => {
            debug!(target: TARGET, %unit, %to, kind, "signal sent");
        }
        UnitEvent::SignalReceived {
            from,
            kind,
            sent_at,
        } => {
            debug!(target: TARGET, %unit, from = %from.map_or_else(|| "game".to_owned(), |from| from.to_string()), kind, sent_at,
                "signal received");
        }
        UnitEvent::ChaseStarted { target } => {
            debug!(target: TARGET, %unit, %target, "chase started");
        }
        UnitEvent::ChaseCaught { target } => {
            debug!(target: TARGET, %unit, %target, "chase caught");
        }
        UnitEvent::ChaseLost { target } => {
            debug!(target: TARGET, %unit, %target, "chase lost");
        }
        UnitEvent::Despawned { by } => debug!(target: TARGET, %unit, %by, "despawned"),
        UnitEvent::Tally { name } => debug!(target: TARGET, %unit, name, "tally"),
        UnitEvent::BehaviorCompleted => debug!(target: TARGET, %unit, "behaviour completed"),
        UnitEvent::BehaviorCancelled { reason } => {
            debug!(target: TARGET, %unit, %reason, "behaviour cancelled");
        }
        UnitEvent::Paused => debug!(target: TARGET, %unit, "paused"),
        UnitEvent::Resumed => debug!(target: TARGET, %unit, "resumed"),
        UnitEvent::Interrupted => debug!(target: TARGET, %unit, "interrupted"),
    }
}
