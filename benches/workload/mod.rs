//! The patrol workload and the four ways of running it that `examples/compare.rs` and
//! `benches/patrol.rs` measure side by side.
//!
//! Every unit patrols between two cells drawn from a seeded generator: it starts on the first,
//! walks to the second, walks back, and so on forever. Both coordinates of both cells are drawn
//! uniformly from `-EXTENT..=EXTENT`, and the two cells of a unit always differ. The tick
//! contract is tickweave's: each tick a unit steps one cell toward its current waypoint (each
//! axis by the sign of its distance); on the tick it arrives it stands on the waypoint, and on the
//! next tick it turns toward the other waypoint and steps, so no tick is lost at a waypoint.
//!
//! The variants:
//! - [`state_machine`]: a hand-written state machine in one bevy_ecs system over
//!   `(Position, PatrolState)` — what the async patrol desugars to, written by hand; the limit.
//! - [`Tickweave`]: the product as a user writes it (`Simulation`, `spawn`, `patrol`, `step`).
//! - [`Sale`]: the seed's executor (`simple-async-local-executor`) polling an `async fn patrol`
//!   over `Rc<RefCell<Unit>>` units, every task every tick.
//! - [`naive`]: tickweave without parking: every unit's boxed future is polled every tick by a
//!   bevy_ecs system, reaching its unit's position through a scoped thread-local.

#![allow(
    dead_code,
    reason = "shared by the compare example and the benches; each uses a different part"
)]

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::schedule::{IntoScheduleConfigs, Schedule, SingleThreadedExecutor};
use bevy_ecs::system::Query;
use bevy_ecs::system::ScheduleSystem;
use bevy_ecs::world::World;
use bevy_platform::cell::SyncCell;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::str::FromStr;
use std::task::{Context, Poll, Waker};
use tickweave::prelude::*;

/// Waypoint coordinates are drawn from `-EXTENT..=EXTENT` on both axes (a 101 × 101 grid).
pub const EXTENT: i32 = 50;

/// Seed of the waypoint generator (the same for every variant and size).
pub const SEED: u64 = 6;

/// The two waypoints of each unit, in spawn order; unit `i` starts on `routes[i][0]`.
pub fn routes(units: usize, seed: u64) -> Vec<[IVec2; 2]> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut cell = move || {
        ivec2(
            rng.random_range(-EXTENT..=EXTENT),
            rng.random_range(-EXTENT..=EXTENT),
        )
    };
    (0..units)
        .map(|_| {
            let first = cell();
            let mut second = cell();
            while second == first {
                second = cell();
            }
            [first, second]
        })
        .collect()
}

/// Which implementation runs the workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Hand-written state machine in a bevy_ecs system.
    StateMachine,
    /// tickweave's `Simulation` with `patrol`.
    Tickweave,
    /// simple-async-local-executor with `Rc<RefCell<Unit>>`.
    Sale,
    /// Every boxed future polled every tick, no parking.
    Naive,
}

impl Kind {
    /// All variants, the limit first.
    pub const ALL: [Kind; 4] = [Kind::StateMachine, Kind::Tickweave, Kind::Sale, Kind::Naive];

    /// The name used on the command line and in tables.
    pub fn name(self) -> &'static str {
        match self {
            Kind::StateMachine => "state_machine",
            Kind::Tickweave => "tickweave",
            Kind::Sale => "sale",
            Kind::Naive => "naive",
        }
    }

    /// Builds this variant with one unit per route, each on its first waypoint, at tick 0.
    pub fn build(self, routes: &[[IVec2; 2]]) -> Box<dyn Variant> {
        match self {
            Kind::StateMachine => Box::new(state_machine(routes)),
            Kind::Tickweave => Box::new(Tickweave::new(routes)),
            Kind::Sale => Box::new(Sale::new(routes)),
            Kind::Naive => Box::new(naive(routes)),
        }
    }

    /// Size in bytes of one unit's patrol as this variant stores it: the future handed to the
    /// executor, or the state machine's component.
    pub fn patrol_size(self) -> usize {
        let [a, b] = [ivec2(0, 0), ivec2(1, 1)];
        match self {
            Kind::StateMachine => size_of::<PatrolState>(),
            Kind::Tickweave => {
                size_of_val(&patrol(Route::new([a, b]).expect("distinct waypoints")))
            }
            Kind::Sale => size_of_val(&sale_patrol(
                Rc::new(RefCell::new(SaleUnit { position: a })),
                a,
                b,
            )),
            Kind::Naive => size_of_val(&naive_patrol(a, b)),
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, String> {
        Kind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| {
                let names: Vec<_> = Kind::ALL.iter().map(|kind| kind.name()).collect();
                format!(
                    "unknown variant `{name}`; expected one of: {}",
                    names.join(", ")
                )
            })
    }
}

