//! Sense: start a tick and build the snapshot behaviours read during it.

use bevy_ecs::entity::Entity;
use bevy_ecs::message::Messages;
use bevy_ecs::system::{Query, ResMut};

use super::{Executor, SpatialIndex, Tick, TickSpan};
use crate::components::{Behavior, Position, Team, UnitId};
use crate::ground::Sighting;
use crate::outcome::BehaviorFinished;

/// Sense: advances the tick counter, opens the tick's span, updates the message buffers, and,
/// if sensing is enabled, rebuilds the spatial index from every unit's cell and wakes the
/// parked behaviours whose look-out sees someone. One system, so that a tick's fixed cost stays
/// small.
pub(crate) fn begin_tick(
    mut executor: ResMut<Executor>,
    mut tick: ResMut<Tick>,
    mut span: ResMut<TickSpan>,
    mut finished: ResMut<Messages<BehaviorFinished>>,
    mut index: ResMut<SpatialIndex>,
    units: Query<(Entity, &UnitId, &Position, Option<&Team>)>,
    mut behaviors: Query<&mut Behavior>,
) {
    tick.0 += 1;
    executor.tick = tick.0;
    span.0 = tracing::debug_span!(target: "tickweave", "tick", tick = tick.0);
    if executor.update_messages {
        finished.update();
    }
    if !index.is_enabled() {
        return;
    }
    index.rebuild(|listing| {
        // `for_each` walks the query table by table; `extend` would step its iterator unit by
        // unit.
        units.iter().for_each(|(entity, &id, position, team)| {
            listing.push(Sighting {
                id,
                entity,
                position: position.0,
                team: team.copied(),
            });
        });
    });
    let Executor {
        lookouts,
        queue,
        tick,
        ..
    } = &mut *executor;
    if !lookouts.is_empty() {
        lookouts.wake_sighted(*tick, &index, queue, &mut behaviors);
    }
}
