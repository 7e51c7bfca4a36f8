//! Shared helpers for the integration tests: build a simulation, step it, record positions.

#![allow(
    dead_code,
    reason = "each test binary uses its own subset of these helpers"
)]

use bevy_ecs::entity::Entity;
use tickweave::prelude::*;

/// The seed's table: x of u0 and u1 after 0..=30 ticks (y is 0 throughout).
pub const GAME_UNITS_U0: [i32; 31] = [
    0, -1, -2, -3, -4, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 4, 3, 2, 1, 0, -1, -2, -3, -4, -5, -4,
    -3, -2, -1, 0,
];
/// See [`GAME_UNITS_U0`].
pub const GAME_UNITS_U1: [i32; 31] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12,
];

/// The cell of `unit` at tick 0 and after each of `ticks` steps.
pub fn cells(sim: &mut Simulation, unit: Entity, ticks: u64) -> Vec<IVec2> {
    let mut cells = vec![sim.position(unit).expect("unit exists")];
    for _ in 0..ticks {
        sim.step();
        cells.push(sim.position(unit).expect("unit exists"));
    }
    cells
}

/// Cells on the x axis, for compact expectations.
pub fn on_x_axis(xs: &[i32]) -> Vec<IVec2> {
    xs.iter().map(|&x| ivec2(x, 0)).collect()
}