/// One running implementation of the workload.
pub trait Variant {
    /// Runs one tick.
    fn step(&mut self);
    /// Every unit's cell, in spawn order.
    fn positions(&mut self) -> Vec<IVec2>;
}

// ---------------------------------------------------------------------------------------------
// state_machine

/// The hand-written patrol: the waypoint being walked to, and the other one.
///
/// It is the two-state enum the compiler makes of `loop { goto(a).await; goto(b).await }`
/// (walking to `a`, walking to `b`), stored so that the current target sits at a fixed offset:
/// turning at a waypoint swaps the two fields instead of flipping a tag and indexing.
#[derive(Component, Clone, Copy, Debug)]
pub struct PatrolState {
    /// Where the unit walks now.
    pub to: IVec2,
    /// Where it walks after arriving.
    pub then: IVec2,
}

/// Each tick: turn if standing on the target (no tick lost), then step toward the target.
///
/// Writes `PatrolState` only when turning, so its change ticks are touched once per leg; writes
/// `Position` through `Mut` every tick, so `Changed<Position>` works as it does in tickweave.
fn patrol_units(mut units: Query<(&mut Position, &mut PatrolState)>) {
    units.iter_mut().for_each(|(mut position, mut state)| {
        let here = position.0;
        let mut to = state.to;
        if here == to {
            let state = &mut *state;
            to = state.then;
            state.then = state.to;
            state.to = to;
        }
        *position = Position(here).step_toward(to);
    });
}

/// The hand-written state machine: a bevy_ecs world with one system over
/// `(Position, PatrolState)`, one unit per route.
pub fn state_machine(routes: &[[IVec2; 2]]) -> OneSystemWorld {
    let mut world = World::new();
    let units = world
        .spawn_batch(routes.iter().map(|&[a, b]| {
            (
                Position(a),
                PatrolState {
                    to: a, // standing on it: the first tick turns toward `b` and steps
                    then: b,
                },
            )
        }))
        .collect();
    OneSystemWorld::new(world, units, patrol_units)
}

/// A world stepped by a schedule of one system (the state machine, the naive executor).
pub struct OneSystemWorld {
    world: World,
    schedule: Schedule,
    units: Vec<Entity>,
}

impl OneSystemWorld {
    fn new<M>(
        world: World,
        units: Vec<Entity>,
        system: impl IntoScheduleConfigs<ScheduleSystem, M>,
    ) -> Self {
        let mut schedule = Schedule::default();
        schedule.set_executor(SingleThreadedExecutor::new());
        schedule.add_systems(system);
        OneSystemWorld {
            world,
            schedule,
            units,
        }
    }
}

impl Variant for OneSystemWorld {
    fn step(&mut self) {
        self.schedule.run(&mut self.world);
        self.world.clear_trackers();
    }

