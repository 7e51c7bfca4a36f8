//! Signals between units: mailboxes and delivery.
//!
//! Delivery is level-triggered: a signal waits in its recipient's mailbox until a `receive` of
//! its type takes it, so nothing is lost because nobody was waiting at that instant.

use bevy_ecs::change_detection::Mut;
use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use std::collections::{HashMap, VecDeque};

use super::{Executor, UnitIndex};
use crate::components::{Behavior, Team, UnitId};
use crate::ground::{Envelope, Recipient};

/// Every unit's undelivered-to-a-`receive` signals, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Mailboxes {
    by_unit: HashMap<Entity, VecDeque<Envelope>>,
}

impl Mailboxes {
    /// Signals a mailbox keeps; past this, the oldest is dropped (and counted, and logged).
    pub const CAPACITY: usize = 64;

    /// Takes the oldest signal of type `T` for `unit`.
    pub fn take<T: 'static>(&mut self, unit: Entity) -> Option<Envelope> {
        let mailbox = self.by_unit.get_mut(&unit)?;
        let index = mailbox
            .iter()
            .position(|envelope| envelope.payload.is::<T>())?;
        mailbox.remove(index)
    }

    /// Forgets a despawned unit's mailbox.
    pub fn remove(&mut self, unit: Entity) {
        self.by_unit.remove(&unit);
    }

    /// Puts a signal in `unit`'s mailbox; false if the oldest had to be dropped for room.
    fn post(&mut self, unit: Entity, envelope: Envelope) -> bool {
        let mailbox = self.by_unit.entry(unit).or_default();
        let full = mailbox.len() >= Self::CAPACITY;
        if full {
            mailbox.pop_front();
        }
        mailbox.push_back(envelope);
        !full
    }
}

/// Delivers one signal now: into each recipient's mailbox, waking recipients parked on a
/// `receive`. Returns how many units received it.
pub(crate) fn deliver(world: &mut World, to: Recipient, envelope: Envelope) -> usize {
    let mut recipients: Vec<(UnitId, Entity)> = match to {
        Recipient::Unit(id) => world
            .resource::<UnitIndex>()
            .entity(id)
            .map(|entity| (id, entity))
            .into_iter()
            .collect(),
        Recipient::Team(team) => world
            .query::<(Entity, &UnitId, &Team)>()
            .iter(world)
            .filter(|&(_, &id, &member)| member == team && Some(id) != envelope.from)
            .map(|(entity, &id, _)| (id, entity))
            .collect(),
        Recipient::Everyone => world
            .query::<(Entity, &UnitId)>()
            .iter(world)
            .filter(|&(_, &id)| Some(id) != envelope.from)
            .map(|(entity, &id)| (id, entity))
            .collect(),
    };
    // In unit-id order, not entity order: a full mailbox warns in the same order every run.
    recipients.sort_unstable();
    world.resource_scope(|world, mut executor: Mut<Executor>| {
        for &(unit, recipient) in &recipients {
            if !executor.mailboxes.post(recipient, envelope.clone()) {
                executor.stats.signals_dropped += 1;
                tracing::warn!(
                    ?recipient,
                    capacity = Mailboxes::CAPACITY,
                    "mailbox full: dropped its oldest signal"
                );
            }
            if let Some(mut behavior) = world.get_mut::<Behavior>(recipient)
                && behavior.awaits_signal
            {
                executor.queue.unpark(unit, recipient, &mut behavior);
            }
        }
    });
    recipients.len()
}
