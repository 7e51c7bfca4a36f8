//! One entry point that adds tickweave to a game's own `World` and `Schedule`.

use bevy_ecs::schedule::{IntoScheduleConfigs, Schedule};
use bevy_ecs::world::World;

use crate::components::UnitIdAllocator;
use crate::rng::SimRng;
use crate::systems::{
    ExecutorStats, RunQueue, Tick, TickPhase, Timers, advance_tick, move_units, poll_behaviors,
    wake_due_timers,
};

/// Installs tickweave's resources and per-tick systems; the builder's options say how.
///
/// ```
/// use bevy_ecs::prelude::*;
/// use bevy_ecs::schedule::SingleThreadedExecutor;
/// use tickweave::prelude::*;
///
/// let mut world = World::new();
/// let mut schedule = Schedule::default();
/// schedule.set_executor(SingleThreadedExecutor::new());
/// Tickweave::new().seed(42).install(&mut world, &mut schedule);
///
/// let unit = spawn_unit(&mut world, "scout", ivec2(0, 0), async { goto(ivec2(3, 3)).await });
/// for _ in 0..3 {
///     schedule.run(&mut world);
///     world.clear_trackers();
/// }
/// assert_eq!(world.get::<Position>(unit), Some(&Position(ivec2(3, 3))));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Tickweave {
    seed: u64,
}

impl Tickweave {
    /// The default configuration: seed 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Seeds the simulation's random number generator ([`SimRng`]).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Adds the resources to `world` and the systems, in [`TickPhase`] sets chained
    /// Sense → Think → Act → Observe, to `schedule`. Run the schedule once per tick.
    ///
    /// The schedule's executor is left as the game set it; tickweave's own [`Simulation`]
    /// uses bevy's single-threaded executor, which does not allocate per run.
    ///
    /// [`Simulation`]: crate::Simulation
    pub fn install(&self, world: &mut World, schedule: &mut Schedule) {
        world.insert_resource(Tick::default());
        world.insert_resource(SimRng::seed_from_u64(self.seed));
        world.init_resource::<UnitIdAllocator>();
        world.init_resource::<RunQueue>();
        world.init_resource::<Timers>();
        world.init_resource::<ExecutorStats>();

        schedule.configure_sets(
            (
                TickPhase::Sense,
                TickPhase::Think,
                TickPhase::Act,
                TickPhase::Observe,
            )
                .chain(),
        );
        schedule.add_systems((
            advance_tick.in_set(TickPhase::Sense),
            (wake_due_timers, poll_behaviors)
                .chain()
                .in_set(TickPhase::Think),
            move_units.in_set(TickPhase::Act),
        ));
    }
}