    fn positions(&mut self) -> Vec<IVec2> {
        self.units
            .iter()
            .map(|&unit| self.world.get::<Position>(unit).expect("unit exists").0)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// tickweave

/// tickweave as a user writes it.
pub struct Tickweave {
    sim: Simulation,
}

impl Tickweave {
    /// Spawns one patrolling unit per route.
    pub fn new(routes: &[[IVec2; 2]]) -> Self {
        let mut sim = Simulation::new(SEED);
        for (index, &[a, b]) in routes.iter().enumerate() {
            let route = Route::new([a, b]).expect("the workload draws distinct waypoints");
            sim.spawn(format!("u{index}"), a, patrol(route));
        }
        Tickweave { sim }
    }
}

impl Variant for Tickweave {
    fn step(&mut self) {
        self.sim.step();
    }

    fn positions(&mut self) -> Vec<IVec2> {
        self.sim.units().iter().map(|unit| unit.position).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// sale

/// A unit as the seed's executor sees it: shared, interior-mutable.
pub struct SaleUnit {
    position: IVec2,
}

type SaleUnitRef = Rc<RefCell<SaleUnit>>;

/// Leaf future: one step toward `target` per poll, ready once there.
struct StepToward {
    unit: SaleUnitRef,
    target: IVec2,
}

impl Future for StepToward {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        let here = self.unit.borrow().position;
        if here == self.target {
            return Poll::Ready(());
        }
        self.unit.borrow_mut().position = Position(here).step_toward(self.target).0;
        Poll::Pending
    }
}

async fn sale_goto(unit: SaleUnitRef, target: IVec2) {
    StepToward { unit, target }.await;
}

async fn sale_patrol(unit: SaleUnitRef, a: IVec2, b: IVec2) {
    loop {
        sale_goto(unit.clone(), a).await;
        sale_goto(unit.clone(), b).await;
    }
}

/// The seed's executor: every task polled every `step`.
pub struct Sale {
    executor: simple_async_local_executor::Executor,
    units: Vec<SaleUnitRef>,
}

impl Sale {
    /// Spawns one patrol task per route.
    pub fn new(routes: &[[IVec2; 2]]) -> Self {
        let executor = simple_async_local_executor::Executor::default();
        let units = routes
            .iter()
            .map(|&[a, b]| {
                let unit = Rc::new(RefCell::new(SaleUnit { position: a }));
                executor.spawn(sale_patrol(unit.clone(), a, b));
                unit
            })
            .collect();
        Sale { executor, units }
    }
}

impl Variant for Sale {
    fn step(&mut self) {
        self.executor.step();
    }

    fn positions(&mut self) -> Vec<IVec2> {
        self.units
            .iter()
            .map(|unit| unit.borrow().position)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// naive

thread_local! {
    /// The position of the unit being polled, for exactly one poll.
    static HERE: Cell<Option<IVec2>> = const { Cell::new(None) };
}

/// Leaf future: one step per poll through the scoped thread-local, ready once there.
struct NaiveGoto {
    target: IVec2,
}

impl Future for NaiveGoto {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        HERE.with(|slot| {
            let here = slot.get().expect("polled by the naive executor");
            if here == self.target {
                Poll::Ready(())
            } else {
                slot.set(Some(Position(here).step_toward(self.target).0));
                Poll::Pending
            }
        })
    }
}

async fn naive_patrol(a: IVec2, b: IVec2) {
    loop {
        NaiveGoto { target: a }.await;
        NaiveGoto { target: b }.await;
    }
}

type NaiveFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A unit's future, polled every tick.
#[derive(Component)]
struct NaiveBehavior(SyncCell<NaiveFuture>);

/// Polls every unit's future once, its position installed in the thread-local for that poll.
fn poll_every_unit(mut units: Query<(&mut Position, &mut NaiveBehavior)>) {
    let mut context = Context::from_waker(Waker::noop());
    units.iter_mut().for_each(|(mut position, mut behavior)| {
        HERE.set(Some(position.0));
        let _ = behavior
            .bypass_change_detection()
            .0
            .get()
            .as_mut()
            .poll(&mut context);
        let after = HERE.take().expect("the poll leaves the position in place");
        position.set_if_neq(Position(after));
    });
}

/// Every future polled every tick: tickweave's design without parking or a run queue, one unit
/// per route.
pub fn naive(routes: &[[IVec2; 2]]) -> OneSystemWorld {
    let mut world = World::new();
    let units = world
        .spawn_batch(routes.iter().map(|&[a, b]| {
            let future: NaiveFuture = Box::pin(naive_patrol(a, b));
            (Position(a), NaiveBehavior(SyncCell::new(future)))
        }))
        .collect();
    OneSystemWorld::new(world, units, poll_every_unit)
}
