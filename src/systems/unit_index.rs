//! Finding a unit's entity from its stable id.

use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use std::collections::HashMap;

use crate::components::UnitId;

/// Every live unit's entity by [`UnitId`]; kept by the `UnitId` component's hooks.
#[derive(Resource, Debug, Default)]
pub struct UnitIndex {
    entities: HashMap<UnitId, Entity>,
}

impl UnitIndex {
    /// The entity of a live unit.
    pub fn entity(&self, id: UnitId) -> Option<Entity> {
        self.entities.get(&id).copied()
    }

    /// How many units are alive.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// True if no unit is alive.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    pub(crate) fn insert(&mut self, id: UnitId, entity: Entity) {
        self.entities.insert(id, entity);
    }

    pub(crate) fn remove(&mut self, id: UnitId) {
        self.entities.remove(&id);
    }
}
