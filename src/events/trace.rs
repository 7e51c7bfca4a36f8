//! Reporting a transition to `tracing`: one callsite per kind, so that each carries its fields.

use tracing::debug;

use super::{TARGET, UnitEvent};
use crate::components::UnitId;

/// One `tracing` callsite per kind, so that each carries its own fields.
pub(crate) fn trace(unit: UnitId, event: &UnitEvent) {
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
        UnitEvent::SignalDropped {
            from,
            kind,
            sent_at,
        } => {
            debug!(target: TARGET, %unit, from = %from.map_or_else(|| "game".to_owned(), |from| from.to_string()), kind, sent_at,
                "signal dropped");
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
        UnitEvent::WriteFailed { write, reason } => {
            debug!(target: TARGET, %unit, %write, %reason, "write failed");
        }
        UnitEvent::BudgetExhausted { budget, yielded } => {
            debug!(target: TARGET, %unit, budget, yielded, "budget exhausted");
        }
        UnitEvent::BehaviorCompleted => debug!(target: TARGET, %unit, "behaviour completed"),
        UnitEvent::BehaviorFailed { message } => {
            debug!(target: TARGET, %unit, %message, "behaviour failed");
        }
        UnitEvent::BehaviorFaulted { message } => {
            debug!(target: TARGET, %unit, %message, "behaviour faulted");
        }
        UnitEvent::BehaviorCancelled { reason } => {
            debug!(target: TARGET, %unit, %reason, "behaviour cancelled");
        }
        UnitEvent::BehaviorReplaced => debug!(target: TARGET, %unit, "behaviour replaced"),
        UnitEvent::BehaviorRemoved => debug!(target: TARGET, %unit, "behaviour removed"),
        UnitEvent::BehaviorDespawned => debug!(target: TARGET, %unit, "behaviour despawned"),
        UnitEvent::Paused => debug!(target: TARGET, %unit, "paused"),
        UnitEvent::Resumed => debug!(target: TARGET, %unit, "resumed"),
        UnitEvent::Interrupted => debug!(target: TARGET, %unit, "interrupted"),
    }
}
