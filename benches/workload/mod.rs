//! The benchmark workloads and the ways of running each that `examples/compare.rs` and
//! `benches/patrol.rs` measure side by side.
//!
//! **patrol**: every unit patrols between two cells drawn from a seeded generator: it starts on
//! the first, walks to the second, walks back, and so on forever. Both coordinates of both cells
//! are drawn uniformly from `-EXTENT..=EXTENT`, and the two cells of a unit always differ. The
//! tick contract is tickweave's: each tick a unit steps one cell toward its current waypoint
//! (each axis by the sign of its distance); on the tick it arrives it stands on the waypoint, and
//! on the next tick it turns toward the other waypoint and steps, so no tick is lost at a
//! waypoint. Its variants:
//! - [`state_machine`]: a hand-written state machine in one bevy_ecs system over
//!   `(Position, PatrolState)` — what the async patrol desugars to, written by hand; the limit.
//! - [`Tickweave::patrol`]: the product as a user writes it (`Simulation`, `spawn`, `patrol`,
//!   `step`).
//! - [`Sale`]: the seed's executor (`simple-async-local-executor`) polling an `async fn patrol`
//!   over `Rc<RefCell<Unit>>` units, every task every tick.
//! - [`naive`]: tickweave without parking: every unit's boxed future is polled every tick by a
//!   bevy_ecs system, reaching its unit's position through a scoped thread-local.
//! - [`Tickweave::polled`]: tickweave running the patrol as users write it without the library's
//!   `goto`: a hand-written leaf future that steps its unit through [`unit`] on every poll, so it
//!   never parks and is polled every tick — the shape of `sale` and `naive`, inside tickweave.
//!
//! **errand**: every unit walks a loop of four seeded waypoints (consecutive ones distinct, the
//! last distinct from the first) and waits a seeded 1 to [`MAX_WAIT`] ticks at each, written as
//! `loop { goto(a).await; wait(k1).await; goto(b).await; wait(k2).await; … }`. It exercises what
//! the patrol does not: timers, and a poll at every arrival and at the end of every wait. Its
//! variants:
//! - [`errand_state_machine`]: the loop written by hand in one bevy_ecs system, reproducing
//!   tickweave's tick semantics exactly (see [`ErrandState`]); the limit.
//! - [`Tickweave::errand`]: the `async fn` [`errand`] spawned in a `Simulation`.

#![allow(
    dead_code,
    reason = "shared by the compare example, the benches and the tests; each uses a different part"
)]

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::schedule::{IntoScheduleConfigs, Schedule, SingleThreadedExecutor};
use bevy_ecs::system::{Local, Query, ScheduleSystem};
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

/// The resident set size in bytes (`VmRSS`), where the platform says it.
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// Waypoint coordinates are drawn from `-EXTENT..=EXTENT` on both axes (a 101 × 101 grid).
pub const EXTENT: i32 = 50;

/// Seed of the waypoint generators (the same for every variant and size).
pub const SEED: u64 = 6;

/// An errand's waits are drawn uniformly from `1..=MAX_WAIT` ticks.
pub const MAX_WAIT: u64 = 20;

/// A cell drawn uniformly from the grid, `x` first.
fn random_cell(rng: &mut Xoshiro256PlusPlus) -> IVec2 {
    let x = rng.random_range(-EXTENT..=EXTENT);
    ivec2(x, rng.random_range(-EXTENT..=EXTENT))
}

/// The two waypoints of each patrolling unit, in spawn order; unit `i` starts on `routes[i][0]`.
pub fn routes(units: usize, seed: u64) -> Vec<[IVec2; 2]> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..units)
        .map(|_| {
            let first = random_cell(&mut rng);
            let mut second = random_cell(&mut rng);
            while second == first {
                second = random_cell(&mut rng);
            }
            [first, second]
        })
        .collect()
}

/// One unit's errand: walk to `waypoints[i]`, wait `waits[i]` ticks there, go on to the next,
/// and back to the first after the last. Also the hand-written errand's read-only component.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrandRoute {
    /// Where the unit goes, in order; it starts on the first.
    pub waypoints: [IVec2; 4],
    /// How many ticks it waits on arriving at the waypoint of the same index.
    pub waits: [u64; 4],
}

