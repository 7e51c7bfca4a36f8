//! One entry point that adds tickweave to a game's own `World` and `Schedule`.

use bevy_ecs::message::{MessageRegistry, Messages};
use bevy_ecs::schedule::{IntoScheduleConfigs, Schedule};
use bevy_ecs::world::World;

use crate::events::EventLog;
use crate::outcome::BehaviorFinished;
use crate::rng::SimRng;
use crate::systems::{
    Executor, SpatialIndex, Tallies, Tick, TickPhase, TickSpan, UnitIndex, act, begin_tick, think,
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
#[derive(Clone, Debug)]
pub struct Tickweave {
    seed: u64,
    sensing: bool,
    update_messages: bool,
    record_events: bool,
    threads: usize,
    parallel_from: usize,
}

impl Default for Tickweave {
    fn default() -> Self {
        Tickweave {
            seed: 0,
            sensing: false,
            update_messages: true,
            record_events: false,
            threads: 1,
            parallel_from: Self::PARALLEL_FROM,
        }
    }
}

impl Tickweave {
    /// The default of [`parallel_from`](Self::parallel_from): below this many runnable units,
    /// handing a tick's polls to other threads and back costs more than it gains (measured in
    /// BENCHMARKS.md).
    pub const PARALLEL_FROM: usize = 1024;

    /// The default configuration: seed 0, sensing off, messages updated every tick, events not
    /// recorded, one thread.
    pub fn new() -> Self {
        Self::default()
    }

    /// Seeds the simulation's random numbers ([`SimRng`] and every [`unit::rng`]).
    ///
    /// [`unit::rng`]: crate::behaviors::unit::rng
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Builds the spatial index every tick in Sense, which `nearest`, `units_within`,
    /// `position_of` and `chase` read. Off by default: it costs a pass over every unit per tick.
    pub fn sensing(mut self, enabled: bool) -> Self {
        self.sensing = enabled;
        self
    }

    /// Whether Sense updates the [`BehaviorFinished`] message buffers each tick (default true;
    /// only that message type: a game's own messages are the game's to update). Turn it off
    /// where something else already does, such as a Bevy `App`.
    pub fn update_messages(mut self, update: bool) -> Self {
        self.update_messages = update;
        self
    }

    /// Records every [`UnitEvent`](crate::events::UnitEvent) in the [`EventLog`] resource
    /// (default false); drain it every tick or so. Events are reported to `tracing` either way.
    pub fn record_events(mut self, record: bool) -> Self {
        self.record_events = record;
        self
    }

    /// Polls behaviours on `threads` threads (default 1: the thread running the schedule).
    ///
    /// Polls read the world as it stood when Think began and their writes are applied in Act
    /// by unit id, so every tick comes out the same whatever the number of threads: same
    /// positions, events, checksums. With more than one, Think keeps a pool of that many
    /// threads of its own and cuts each round of polls into small contiguous pieces that the
    /// threads share out; ticks with fewer than about a thousand runnable units are polled on
    /// one thread all the same (see [`parallel_from`](Self::parallel_from)), since handing them
    /// over would cost more than it gains. Worth it when polls are costly (behaviours that
    /// sense, read the game's data, or do work of their own) and cores are free; see
    /// BENCHMARKS.md for measurements.
    ///
    /// On the pool's threads, a `tracing` subscriber set for one thread only
    /// (`tracing::subscriber::with_default`) does not see the polls' spans and events; set a
    /// global one. A behaviour's poll must not wait for other work on a `rayon` pool.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// With more than one [thread](Self::threads), polls on them only ticks with at least
    /// `units` runnable units (default [`PARALLEL_FROM`](Self::PARALLEL_FROM)); smaller ticks
    /// are polled on the thread running the schedule. Results are the same either way.
    pub fn parallel_from(mut self, units: usize) -> Self {
        self.parallel_from = units;
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
        self.insert_resources(world);
        self.add_systems(schedule);
    }

    /// The resource half of [`install`](Self::install).
    pub fn insert_resources(&self, world: &mut World) {
        world.insert_resource(Tick::default());
        world.insert_resource(SimRng::seed_from_u64(self.seed));
        world.init_resource::<UnitIndex>();
        world.insert_resource(Executor {
            seed: self.seed,
            update_messages: self.update_messages,
            threads: self.threads,
            parallel_from: self.parallel_from,
            ..Executor::default()
        });
        world.init_resource::<Tallies>();
        world.init_resource::<TickSpan>();
        world
            .get_resource_or_init::<EventLog>()
            .set_recording(self.record_events);
        world
            .get_resource_or_init::<SpatialIndex>()
            .set_enabled(self.sensing);
        // Once: each registration updates the buffers once more a frame, and two would drop a
        // message after one frame rather than two (a Bevy App may have registered it already).
        if !world.contains_resource::<Messages<BehaviorFinished>>() {
            MessageRegistry::register_message::<BehaviorFinished>(world);
        }
    }

    /// The system half of [`install`](Self::install).
    pub fn add_systems(&self, schedule: &mut Schedule) {
        schedule.configure_sets(
            (
                TickPhase::Sense,
                TickPhase::Think,
                TickPhase::Act,
                TickPhase::Observe,
            )
                .chain(),
        );
        // Few systems: each costs tens of nanoseconds per tick whatever it does.
        schedule.add_systems((
            begin_tick.in_set(TickPhase::Sense),
            think.in_set(TickPhase::Think),
            act.in_set(TickPhase::Act),
        ));
    }
}
