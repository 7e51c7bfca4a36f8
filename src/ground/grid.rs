//! Cells and distances on the integer grid, and a unit as sensing sees it.

use bevy_ecs::entity::Entity;
use glam::IVec2;

use crate::components::{Team, UnitId};

/// A unit as sensing sees it: where it stood at the start of the tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sighting {
    /// Its stable id.
    pub id: UnitId,
    /// Its entity.
    pub entity: Entity,
    /// Its cell at the start of the tick.
    pub position: IVec2,
    /// Its team, if it has one.
    pub team: Option<Team>,
}

/// The number of steps between two cells when a step may be diagonal (Chebyshev distance).
pub fn grid_distance(a: IVec2, b: IVec2) -> u32 {
    let d = (a.as_i64vec2() - b.as_i64vec2()).abs();
    d.x.max(d.y).min(u32::MAX as i64) as u32
}
