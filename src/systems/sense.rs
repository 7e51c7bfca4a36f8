//! Sense: start a tick and build the snapshot behaviours read during it.

use bevy_ecs::entity::Entity;
use bevy_ecs::message::Messages;
use bevy_ecs::system::{Local, Query, ResMut};

use super::{Executor, SpatialIndex, Tick, TickSpan};
use crate::components::{Position, Team, UnitId};
use crate::ground::Sighting;
use crate::outcome::BehaviorFinished;

/// Sense: advances the tick counter, opens the tick's span, updates the message buffers, and
/// rebuilds the spatial index
/// from every unit's cell if sensing is enabled. One system, so that a tick's fixed cost stays
/// small.
pub(crate) fn begin_tick(
    mut executor: ResMut<Executor>,
    mut tick: ResMut<Tick>,
    mut span: ResMut<TickSpan>,
    mut finished: ResMut<Messages<BehaviorFinished>>,
    mut index: ResMut<SpatialIndex>,
    units: Query<(Entity, &UnitId, &Position, Option<&Team>)>,
    mut scratch: Local<Vec<Sighting>>,
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
    scratch.clear();
    // `for_each` walks the query table by table; `extend` would step its iterator unit by unit.
    units.iter().for_each(|(entity, &id, position, team)| {
        scratch.push(Sighting {
            id,
            entity,
            position: position.0,
            team: team.copied(),
        });
    });
    index.rebuild(&mut scratch);
}
