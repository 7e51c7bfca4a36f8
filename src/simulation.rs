//! `Simulation`: a world and a schedule with tickweave installed, for headless runs and tests.

use bevy_ecs::entity::Entity;
use bevy_ecs::schedule::{Schedule, SingleThreadedExecutor};
use bevy_ecs::world::World;
use glam::IVec2;
use std::future::Future;

use crate::checksum::{Checksum, checksum};
use crate::components::{
    ActivityStack, Behavior, BehaviorOutput, BehaviorState, Motion, Position, Team, UnitId,
    UnitName,
};
use crate::control::{self, ControlError};
use crate::events::EventLog;
use crate::install::Tickweave;
use crate::spawn::spawn_unit;
use crate::systems::{
    Executor, ExecutorStats, Recipient, SpatialIndex, Tallies, Tick, TickSpan, UnitIndex,
};
use std::borrow::Cow;

static NO_ACTIVITY: ActivityStack = ActivityStack::EMPTY;

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
    /// Its team, if it has one.
    pub team: Option<Team>,
    /// Its behaviour's state, if it has a behaviour.
    pub state: Option<BehaviorState>,
    /// What its behaviour awaits (as of its latest poll).
    pub activity: &'w ActivityStack,
    /// Its walk (with the activity stack, the waypoint a patrol heads for: see
    /// [`UnitView::doing`]).
    pub motion: Motion,
}

