//! Shared helpers for the integration tests: step a simulation and record positions, count
//! drops, read what a unit is doing.

#![allow(
    dead_code,
    reason = "each test binary uses its own subset of these helpers"
)]

use bevy_ecs::entity::Entity;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tickweave::components::Motion;
use tickweave::prelude::*;

/// Counts its drops, to prove a future is dropped exactly once.
pub struct DropCounter(pub Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// What `unit` is doing: its activity stack, with a patrol's live waypoint.
pub fn activity(sim: &Simulation, unit: Entity) -> String {
    let motion = sim.world().get::<Motion>(unit).unwrap();
    let stack = sim.activity(unit).unwrap();
    stack.with_motion(motion).to_string()
}

/// A unit that races a walk to (5, 0) against a two-tick wait, then walks to (0, 3), all under
/// the label `errand`.
pub fn spawn_errand(sim: &mut Simulation) -> Entity {
    sim.spawn(
        "u",
        ivec2(0, 0),
        label("errand", async {
            let _ = race(goto(ivec2(5, 0)), wait(2)).await;
            goto(ivec2(0, 3)).await;
        }),
    )
}

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