/// Each errand-running unit's route, in spawn order; unit `i` starts on its first waypoint.
///
/// Consecutive waypoints differ (the last from the first too), so every `goto` walks; waits are
/// drawn from `1..=MAX_WAIT`.
pub fn errand_routes(units: usize, seed: u64) -> Vec<ErrandRoute> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..units)
        .map(|_| {
            let mut waypoints = [random_cell(&mut rng); 4];
            for leg in 1..4 {
                loop {
                    let cell = random_cell(&mut rng);
                    if cell != waypoints[leg - 1] && (leg < 3 || cell != waypoints[0]) {
                        waypoints[leg] = cell;
                        break;
                    }
                }
            }
            let waits = std::array::from_fn(|_| rng.random_range(1..=MAX_WAIT));
            ErrandRoute { waypoints, waits }
        })
        .collect()
}

/// What the units do; each workload has its own routes, variants and baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Workload {
    /// Two-waypoint patrols, walked without a pause.
    Patrol,
    /// Four-waypoint loops with a wait at each waypoint.
    Errand,
}

impl Workload {
    /// Every workload, in the order the compare example prints them.
    pub const ALL: [Workload; 2] = [Workload::Patrol, Workload::Errand];

    /// The name used in tables.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Patrol => "patrol",
            Workload::Errand => "errand",
        }
    }

    /// The variants that run this workload, the hand-written limit first.
    pub fn kinds(self) -> &'static [Kind] {
        match self {
            Workload::Patrol => &Kind::ALL[..5],
            Workload::Errand => &Kind::ALL[5..],
        }
    }

    /// The hand-written state machine the other variants are compared with.
    pub fn baseline(self) -> Kind {
        self.kinds()[0]
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which implementation runs which workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Patrol: hand-written state machine in a bevy_ecs system.
    StateMachine,
    /// Patrol: tickweave's `Simulation` with `patrol`.
    Tickweave,
    /// Patrol: simple-async-local-executor with `Rc<RefCell<Unit>>`.
    Sale,
    /// Patrol: every boxed future polled every tick, no parking.
    Naive,
    /// Patrol: tickweave polling a hand-written leaf future every tick.
    Polled,
    /// Errand: hand-written state machine in a bevy_ecs system.
    ErrandStateMachine,
    /// Errand: tickweave's `Simulation` with `goto` and `wait`.
    Errand,
}

impl Kind {
    /// All variants, by workload ([`Workload::kinds`] slices this), each workload's limit first.
    pub const ALL: [Kind; 7] = [
        Kind::StateMachine,
        Kind::Tickweave,
        Kind::Sale,
        Kind::Naive,
        Kind::Polled,
        Kind::ErrandStateMachine,
        Kind::Errand,
    ];

