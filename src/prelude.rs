//! Everything a behaviour author needs: `use tickweave::prelude::*;`.

pub use crate::behaviors::{Route, RouteError, goto, patrol, unit, wait};
pub use crate::components::{Behavior, BehaviorState, Position, UnitId, UnitName};
pub use crate::systems::TickPhase;
pub use crate::{Simulation, Tickweave, spawn_unit};
pub use glam::{IVec2, ivec2};
