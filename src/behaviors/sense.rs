//! Sensing: other units as they stood at the start of the tick, from the spatial index.

use glam::IVec2;
use std::fmt;

use crate::components::{Team, UnitId};
use crate::ground::{Sighting, grid_distance};
use crate::scope::context;
use crate::systems::SpatialIndex;

/// The unit a function named no longer exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Despawned {
    /// The unit that is gone.
    pub unit: UnitId,
}

impl fmt::Display for Despawned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unit {} no longer exists", self.unit)
    }
}

impl std::error::Error for Despawned {}

fn sensing<R>(caller: &'static str, query: impl FnOnce(&SpatialIndex) -> R) -> R {
    context::with_index(caller, |index| {
        let Some(index) = index.filter(|index| index.is_enabled()) else {
            panic!(
                "`{caller}` needs sensing, which is off in this simulation: turn it on with \
                 `Simulation::enable_sensing()` or `Tickweave::new().sensing(true)` (scenario \
                 files turn it on when a behaviour needs it)"
            )
        };
        query(index)
    })
}

/// The nearest other unit within `radius` steps (diagonal steps count 1) that `filter` accepts,
/// as it stood at the start of the tick; ties go to the lower unit id.
///
/// Its cost follows the number of units near the caller, not the number of units: it looks
/// outward from the caller and stops once nothing further out can be nearer, so `filter` is
/// asked only about units that would be the nearest so far, not about every unit in reach.
///
/// # Panics
///
/// Outside a behaviour's poll, or with sensing off (turn it on with
/// `Simulation::enable_sensing` or `Tickweave::sensing`): a behaviour that does either faults
/// alone, with a message saying so.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// sim.enable_sensing();
/// sim.spawn_in_team("scout", Team(1), ivec2(4, 3), async {});
/// sim.spawn_in_team("guard", Team(0), ivec2(0, 0), async {
///     let me = unit::team();
///     let scout = nearest(|other| other.team != me, 5).expect("4 steps away");
///     goto(scout.position).await;
/// });
/// sim.run(4);
/// assert_eq!(sim.units()[1].position, ivec2(4, 3));
/// ```
pub fn nearest(mut filter: impl FnMut(&Sighting) -> bool, radius: u32) -> Option<Sighting> {
    let (me, here) = context::with("nearest", |unit| (unit.entity, unit.position));
    sensing("nearest", |index| {
        index.nearest(here, radius, |other| other.entity != me && filter(other))
    })
}

/// The nearest unit within `radius` steps whose team is not `team` (with `team` `None`, the
/// nearest unit of any team), as it stood at the start of the tick; ties go to the lower unit
/// id.
///
/// The same unit as `nearest(|other| other.team != team, radius)`, but the units of `team` are
/// never read: a unit looking for enemies in a crowd of its own team costs what the enemies
/// near it do.
///
/// # Panics
///
/// Outside a behaviour's poll, or with sensing off (turn it on with
/// `Simulation::enable_sensing` or `Tickweave::sensing`): a behaviour that does either faults
/// alone, with a message saying so.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// sim.enable_sensing();
/// sim.spawn_in_team("friend", Team(0), ivec2(1, 0), async {});
/// sim.spawn_in_team("scout", Team(1), ivec2(3, 3), async {});
/// sim.spawn_in_team("guard", Team(0), ivec2(0, 0), async {
///     let scout = nearest_enemy(unit::team(), 5).expect("3 steps away");
///     goto(scout.position).await;
/// });
/// sim.run(4);
/// assert_eq!(sim.units()[2].position, ivec2(3, 3));
/// ```
pub fn nearest_enemy(team: Option<Team>, radius: u32) -> Option<Sighting> {
    let (me, here) = context::with("nearest_enemy", |unit| (unit.entity, unit.position));
    sensing("nearest_enemy", |index| {
        index.nearest_not_in(team, here, radius, |other| other.entity != me)
    })
}

/// Every other unit within `radius` steps, as it stood at the start of the tick, ordered by
/// unit id.
///
/// # Panics
///
/// Outside a behaviour's poll, or with sensing off (turn it on with
/// `Simulation::enable_sensing` or `Tickweave::sensing`): a behaviour that does either faults
/// alone, with a message saying so.
pub fn units_within(radius: u32) -> Vec<Sighting> {
    let (me, here) = context::with("units_within", |unit| (unit.entity, unit.position));
    sensing("units_within", |index| {
        let mut found = Vec::new();
        index.for_each_within(here, radius, |other| {
            if other.entity != me {
                found.push(*other);
            }
        });
        found.sort_unstable_by_key(|sighting| sighting.id);
        found
    })
}

/// Where `unit` stood at the start of the tick, or `Err(Despawned)` if it no longer existed.
///
/// # Panics
///
/// Outside a behaviour's poll, or with sensing off (turn it on with
/// `Simulation::enable_sensing` or `Tickweave::sensing`): a behaviour that does either faults
/// alone, with a message saying so.
pub fn position_of(unit: UnitId) -> Result<IVec2, Despawned> {
    sensing("position_of", |index| {
        index
            .get(unit)
            .map(|sighting| sighting.position)
            .ok_or(Despawned { unit })
    })
}

/// Steps from the caller to `unit`, or `Err(Despawned)`.
///
/// # Panics
///
/// Outside a behaviour's poll, or with sensing off (turn it on with
/// `Simulation::enable_sensing` or `Tickweave::sensing`): a behaviour that does either faults
/// alone, with a message saying so.
pub fn distance_to(unit: UnitId) -> Result<u32, Despawned> {
    let here = context::with("distance_to", |me| me.position);
    position_of(unit).map(|there| grid_distance(here, there))
}
