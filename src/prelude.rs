//! Everything a behaviour author needs: `use tickweave::prelude::*;`.

pub use crate::behaviors::ecs;
pub use crate::behaviors::{
    Despawned, Received, TimedOut, Winner, chase, despawn, despawn_and_tally, distance_to,
    enemy_in_sight, forever, goto, join, label, nearest, nearest_enemy, next_tick, patrol,
    position_of, race, receive, repeat, send, tally, timeout, unit, units_within, wait, wait_until,
};
pub use crate::components::{Behavior, BehaviorState, Position, Team, UnitId, UnitName};
pub use crate::control::ControlCommands;
pub use crate::ground::{Area, Recipient, Route, RouteError, Sighting, grid_distance};
pub use crate::systems::TickPhase;
pub use crate::{BehaviorFinished, Outcome, Simulation, Tickweave, spawn_unit};
pub use glam::{IVec2, ivec2};
