//! Spawning a unit: a name, a cell, and a behaviour.

use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use glam::IVec2;
use std::future::Future;

use crate::components::{Behavior, BehaviorOutput, Position, UnitName};

/// Spawns a unit into a world where tickweave is installed and returns its entity.
///
/// It gets the next [`UnitId`](crate::components::UnitId) and its behaviour is first polled on
/// the next tick. From a system, spawn the same components with `Commands`:
/// `(UnitName::from(name), Position(cell), Behavior::new(future))`.
pub fn spawn_unit(
    world: &mut World,
    name: impl Into<String>,
    position: IVec2,
    behavior: impl Future<Output: BehaviorOutput> + Send + 'static,
) -> Entity {
    world
        .spawn((
            UnitName::from(name.into()),
            Position(position),
            Behavior::new(behavior),
        ))
        .id()
}
