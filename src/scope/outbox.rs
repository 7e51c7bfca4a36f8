//! The outbox: what behaviours ask for beyond their own unit during Think — signals, despawns,
//! tallies, writes to the game's data — kept for Act to apply in a stable order.

use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use bevy_platform::cell::SyncCell;
use std::fmt;

use crate::components::UnitId;
use crate::ground::{Envelope, Recipient};

/// Something a behaviour asked for during Think.
#[derive(Debug)]
pub(crate) enum Request {
    Signal {
        to: Recipient,
        envelope: Envelope,
    },
    Despawn {
        target: UnitId,
        tally: Option<&'static str>,
    },
    Tally(&'static str),
    /// A command of `ecs`: a change to the game's components, resources, messages or entities.
    Write(Write),
}

/// Applies a write to the world, once.
pub(crate) type ApplyWrite = Box<dyn FnOnce(&mut World) -> Result<(), WriteError> + Send>;

/// A change a behaviour asked for, applied to the world in Act.
pub(crate) struct Write {
    /// What it does, e.g. `modify`.
    pub op: &'static str,
    /// To what, e.g. `Ore`.
    pub of: &'static str,
    /// Applies it (isolating a panic) and answers whoever awaits it. (In a `SyncCell`: the
    /// outbox lives in a resource, which must be `Sync`; the change is only ever called once.)
    pub apply: SyncCell<ApplyWrite>,
}

impl std::fmt::Debug for Write {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Write({} {})", self.op, self.of)
    }
}

/// Requests made during Think, applied in Act ordered by (sender's unit id, order of asking).
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    pub(crate) requests: Vec<(UnitId, u32, Request)>,
}

impl Outbox {
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    pub fn push(&mut self, from: UnitId, request: Request) {
        let order = self.requests.len() as u32;
        self.requests.push((from, order, request));
    }

    /// Moves `later`'s requests after these, as if they had been asked for after them.
    pub fn append(&mut self, later: &mut Outbox) {
        let base = self.requests.len() as u32;
        self.requests.extend(
            later
                .requests
                .drain(..)
                .map(|(from, order, request)| (from, base + order, request)),
        );
    }
}

/// Why Act could not apply a write.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WriteError {
    /// The entity was gone by Act: despawned before the tick, or by a write applied before this
    /// one (a lower unit id's, or an earlier one of the same unit).
    EntityGone(Entity),
    /// The entity had no such component to modify.
    NoComponent {
        /// The entity written.
        entity: Entity,
        /// The component's type name, e.g. `Ore`.
        component: &'static str,
    },
    /// The world had no such resource to modify, or no such message type registered.
    NoResource {
        /// The resource's type name, e.g. `Stockpile`, or `Messages<Alarm>`.
        resource: &'static str,
    },
    /// The change panicked, with this message; the rest of the tick went on.
    Panicked(String),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::EntityGone(entity) => write!(f, "entity {entity} no longer exists"),
            WriteError::NoComponent { entity, component } => {
                write!(f, "entity {entity} has no {component}")
            }
            WriteError::NoResource { resource } => write!(
                f,
                "there is no {resource} resource (insert or register it before the first tick)"
            ),
            WriteError::Panicked(message) => write!(f, "the change panicked: {message}"),
        }
    }
}

impl std::error::Error for WriteError {}
