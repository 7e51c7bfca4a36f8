//! `UnitEvent`: one transition in a unit's life.

use glam::IVec2;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

use crate::components::UnitId;
use crate::ground::Recipient;

/// Something that happened to a unit: what its behaviour started, finished or noticed, or what
/// the game did to it.
///
/// Events raised by a behaviour carry the tick of the poll that raised them, which is the tick on
/// which the behaviour *notices*: a `goto` that puts the unit on its target on tick `t` reports
/// [`GotoArrived`](Self::GotoArrived) on tick `t + 1`, when the code after the `.await` runs.
///
/// Serialized (with serde) as an object whose `"event"` is the variant's snake_case name, e.g.
/// `{"event":"waypoint_reached","index":1,"cell":[5,0]}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnitEvent {
    /// A `goto` started walking to `cell`.
    GotoIssued {
        /// Where it walks.
        cell: IVec2,
    },
    /// A `goto` that had walked found its unit on `cell` and completed.
    GotoArrived {
        /// Where it arrived.
        cell: IVec2,
    },
    /// A patrol reached waypoint `index` and set off for the next.
    WaypointReached {
        /// The waypoint's index in the route.
        index: usize,
        /// The waypoint.
        cell: IVec2,
    },
    /// A `wait` of `ticks` ticks started.
    WaitStarted {
        /// How long it waits.
        ticks: u64,
    },
    /// A `wait` that had started completed.
    WaitDone,
    /// The unit sent a signal of type `kind` (its short name).
    SignalSent {
        /// Its recipient.
        #[serde(serialize_with = "as_display")]
        to: Recipient,
        /// The signal's type, e.g. `Alarm`.
        kind: &'static str,
    },
    /// A `receive` took a signal of type `kind` from the unit's mailbox.
    SignalReceived {
        /// The sending unit; `None` if the game sent it.
        from: Option<UnitId>,
        /// The signal's type, e.g. `Alarm`.
        kind: &'static str,
        /// The tick it was sent on.
        sent_at: u64,
    },
    /// The unit's mailbox already held
    /// [`MAILBOX_CAPACITY`](crate::systems::MAILBOX_CAPACITY) signals of type `kind`, so the
    /// oldest of them was dropped to make room for a new one (and counted in
    /// [`ExecutorStats::signals_dropped`](crate::systems::ExecutorStats::signals_dropped)).
    SignalDropped {
        /// The dropped signal's sender; `None` if the game sent it.
        from: Option<UnitId>,
        /// The signal's type, e.g. `Alarm`.
        kind: &'static str,
        /// The tick the dropped signal was sent on.
        sent_at: u64,
    },
    /// A `chase` of `target` started.
    ChaseStarted {
        /// The unit chased.
        target: UnitId,
    },
    /// A `chase` found its unit next to `target` and completed.
    ChaseCaught {
        /// The unit chased.
        target: UnitId,
    },
    /// A `chase` ended because `target` no longer exists.
    ChaseLost {
        /// The unit chased.
        target: UnitId,
    },
    /// The unit was despawned at the request of unit `by`.
    Despawned {
        /// The unit that asked.
        by: UnitId,
    },
    /// The unit added one to the count named `name` (see
    /// [`Tallies`](crate::systems::Tallies)).
    Tally {
        /// The count's name.
        name: &'static str,
    },
    /// A write the unit's behaviour asked for (a command of [`ecs`](crate::behaviors::ecs))
    /// could not be applied in Act, e.g. because the entity it named was gone by then.
    WriteFailed {
        /// What was asked, e.g. `modify Ore`.
        write: Cow<'static, str>,
        /// Why it failed.
        reason: Cow<'static, str>,
    },
    /// A poll of the unit's behaviour completed [`POLL_BUDGET`](crate::behaviors::POLL_BUDGET)
    /// awaits without yielding, so the next await, of kind `yielded` (e.g. `wait`), yielded
    /// until the next tick instead. Raised once per behaviour, on the first such poll (each one
    /// is counted in [`ExecutorStats::budget_yields`](crate::systems::ExecutorStats)).
    BudgetExhausted {
        /// The awaits a poll may complete.
        budget: u32,
        /// The kind of await that yielded, e.g. `wait`, `goto` or `race`.
        yielded: &'static str,
    },
    /// The unit's behaviour returned.
    BehaviorCompleted,
    /// The unit's behaviour returned an `Err` with this message.
    BehaviorFailed {
        /// The error's message.
        message: Cow<'static, str>,
    },
    /// The unit's behaviour panicked (or a destructor it ran did) and was dropped.
    BehaviorFaulted {
        /// The panic's message.
        message: Cow<'static, str>,
    },
    /// The game cancelled the unit's behaviour.
    BehaviorCancelled {
        /// Why.
        reason: Cow<'static, str>,
    },
    /// Another behaviour was inserted over the unit's running one.
    BehaviorReplaced,
    /// The unit's running behaviour was removed from it.
    BehaviorRemoved,
    /// The unit was despawned while its behaviour ran.
    BehaviorDespawned,
    /// The game paused the unit.
    Paused,
    /// The game resumed the paused unit.
    Resumed,
    /// The game pre-empted the unit's behaviour with an interrupt (such as a stun).
    Interrupted,
}

