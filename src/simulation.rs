//! `Simulation`: a world and a schedule with tickweave installed, for headless runs and tests.

use bevy_ecs::entity::Entity;
use bevy_ecs::schedule::{Schedule, SingleThreadedExecutor};
use bevy_ecs::world::World;
use glam::IVec2;
use std::future::Future;

use crate::components::{Behavior, BehaviorState, Position, UnitId, UnitName};
use crate::install::Tickweave;
use crate::spawn::spawn_unit;
use crate::systems::{ExecutorStats, Tick};

/// A headless simulation: owns a `World` and a `Schedule` that runs one tick per [`step`].
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(7);
/// let u1 = sim.spawn("u1", ivec2(0, 0), async { goto(ivec2(3, 0)).await });
/// sim.run(2);
/// assert_eq!(sim.tick(), 2);
/// assert_eq!(sim.position(u1), Some(ivec2(2, 0)));
/// ```
///
/// [`step`]: Simulation::step
pub struct Simulation {
    world: World,
    schedule: Schedule,
}

/// One unit as seen between ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitView<'w> {
    /// Stable id (spawn order).
    pub id: UnitId,
    /// The unit's entity.
    pub entity: Entity,
    /// The unit's name.
    pub name: &'w str,
    /// Where it stands.
    pub position: IVec2,
}

impl Simulation {
    /// An empty simulation at tick 0, its random number generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        let mut world = World::new();
        let mut schedule = Schedule::default();
        schedule.set_executor(SingleThreadedExecutor::new());
        Tickweave::new()
            .seed(seed)
            .install(&mut world, &mut schedule);
        Simulation { world, schedule }
    }

    /// Spawns a unit at `position` running `behavior`, first polled on the next tick.
    pub fn spawn(
        &mut self,
        name: impl Into<String>,
        position: IVec2,
        behavior: impl Future<Output = ()> + Send + 'static,
    ) -> Entity {
        spawn_unit(&mut self.world, name, position, behavior)
    }

    /// Despawns a unit, dropping its behaviour; false if it did not exist.
    pub fn despawn(&mut self, unit: Entity) -> bool {
        self.world.despawn(unit)
    }

    /// Runs one tick: Sense, Think, Act, Observe.
    pub fn step(&mut self) {
        self.schedule.run(&mut self.world);
        self.world.clear_trackers();
    }

    /// Runs `ticks` ticks.
    pub fn run(&mut self, ticks: u64) {
        for _ in 0..ticks {
            self.step();
        }
    }

    /// The last tick run (0 before the first step).
    pub fn tick(&self) -> u64 {
        self.world.resource::<Tick>().0
    }

    /// Where a unit stands, if it exists.
    pub fn position(&self, unit: Entity) -> Option<IVec2> {
        self.world.get::<Position>(unit).map(|position| position.0)
    }

    /// A unit's behaviour state, if it has a behaviour.
    pub fn state(&self, unit: Entity) -> Option<BehaviorState> {
        self.world.get::<Behavior>(unit).map(Behavior::state)
    }

    /// Every unit, ordered by [`UnitId`].
    pub fn units(&mut self) -> Vec<UnitView<'_>> {
        let mut query = self
            .world
            .query::<(Entity, &UnitId, &UnitName, &Position)>();
        let mut units: Vec<UnitView<'_>> = query
            .iter(&self.world)
            .map(|(entity, &id, name, position)| UnitView {
                id,
                entity,
                name: name.as_str(),
                position: position.0,
            })
            .collect();
        units.sort_unstable_by_key(|unit| unit.id);
        units
    }

    /// What the executor has done so far.
    pub fn stats(&self) -> ExecutorStats {
        *self.world.resource::<ExecutorStats>()
    }

    /// The world, to read components and resources.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The world, to change it between ticks.
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    /// The schedule, to add a game's own systems (order them against [`TickPhase`]).
    ///
    /// [`TickPhase`]: crate::systems::TickPhase
    pub fn schedule_mut(&mut self) -> &mut Schedule {
        &mut self.schedule
    }
}
