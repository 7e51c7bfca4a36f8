//! `wander`: walk to random cells of an area, pausing a little at each.

use glam::IVec2;
use rand::RngExt;

use crate::behaviors::{goto, label, next_tick, unit, wait};
use crate::ground::Area;

/// Forever: walk to a random cell of `area`, then stand there 0 to `max_pause` ticks.
///
/// The randomness comes from [`unit::rng`], so a seed reproduces every step. A round that
/// takes no time (the cell drawn is where the unit stands and the pause is 0) ends the tick, so
/// even a one-cell area cannot freeze a tick.
pub async fn wander(area: Area, max_pause: u64) {
    let mut rng = unit::rng();
    loop {
        let started = unit::tick();
        let cell = IVec2::new(
            rng.random_range(area.min.x..=area.max.x),
            rng.random_range(area.min.y..=area.max.y),
        );
        label("wander", async {
            goto(cell).await;
            wait(rng.random_range(0..=max_pause)).await;
        })
        .await;
        if unit::tick() == started && unit::position() == cell {
            next_tick().await;
        }
    }
}
