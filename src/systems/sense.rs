//! Sense: start a tick and build the snapshot behaviours read during it.

use bevy_ecs::entity::Entity;
use bevy_ecs::message::Messages;
use bevy_ecs::system::{Local, Query, Res, ResMut};

use super::{Executor, Sighting, SpatialIndex, Tick};
use crate::components::{Position, Team, UnitId};
use crate::outcome::BehaviorFinished;

/// Sense: advances the tick counter, updates the message buffers, and rebuilds the spatial index
/// from every unit's cell if sensing is enabled. One system, so that a tick's fixed cost stays
/// small.
pub(crate) fn begin_tick(
    executor: Res<Executor>,
    mut tick: ResMut<Tick>,
    mut finished: ResMut<Messages<BehaviorFinished>>,
    mut index: ResMut<SpatialIndex>,
    units: Query<(Entity, &UnitId, &Position, Option<&Team>)>,
    mut scratch: Local<Vec<Sighting>>,
) {
    tick.0 += 1;
    if executor.update_messages {
        finished.update();
    }
    if !index.is_enabled() {
        return;
    }
    scratch.clear();
    scratch.extend(units.iter().map(|(entity, &id, position, team)| Sighting {
        id,
        entity,
        position: position.0,
        team: team.copied(),
    }));
    index.rebuild(&mut scratch);
}
