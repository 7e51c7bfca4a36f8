//! Signals between units: mailboxes and delivery.
//!
//! Delivery is level-triggered: a signal waits in its recipient's mailbox until a `receive` of
//! its type takes it, so nothing is lost because nobody was waiting at that instant. A mailbox
//! keeps one queue per signal type, so a flood of one type (a broadcast nobody reads) can never
//! push out a signal of another.

use bevy_ecs::change_detection::Mut;
use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use std::any::TypeId;
use std::collections::{HashMap, VecDeque};

use super::{Executor, UnitIndex, emit_into_world};
use crate::components::{Behavior, Team, UnitId};
use crate::events::UnitEvent;
use crate::ground::{Envelope, Recipient};

/// Every unit's signals not yet taken by a `receive`. Looked up by entity only, never iterated,
/// so the map's order cannot reach a result.
#[derive(Debug, Default)]
pub(crate) struct Mailboxes {
    by_unit: HashMap<Entity, Mailbox>,
}

/// One unit's mailbox: a queue per signal type, in the order the types first arrived. Queues
/// are kept when emptied, so a steady stream of signals allocates no queue.
#[derive(Debug, Default)]
struct Mailbox {
    queues: Vec<Queue>,
}

/// The signals of one type waiting for one unit, oldest first.
#[derive(Debug)]
struct Queue {
    kind: TypeId,
    signals: VecDeque<Envelope>,
    /// A signal was already dropped from it (and a warning logged).
    overflowed: bool,
}

/// A signal dropped to make room in a full queue.
pub(crate) struct Overflow {
    pub dropped: Envelope,
    /// The first signal this queue dropped.
    pub first: bool,
}

impl Mailboxes {
    /// Signals of one type a mailbox keeps; past this, the oldest of that type is dropped.
    pub const CAPACITY: usize = 64;

    /// Takes the oldest signal of type `T` for `unit`.
    pub fn take<T: 'static>(&mut self, unit: Entity) -> Option<Envelope> {
        let kind = TypeId::of::<T>();
        let mailbox = self.by_unit.get_mut(&unit)?;
        let queue = mailbox.queues.iter_mut().find(|queue| queue.kind == kind)?;
        queue.signals.pop_front()
    }

    /// Forgets a despawned unit's mailbox.
    pub fn remove(&mut self, unit: Entity) {
        self.by_unit.remove(&unit);
    }

    /// Puts a signal in `unit`'s mailbox, in the queue of its type; if that queue was full,
    /// drops its oldest signal for room and returns it.
    fn post(&mut self, unit: Entity, envelope: Envelope) -> Option<Overflow> {
        let kind = envelope.value_type();
        let queues = &mut self.by_unit.entry(unit).or_default().queues;
        let index = match queues.iter().position(|queue| queue.kind == kind) {
            Some(index) => index,
            None => {
                queues.push(Queue {
                    kind,
                    signals: VecDeque::new(),
                    overflowed: false,
                });
                queues.len() - 1
            }
        };
        let queue = &mut queues[index];
        let overflow = (queue.signals.len() >= Self::CAPACITY).then(|| {
            let first = !std::mem::replace(&mut queue.overflowed, true);
            let dropped = queue.signals.pop_front().expect("a full queue");
            Overflow { dropped, first }
        });
        queue.signals.push_back(envelope);
        overflow
    }
}

/// Delivers one signal now: into each recipient's mailbox, waking recipients parked on a
/// `receive`. Returns how many units received it.
///
/// A signal that a full queue drops is counted in `ExecutorStats::signals_dropped` and raised
/// as a `signal_dropped` event of the recipient; the first drop of each queue is also a warning.
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
    // In unit-id order, not entity order: drops are reported in the same order every run.
    recipients.sort_unstable();
    world.resource_scope(|world, mut executor: Mut<Executor>| {
        for &(unit, recipient) in &recipients {
            if let Some(overflow) = executor.mailboxes.post(recipient, envelope.clone()) {
                executor.stats.signals_dropped += 1;
                report_overflow(world, unit, overflow);
            }
            if let Some(mut behavior) = world.get_mut::<Behavior>(recipient)
                && behavior.awaits_signal()
            {
                executor.queue.unpark(unit, recipient, &mut behavior);
            }
        }
    });
    recipients.len()
}

/// Raises the event of a dropped signal, and warns the first time a queue drops one.
fn report_overflow(world: &mut World, unit: UnitId, overflow: Overflow) {
    let Overflow { dropped, first } = overflow;
    if first {
        tracing::warn!(
            %unit,
            kind = dropped.kind,
            capacity = Mailboxes::CAPACITY,
            "mailbox full for this signal type: dropped its oldest (the unit does not receive \
             them as fast as they come; warned once per unit and type)"
        );
    }
    let event = UnitEvent::SignalDropped {
        from: dropped.from,
        kind: dropped.kind,
        sent_at: dropped.sent_at,
    };
    emit_into_world(world, unit, event);
}
