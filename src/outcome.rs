//! How a behaviour ended, and the message and event that announce it.

use bevy_ecs::entity::Entity;
use bevy_ecs::event::EntityEvent;
use bevy_ecs::message::Message;
use std::borrow::Cow;
use std::fmt;

use crate::components::UnitId;

/// How a behaviour ended.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// Its future returned.
    Completed,
    /// The game cancelled it, for this reason.
    Cancelled(Cow<'static, str>),
    /// It panicked, with this message; it was dropped and the unit's other state kept.
    Faulted(Cow<'static, str>),
    /// It returned an `Err`, with this message (the error's `Display`).
    Failed(Cow<'static, str>),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Completed => f.write_str("completed"),
            Outcome::Cancelled(reason) => write!(f, "cancelled: {reason}"),
            Outcome::Faulted(message) => write!(f, "faulted: {message}"),
            Outcome::Failed(message) => write!(f, "failed: {message}"),
        }
    }
}

/// A unit's behaviour ended. Written as a [`Message`] (read it with a `MessageReader`) and
/// triggered as an [`EntityEvent`] on the unit (observe it with `On<BehaviorFinished>`).
///
/// A behaviour that completes in Think is announced at the end of that tick; a cancelled one
/// at once.
#[derive(Message, EntityEvent, Clone, Debug, PartialEq, Eq)]
pub struct BehaviorFinished {
    /// The unit's entity.
    pub entity: Entity,
    /// The unit's stable id.
    pub unit: UnitId,
    /// How it ended.
    pub outcome: Outcome,
}
