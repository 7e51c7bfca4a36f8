//! Act: apply what behaviours asked for beyond their own unit — signals, despawns, tallies,
//! writes to the game's data — in a stable order, whatever order the behaviours were polled in.

use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use bevy_platform::cell::SyncCell;
use std::collections::BTreeMap;

use super::emit_into_world;
use super::signals::deliver;
use super::{Executor, TickSpan, UnitIndex};
use crate::events::UnitEvent;
use crate::outcome::announce;
use crate::scope::{Request, Write};

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

/// Announces the endings Think saw (as messages and as events), then applies this tick's
/// requests in (sender, order) order and reports the waypoints the movement system's patrols
/// turned at.
pub(crate) fn apply_requests(world: &mut World) {
    let mut executor = world.resource_mut::<Executor>();
    let mut requests = std::mem::take(&mut executor.outbox.requests);
    let mut finished = std::mem::take(&mut executor.finished);
    let mut reached = std::mem::take(&mut executor.waypoints_reached);
    requests.sort_unstable_by_key(|&(from, order, _)| (from, order));
    let span = world.resource::<TickSpan>().0.clone();
    let _tick_span = span.enter();
    // The endings Think saw come first: they happened before anything Act does.
    for ending in finished.drain(..) {
        announce(world, ending);
    }
    for (from, _, request) in requests.drain(..) {
        match request {
            Request::Signal { to, envelope } => {
                let delivered = deliver(world, to, envelope);
                tracing::trace!(%from, %to, delivered, "signal delivered");
            }
            Request::Despawn { target, tally } => {
                if let Some(entity) = world.resource::<UnitIndex>().entity(target) {
                    // Announced before the despawn, which announces the end of its behaviour.
                    emit_into_world(world, target, UnitEvent::Despawned { by: from });
                    world.despawn(entity);
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
    // Keep the buffers' capacity for the next tick.
    let mut executor = world.resource_mut::<Executor>();
    executor.outbox.requests = requests;
    executor.finished = finished;
    executor.waypoints_reached = reached;
}