impl UnitView<'_> {
    /// What the unit is doing, e.g. `guard > patrol > goto(5,0)`: its activity stack with the
    /// waypoint a patrol heads for.
    pub fn doing(&self) -> impl std::fmt::Display + '_ {
        self.activity.with_motion(&self.motion)
    }
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
        // Built now rather than on the first tick, which would add bevy's `Schedules` resource
        // after the units: a resource is an entity, and its storage is an array indexed by
        // entity, so one added after a million units costs 4 MB.
        schedule
            .initialize(&mut world)
            .expect("tickweave's own systems make a valid schedule");
        // Registered up front, so that `units` can query them through a shared borrow.
        world.register_component::<UnitId>();
        world.register_component::<UnitName>();
        world.register_component::<Position>();
        world.register_component::<Team>();
        world.register_component::<Behavior>();
        world.register_component::<Motion>();
        Simulation { world, schedule }
    }

    /// Spawns a unit at `position` running `behavior`, first polled on the next tick.
    pub fn spawn(
        &mut self,
        name: impl Into<String>,
        position: IVec2,
        behavior: impl Future<Output: BehaviorOutput> + Send + 'static,
    ) -> Entity {
        spawn_unit(&mut self.world, name, position, behavior)
    }

    /// Spawns a unit of `team` (see [`spawn`](Self::spawn)).
    pub fn spawn_in_team(
        &mut self,
        name: impl Into<String>,
        team: Team,
        position: IVec2,
        behavior: impl Future<Output: BehaviorOutput> + Send + 'static,
    ) -> Entity {
        let unit = self.spawn(name, position, behavior);
        self.world.entity_mut(unit).insert(team);
        unit
    }

    /// Turns on sensing (`nearest`, `units_within`, `position_of`, `chase`): from the next tick
    /// on, Sense builds the spatial index every tick.
    pub fn enable_sensing(&mut self) {
        self.world.resource_mut::<SpatialIndex>().set_enabled(true);
    }

    /// A unit's stable id.
    pub fn unit_id(&self, unit: Entity) -> Option<UnitId> {
        self.world.get::<UnitId>(unit).copied()
    }

    /// The entity of the unit with this id, if it is alive.
    pub fn entity(&self, id: UnitId) -> Option<Entity> {
        self.world.resource::<UnitIndex>().entity(id)
    }

    /// See [`control::send`].
    pub fn send<T: Send + Sync + 'static>(&mut self, to: Recipient, value: T) -> usize {
        control::send(&mut self.world, to, value)
    }

    /// See [`control::replace`].
    pub fn replace(
        &mut self,
        unit: Entity,
        behavior: impl Future<Output: BehaviorOutput> + Send + 'static,
    ) -> Result<(), ControlError> {
        control::replace(&mut self.world, unit, behavior)
    }

    /// See [`control::cancel`].
    pub fn cancel(
        &mut self,
        unit: Entity,
        reason: impl Into<Cow<'static, str>>,
    ) -> Result<(), ControlError> {
        control::cancel(&mut self.world, unit, reason)
    }

    /// See [`control::pause`].
    pub fn pause(&mut self, unit: Entity) -> Result<(), ControlError> {
        control::pause(&mut self.world, unit)
    }

    /// See [`control::resume`].
    pub fn resume(&mut self, unit: Entity) -> Result<(), ControlError> {
        control::resume(&mut self.world, unit)
    }

    /// See [`control::stun`].
    pub fn stun(&mut self, unit: Entity, ticks: u64) -> Result<(), ControlError> {
        control::stun(&mut self.world, unit, ticks)
    }

    /// See [`control::place`].
    pub fn place(&mut self, unit: Entity, cell: IVec2) -> Result<(), ControlError> {
        control::place(&mut self.world, unit, cell)
    }

    /// See [`control::interrupt`].
    pub fn interrupt(
        &mut self,
        unit: Entity,
        interrupt: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ControlError> {
        control::interrupt(&mut self.world, unit, interrupt)
    }

    /// Named counts of what happened (e.g. `caught`), as behaviours [`tally`]'d them.
    ///
    /// [`tally`]: crate::behaviors::tally
    pub fn tallies(&self) -> &Tallies {
        self.world.resource::<Tallies>()
    }

    /// Despawns a unit, dropping its behaviour; false if it did not exist.
    pub fn despawn(&mut self, unit: Entity) -> bool {
        self.world.despawn(unit)
    }

    /// Runs one tick: Sense, Think, Act, Observe.
    pub fn step(&mut self) {
        self.schedule.run(&mut self.world);
        // The tick is over: its span closes here rather than when the next tick opens one, so
        // that a profile's tick spans time the ticks and not what is done between them.
        self.world.resource_mut::<TickSpan>().0 = tracing::Span::none();
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

    /// What a unit's behaviour awaits (as of its latest poll), if it has a behaviour.
    pub fn activity(&self, unit: Entity) -> Option<&ActivityStack> {
        self.world.get::<Behavior>(unit).map(Behavior::activity)
    }

    /// Every unit, ordered by [`UnitId`].
    pub fn units(&self) -> Vec<UnitView<'_>> {
        let mut query = self
            .world
            .try_query::<(
                Entity,
                &UnitId,
                &UnitName,
                &Position,
                Option<&Team>,
                Option<&Behavior>,
                Option<&Motion>,
            )>()
            .expect("`Simulation::new` registers every component a unit view reads");
        let mut units: Vec<UnitView<'_>> = query
            .iter(&self.world)
            .map(
                |(entity, &id, name, position, team, behavior, motion)| UnitView {
                    id,
                    entity,
                    name: name.as_str(),
                    position: position.0,
                    team: team.copied(),
                    state: behavior.map(Behavior::state),
                    activity: behavior.map_or(&NO_ACTIVITY, Behavior::activity),
                    motion: motion.copied().unwrap_or_default(),
                },
            )
            .collect();
        units.sort_unstable_by_key(|unit| unit.id);
        units
    }

    /// The world's [`Checksum`]: equal for two runs exactly when their units stand on the same
    /// cells with behaviours in the same state.
    pub fn checksum(&self) -> Checksum {
        checksum(&self.world)
    }

    /// Starts or stops recording every [`UnitEvent`](crate::events::UnitEvent) in the
    /// [`event_log`](Self::event_log).
    pub fn record_events(&mut self, record: bool) {
        self.world.resource_mut::<EventLog>().set_recording(record);
    }

    /// Polls behaviours on `threads` threads from the next tick on; every tick comes out the
    /// same whatever the number (see [`Tickweave::threads`]).
    pub fn set_threads(&mut self, threads: usize) {
        self.world.resource_mut::<Executor>().set_threads(threads);
    }

    /// The events recorded since it was last drained (see [`record_events`](Self::record_events)).
    pub fn event_log(&mut self) -> &mut EventLog {
        self.world.resource_mut::<EventLog>().into_inner()
    }

    /// What the executor has done so far.
    pub fn stats(&self) -> ExecutorStats {
        self.world.resource::<Executor>().stats()
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
