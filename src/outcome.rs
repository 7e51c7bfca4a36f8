//! How a behaviour ended, and the message and event that announce it.

use bevy_ecs::entity::Entity;
use bevy_ecs::event::EntityEvent;
use bevy_ecs::message::Message;
use bevy_ecs::world::World;
use std::borrow::Cow;
use std::fmt;

use crate::components::UnitId;
use crate::events::UnitEvent;
use crate::systems::{Executor, emit_into_world};

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
    /// Another `Behavior` was inserted over it (also by [`control::replace`]).
    ///
    /// [`control::replace`]: crate::control::replace
    Replaced,
    /// Its `Behavior` component was removed from the unit.
    Removed,
    /// Its unit was despawned.
    Despawned,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Completed => f.write_str("completed"),
            Outcome::Cancelled(reason) => write!(f, "cancelled: {reason}"),
            Outcome::Faulted(message) => write!(f, "faulted: {message}"),
            Outcome::Failed(message) => write!(f, "failed: {message}"),
            Outcome::Replaced => f.write_str("replaced"),
            Outcome::Removed => f.write_str("removed"),
            Outcome::Despawned => f.write_str("despawned"),
        }
    }
}

/// A unit's behaviour ended. Written as a [`Message`] (read it with a `MessageReader`) and
/// triggered as an [`EntityEvent`] on the unit (observe it with `On<BehaviorFinished>`).
///
/// A behaviour that ends in Think (completed, failed, faulted) is announced in that tick's Act;
/// one that the game ends — cancelled, replaced, removed, despawned — as soon as the command
/// that ends it is applied.
#[derive(Message, EntityEvent, Clone, Debug, PartialEq, Eq)]
pub struct BehaviorFinished {
    /// The unit's entity.
    pub entity: Entity,
    /// The unit's stable id.
    pub unit: UnitId,
    /// How it ended.
    pub outcome: Outcome,
}

impl Outcome {
    /// The unit event that reports an ending the game caused; `None` for the endings Think
    /// reports from the poll that saw them.
    fn game_event(&self) -> Option<UnitEvent> {
        match self {
            Outcome::Cancelled(reason) => Some(UnitEvent::BehaviorCancelled {
                reason: reason.clone(),
            }),
            Outcome::Replaced => Some(UnitEvent::BehaviorReplaced),
            Outcome::Removed => Some(UnitEvent::BehaviorRemoved),
            Outcome::Despawned => Some(UnitEvent::BehaviorDespawned),
            Outcome::Completed | Outcome::Failed(_) | Outcome::Faulted(_) => None,
        }
    }
}

/// Announces an ending: its unit event if the game caused it, then the message and the
/// observer event.
pub(crate) fn announce(world: &mut World, ending: BehaviorFinished) {
    if let Some(event) = ending.outcome.game_event() {
        emit_into_world(world, ending.unit, event);
    }
    world.write_message(ending.clone());
    world.trigger(ending);
}

/// Announces the endings that `Behavior`'s hooks recorded (a replacement, a removal, a
/// despawn): queued by the hook as a command, so that it runs once the change is complete.
pub(crate) fn announce_ended_by_hooks(world: &mut World) {
    let ended = std::mem::take(&mut world.resource_mut::<Executor>().ended);
    for ending in ended {
        announce(world, ending);
    }
}
