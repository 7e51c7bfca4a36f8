//! Finding a unit's entity from its stable id.

use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::components::UnitId;

/// Every live unit's entity by [`UnitId`]; kept by the `UnitId` component's hooks.
#[derive(Resource, Debug, Default)]
pub struct UnitIndex {
    entities: HashMap<UnitId, Entity, BuildHasherDefault<IdHasher>>,
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

    /// Makes room for `more` units at once, before spawning many.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.entities.reserve(more);
    }

    pub(crate) fn remove(&mut self, id: UnitId) {
        self.entities.remove(&id);
    }
}

/// Hashes a unit id so that ids allocated one after another land in neighbouring buckets:
/// spawning a million units then writes the table in order instead of missing the cache on
/// every insert. The low bits are the id itself (they choose the bucket); the top seven,
/// which the table compares to tell apart keys in a bucket group, are mixed from the id.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        let mixed = self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (self.0 & (u64::MAX >> 7)) | (mixed & !(u64::MAX >> 7))
    }

    fn write_u64(&mut self, id: u64) {
        self.0 = id;
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` ids are hashed here; any other key still hashes deterministically.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }
}
