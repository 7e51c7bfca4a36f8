//! Sense: build the snapshot behaviours read this tick.

use bevy_ecs::entity::Entity;
use bevy_ecs::system::{Local, Query, ResMut};

use super::{Sighting, SpatialIndex};
use crate::components::{Position, Team, UnitId};

/// Sense: rebuilds the spatial index from every unit's cell, if sensing is enabled.
pub(crate) fn build_spatial_index(
    mut index: ResMut<SpatialIndex>,
    units: Query<(Entity, &UnitId, &Position, Option<&Team>)>,
    mut scratch: Local<Vec<Sighting>>,
) {
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
