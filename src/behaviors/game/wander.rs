//! `wander`: walk to random cells of an area, pausing a little at each.

use glam::IVec2;
use rand::RngExt;

use crate::behaviors::{goto, label, next_tick, unit, wait};

/// A rectangle of cells, corners included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Area {
    /// The corner with the smallest coordinates.
    pub min: IVec2,
    /// The corner with the largest coordinates.
    pub max: IVec2,
}

impl Area {
    /// The area between two corners given in any order.
    pub fn new(a: IVec2, b: IVec2) -> Self {
        Area {
            min: a.min(b),
            max: a.max(b),
        }
    }

    /// Whether `cell` lies inside.
    pub fn contains(&self, cell: IVec2) -> bool {
        cell.cmpge(self.min).all() && cell.cmple(self.max).all()
    }
}

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