impl UnitEvent {
    /// The variant's snake_case name, as in the serialized `"event"` field.
    pub fn name(&self) -> &'static str {
        match self {
            UnitEvent::GotoIssued { .. } => "goto_issued",
            UnitEvent::GotoArrived { .. } => "goto_arrived",
            UnitEvent::WaypointReached { .. } => "waypoint_reached",
            UnitEvent::WaitStarted { .. } => "wait_started",
            UnitEvent::WaitDone => "wait_done",
            UnitEvent::SignalSent { .. } => "signal_sent",
            UnitEvent::SignalReceived { .. } => "signal_received",
            UnitEvent::SignalDropped { .. } => "signal_dropped",
            UnitEvent::ChaseStarted { .. } => "chase_started",
            UnitEvent::ChaseCaught { .. } => "chase_caught",
            UnitEvent::ChaseLost { .. } => "chase_lost",
            UnitEvent::Despawned { .. } => "despawned",
            UnitEvent::Tally { .. } => "tally",
            UnitEvent::WriteFailed { .. } => "write_failed",
            UnitEvent::BudgetExhausted { .. } => "budget_exhausted",
            UnitEvent::BehaviorCompleted => "behavior_completed",
            UnitEvent::BehaviorFailed { .. } => "behavior_failed",
            UnitEvent::BehaviorFaulted { .. } => "behavior_faulted",
            UnitEvent::BehaviorCancelled { .. } => "behavior_cancelled",
            UnitEvent::BehaviorReplaced => "behavior_replaced",
            UnitEvent::BehaviorRemoved => "behavior_removed",
            UnitEvent::BehaviorDespawned => "behavior_despawned",
            UnitEvent::Paused => "paused",
            UnitEvent::Resumed => "resumed",
            UnitEvent::Interrupted => "interrupted",
        }
    }
}

/// A sentence fragment, e.g. `reached waypoint 1 at (5,0)`.
impl fmt::Display for UnitEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitEvent::GotoIssued { cell } => write!(f, "walks to ({},{})", cell.x, cell.y),
            UnitEvent::GotoArrived { cell } => write!(f, "arrived at ({},{})", cell.x, cell.y),
            UnitEvent::WaypointReached { index, cell } => {
                write!(f, "reached waypoint {index} at ({},{})", cell.x, cell.y)
            }
            UnitEvent::WaitStarted { ticks } => write!(f, "waits {ticks} ticks"),
            UnitEvent::WaitDone => f.write_str("done waiting"),
            UnitEvent::SignalSent { to, kind } => write!(f, "sent {kind} to {to}"),
            UnitEvent::SignalReceived {
                from,
                kind,
                sent_at,
            } => {
                write!(f, "received {kind} from ")?;
                match from {
                    Some(unit) => write!(f, "{unit}")?,
                    None => f.write_str("the game")?,
                }
                write!(f, " (sent on tick {sent_at})")
            }
            UnitEvent::SignalDropped {
                from,
                kind,
                sent_at,
            } => {
                write!(f, "dropped the oldest {kind} of a full mailbox, from ")?;
                match from {
                    Some(unit) => write!(f, "{unit}")?,
                    None => f.write_str("the game")?,
                }
                write!(f, " (sent on tick {sent_at})")
            }
            UnitEvent::ChaseStarted { target } => write!(f, "chases {target}"),
            UnitEvent::ChaseCaught { target } => write!(f, "caught up with {target}"),
            UnitEvent::ChaseLost { target } => write!(f, "lost {target}: it is gone"),
            UnitEvent::Despawned { by } => write!(f, "despawned by {by}"),
            UnitEvent::Tally { name } => write!(f, "tallied {name}"),
            UnitEvent::WriteFailed { write, reason } => write!(f, "could not {write}: {reason}"),
            UnitEvent::BudgetExhausted { budget, yielded } => write!(
                f,
                "completed {budget} awaits in one poll: a `{yielded}` yielded until the next tick"
            ),
            UnitEvent::BehaviorCompleted => f.write_str("behaviour completed"),
            UnitEvent::BehaviorFailed { message } => write!(f, "behaviour failed: {message}"),
            UnitEvent::BehaviorFaulted { message } => write!(f, "behaviour faulted: {message}"),
            UnitEvent::BehaviorCancelled { reason } => write!(f, "behaviour cancelled: {reason}"),
            UnitEvent::BehaviorReplaced => f.write_str("behaviour replaced"),
            UnitEvent::BehaviorRemoved => f.write_str("behaviour removed"),
            UnitEvent::BehaviorDespawned => f.write_str("behaviour ended: unit despawned"),
            UnitEvent::Paused => f.write_str("paused"),
            UnitEvent::Resumed => f.write_str("resumed"),
            UnitEvent::Interrupted => f.write_str("interrupted"),
        }
    }
}

fn as_display<S: serde::Serializer>(value: &impl fmt::Display, to: S) -> Result<S::Ok, S::Error> {
    to.collect_str(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::Team;

    #[test]
    fn display_reads_as_a_sentence_fragment() {
        let cases = [
            (
                UnitEvent::WaypointReached {
                    index: 1,
                    cell: IVec2::new(5, 0),
                },
                "reached waypoint 1 at (5,0)",
            ),
            (
                UnitEvent::SignalSent {
                    to: Recipient::Team(Team(1)),
                    kind: "Alarm",
                },
                "sent Alarm to team 1",
            ),
            (
                UnitEvent::SignalReceived {
                    from: None,
                    kind: "Alarm",
                    sent_at: 4,
                },
                "received Alarm from the game (sent on tick 4)",
            ),
            (
                UnitEvent::BehaviorCancelled {
                    reason: "out of ammo".into(),
                },
                "behaviour cancelled: out of ammo",
            ),
        ];
        for (event, text) in cases {
            assert_eq!(event.to_string(), text);
        }
    }
}