    /// The name used on the command line and in tables.
    pub fn name(self) -> &'static str {
        match self {
            Kind::StateMachine => "state_machine",
            Kind::Tickweave => "tickweave",
            Kind::Sale => "sale",
            Kind::Naive => "naive",
            Kind::Polled => "polled",
            Kind::ErrandStateMachine => "errand_state_machine",
            Kind::Errand => "errand",
        }
    }

    /// The workload this variant runs.
    pub fn workload(self) -> Workload {
        match self {
            Kind::StateMachine | Kind::Tickweave | Kind::Sale | Kind::Naive | Kind::Polled => {
                Workload::Patrol
            }
            Kind::ErrandStateMachine | Kind::Errand => Workload::Errand,
        }
    }

    /// Builds this variant with `units` units on its workload's routes drawn from `seed`
    /// ([`routes`] or [`errand_routes`]), each on its first waypoint, at tick 0.
    pub fn build(self, units: usize, seed: u64) -> Box<dyn Variant> {
        let patrols = || routes(units, seed);
        let errands = || errand_routes(units, seed);
        match self {
            Kind::StateMachine => Box::new(state_machine(&patrols())),
            Kind::Tickweave => Box::new(Tickweave::patrol(&patrols())),
            Kind::Sale => Box::new(Sale::new(&patrols())),
            Kind::Naive => Box::new(naive(&patrols())),
            Kind::Polled => Box::new(Tickweave::polled(&patrols())),
            Kind::ErrandStateMachine => Box::new(errand_state_machine(&errands())),
            Kind::Errand => Box::new(Tickweave::errand(&errands())),
        }
    }

    /// Size in bytes of one unit's behaviour as this variant stores it: the future handed to the
    /// executor, or the state machine's components.
    pub fn future_size(self) -> usize {
        let [a, b] = [ivec2(0, 0), ivec2(1, 1)];
        let route = ErrandRoute {
            waypoints: [a, b, a, b],
            waits: [1; 4],
        };
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
            Kind::Polled => size_of_val(&polled_patrol(a, b)),
            Kind::ErrandStateMachine => size_of::<ErrandState>() + size_of::<ErrandRoute>(),
            Kind::Errand => size_of_val(&errand(route)),
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

/// One running implementation of a workload.
pub trait Variant {
    /// Runs one tick.
    fn step(&mut self);
    /// Every unit's cell, in spawn order.
    fn positions(&mut self) -> Vec<IVec2>;
}

/// Runs every variant of `workload` with `units` units for `ticks` ticks, in lockstep, and
/// panics (naming the variant and the tick) unless all put every unit on the same cell before
/// the first tick (`starts`) and after every tick.
pub fn assert_variants_agree(workload: Workload, units: usize, starts: &[IVec2], ticks: u64) {
    let kinds = workload.kinds();
    let mut variants: Vec<_> = kinds.iter().map(|kind| kind.build(units, SEED)).collect();
    for (kind, variant) in kinds.iter().zip(&mut variants) {
        assert_eq!(kind.workload(), workload);
        assert_eq!(variant.positions(), starts, "{kind} before the first tick");
    }
    for tick in 1..=ticks {
        for variant in &mut variants {
            variant.step();
        }
        let expected = variants[0].positions();
        for (kind, variant) in kinds.iter().zip(&mut variants).skip(1) {
            assert_eq!(variant.positions(), expected, "{kind} at tick {tick}");
        }
    }
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
// tickweave (patrol, polled, errand)

/// tickweave as a user writes it: a `Simulation`, one spawned behaviour per unit, `step()`.
pub struct Tickweave {
    sim: Simulation,
}

impl Tickweave {
    /// Spawns unit `i` on the first waypoint of `routes[i]`, running `behavior(routes[i])`.
    fn spawn_each<R: Copy, F: Future<Output = ()> + Send + 'static>(
        routes: &[R],
        start: impl Fn(R) -> IVec2,
        behavior: impl Fn(R) -> F,
    ) -> Self {
        let mut sim = Simulation::new(SEED);
        for (index, &route) in routes.iter().enumerate() {
            sim.spawn(format!("u{index}"), start(route), behavior(route));
        }
        Tickweave { sim }
    }

    /// One unit per route running tickweave's `patrol`.
    pub fn patrol(routes: &[[IVec2; 2]]) -> Self {
        Self::spawn_each(
            routes,
            |[a, _]| a,
            |[a, b]| patrol(Route::new([a, b]).expect("the workload draws distinct waypoints")),
        )
    }

    /// One unit per route running [`polled_patrol`], which is polled every tick.
    pub fn polled(routes: &[[IVec2; 2]]) -> Self {
        Self::spawn_each(routes, |[a, _]| a, |[a, b]| polled_patrol(a, b))
    }

    /// One unit per route running [`errand`].
    pub fn errand(routes: &[ErrandRoute]) -> Self {
        Self::spawn_each(routes, |route| route.waypoints[0], errand)
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

/// Hand-written leaf future: steps the unit being polled one cell toward `target` on every poll
/// that finds it elsewhere, through [`unit::position`] and [`unit::set_position`]; ready on the
/// poll that finds it there.
///
/// It asks tickweave for nothing, so its behaviour never parks: it is what a user's own leaf
/// future costs, polled every tick like `sale`'s and `naive`'s.
pub struct StepGoto {
    /// Where the unit walks.
    pub target: IVec2,
}

impl Future for StepGoto {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        let here = unit::position();
        if here == self.target {
            return Poll::Ready(());
        }
        unit::set_position(Position(here).step_toward(self.target).0);
        Poll::Pending
    }
}

/// The patrol with [`StepGoto`] instead of tickweave's `goto`: the same cells on every tick as
/// [`state_machine`], since a step made in the poll of tick `t` is where the unit stands after
/// tick `t`, and the turn happens in the poll that finds the unit on a waypoint.
pub async fn polled_patrol(a: IVec2, b: IVec2) {
    loop {
        StepGoto { target: a }.await;
        StepGoto { target: b }.await;
    }
}

/// The errand as a user writes it.
pub async fn errand(route: ErrandRoute) {
    let ErrandRoute {
        waypoints: [a, b, c, d],
        waits: [k1, k2, k3, k4],
    } = route;
    loop {
        goto(a).await;
        wait(k1).await;
        goto(b).await;
        wait(k2).await;
        goto(c).await;
        wait(k3).await;
        goto(d).await;
        wait(k4).await;
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

// ---------------------------------------------------------------------------------------------
// errand_state_machine

/// The hand-written errand's state, read every tick: where the unit is going, until when it
/// waits there, and which leg of its [`ErrandRoute`] it is on.
///
/// It reproduces tickweave's tick semantics, which the errand's `async fn` has:
/// - a `goto` first polled on tick `t` from `d` steps away steps on ticks `t..t + d` and its
///   `.await` returns in the poll of tick `t + d` (the first that finds the unit on target); the
///   code after it runs in that same poll;
/// - so the `wait(k)` after it is first polled on tick `t + d`, and the `goto` after that on
///   tick `t + d + k`, when the unit steps again.
///
/// 16 bytes, like the patrol's [`PatrolState`]: the loop is bound by memory, so ticks are kept
/// as `u32` (wrapping after 2³² ticks, over two years at 60 ticks a second), and the route is a
/// separate, read-only component read only at arrivals and departures.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrandState {
    /// The waypoint being walked to, or waited at.
    pub to: IVec2,
    /// The first tick on which a unit standing on `to` has something to do: [`ARRIVING`] (at
    /// once) until it has arrived, then the tick its wait ends on, when it sets off for the next
    /// waypoint.
    pub until: u32,
    /// Index of `to` in the route's waypoints.
    pub leg: u32,
}

/// [`ErrandState::until`] before arriving: ticks start at 1, so a unit found on `to` acts at
/// once.
pub const ARRIVING: u32 = 0;

/// Each tick: step toward the waypoint, or stand on it until the tick it has something to do.
///
/// The tick is counted by the system itself (a `Local`), from 1 like tickweave's. `Position` is
/// written through `Mut` only when the unit moves, `ErrandState` only at arrivals and departures,
/// which are worked out of line so that the common step stays a small loop.
fn run_errands(
    mut tick: Local<u32>,
    mut units: Query<(&mut Position, &mut ErrandState, &ErrandRoute)>,
) {
    *tick += 1;
    let tick = *tick;
    units
        .iter_mut()
        .for_each(|(mut position, mut state, route)| {
            let here = position.0;
            let to = state.to;
            if here != to {
                *position = Position(here).step_toward(to);
            } else if tick >= state.until {
                let (next, step) = arrive_or_depart(tick, here, *state, route);
                *state = next;
                if let Some(cell) = step {
                    *position = Position(cell);
                }
            }
        });
}

/// A unit on its waypoint with something to do: its `goto` has just arrived (the wait starts
/// now), or its wait is over (the next `goto` starts, and steps, now). Returns the new state and
/// the cell to step to, if the unit moves.
///
/// A loop, because with a zero wait or a repeated waypoint the next leg would start (and could
/// end) in this same tick, as the `async fn`'s would; the workload's routes have neither.
#[cold]
#[inline(never)]
fn arrive_or_depart(
    tick: u32,
    here: IVec2,
    mut state: ErrandState,
    route: &ErrandRoute,
) -> (ErrandState, Option<IVec2>) {
    loop {
        if state.until == ARRIVING {
            // The `goto` completes in this tick's poll, and the `wait` is first polled in it.
            state.until = tick + route.waits[state.leg as usize] as u32;
        }
        if tick < state.until {
            return (state, None);
        }
        // The wait is over; the next `goto` is polled in this same tick.
        let leg = (state.leg + 1) % route.waypoints.len() as u32;
        state = ErrandState {
            to: route.waypoints[leg as usize],
            until: ARRIVING,
            leg,
        };
        if here != state.to {
            return (state, Some(Position(here).step_toward(state.to).0));
        }
    }
}

/// The hand-written errand: a bevy_ecs world with one system over
/// `(Position, ErrandState, ErrandRoute)`, one unit per route, each on its first waypoint.
pub fn errand_state_machine(routes: &[ErrandRoute]) -> OneSystemWorld {
    let mut world = World::new();
    let units = world
        .spawn_batch(routes.iter().map(|&route| {
            let start = route.waypoints[0];
            (
                Position(start),
                // Standing on its first waypoint without having arrived: the first tick
                // completes the `goto` at once and starts the first wait.
                ErrandState {
                    to: start,
                    until: ARRIVING,
                    leg: 0,
                },
                route,
            )
        }))
        .collect();
    OneSystemWorld::new(world, units, run_errands)
}
