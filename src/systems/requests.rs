//! Act: apply what behaviours asked for beyond their own unit — signals, despawns, tallies,
//! writes to the game's data — in a stable order, whatever order the behaviours were polled in.

use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use bevy_platform::cell::SyncCell;
use std::collections::BTreeMap;

use super::emit_into_world;
use super::signals::{Envelope, deliver};
use super::{Executor, TickSpan, UnitIndex};
use crate::behaviors::ecs::WriteError;
use crate::components::UnitId;
use crate::events::UnitEvent;
use crate::ground::Recipient;

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
    requests: Vec<(UnitId, u32, Request)>,
}

impl Outbox {
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    pub fn push(&mut self, from: UnitId, request: Request) {
        let order = self.requests.len() as u32;
        self.requests.push((from, order, request));
    }
}

/// Named counts of what happened (e.g. `caught`, `escaped`), reported in the summary.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct Tallies {
    counts: BTreeMap<&'static str, u64>,
}

impl Tallies {
    /// The count for `name` (0 if never tallied).
    pub fn get(&self, name: &str) -> u64 {
        self.counts.get(name).copied().unwrap_or(0)
    }

    /// Every count, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.counts.iter().map(|(&name, &count)| (name, count))
    }

    pub(crate) fn add(&mut self, name: &'static str) {
        *self.counts.entry(name).or_default() += 1;
    }
}

/// Applies this tick's requests in (sender, order) order, reports the waypoints the movement
/// system's patrols turned at, then announces the endings Think saw (as messages and as events).
pub(crate) fn apply_requests(world: &mut World) {
    let mut executor = world.resource_mut::<Executor>();
    let mut requests = std::mem::take(&mut executor.outbox.requests);
    let mut finished = std::mem::take(&mut executor.finished);
    let mut reached = std::mem::take(&mut executor.waypoints_reached);
    requests.sort_unstable_by_key(|&(from, order, _)| (from, order));
    let span = world.resource::<TickSpan>().0.clone();
    let _tick_span = span.enter();
    for (from, _, request) in requests.drain(..) {
        match request {
            Request::Signal { to, envelope } => {
                let delivered = deliver(world, to, envelope);
                tracing::trace!(%from, %to, delivered, "signal delivered");
            }
            Request::Despawn { target, tally } => {
                if let Some(entity) = world.resource::<UnitIndex>().entity(target) {
                    world.despawn(entity);
                    emit_into_world(world, target, UnitEvent::Despawned { by: from });
                    if let Some(name) = tally {
                        world.resource_mut::<Tallies>().add(name);
                        emit_into_world(world, from, UnitEvent::Tally { name });
                    }
                }
            }
            Request::Tally(name) => {
                world.resource_mut::<Tallies>().add(name);
                emit_into_world(world, from, UnitEvent::Tally { name });
            }
            Request::Write(Write { op, of, apply }) => {
                if let Err(error) = SyncCell::to_inner(apply)(world) {
                    let event = UnitEvent::WriteFailed {
                        write: format!("{op} {of}").into(),
                        reason: error.to_string().into(),
                    };
                    emit_into_world(world, from, event);
                }
            }
        }
    }
    for (unit, index, cell) in reached.drain(..) {
        let index = usize::from(index);
        emit_into_world(world, unit, UnitEvent::WaypointReached { index, cell });
    }
    for event in finished.drain(..) {
        world.write_message(event.clone());
        world.trigger(event);
    }
    // Keep the buffers' capacity for the next tick.
    let mut executor = world.resource_mut::<Executor>();
    executor.outbox.requests = requests;
    executor.finished = finished;
    executor.waypoints_reached = reached;
}
