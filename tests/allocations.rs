//! A steady simulation makes no heap allocation per tick — behaviours that read the game's
//! components and resources included, and behaviours cut by the poll budget every tick — with
//! no tracing subscriber, with one that filters tickweave's events out (as the command line
//! installs by default), and while the event log records and is drained every tick — and
//! cancelling behaviours leaks nothing.
//!
//! Its own test binary (no harness, one thread) so that a counting global allocator sees only
//! the simulation's allocations.

#![allow(
    unsafe_code,
    reason = "a global allocator must implement the unsafe GlobalAlloc trait"
)]
#![allow(clippy::print_stdout, reason = "reports the counts it measured")]

use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::system::Query;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use tickweave::control::ControlError;
use tickweave::prelude::*;

struct CountingAllocator;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static LIVE_BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: defers every operation to the system allocator unchanged; it only counts calls and
// bytes.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        LIVE_BYTES.fetch_sub(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// A reader's own game data.
#[derive(Component, Clone, Copy)]
struct Stamina(u64);

/// The unit a reader looks at.
#[derive(Component, Clone, Copy)]
struct Neighbour(Entity);

impl Neighbour {
    /// `unit`'s neighbour, read from the world as Think began.
    fn of(unit: Entity) -> Entity {
        ecs::get::<Neighbour>(unit)
            .expect("readers have neighbours")
            .0
    }
}

/// A resource every reader reads.
#[derive(Resource)]
struct Weather(u64);

fn random_cell(rng: &mut Xoshiro256PlusPlus) -> IVec2 {
    ivec2(rng.random_range(-50..=50), rng.random_range(-50..=50))
}

/// Allocations during `measured` ticks after `warm_up` ticks.
fn allocations_per_tick(sim: &mut Simulation, warm_up: u64, measured: u64) -> u64 {
    sim.run(warm_up);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    sim.run(measured);
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

/// Cancels and replaces behaviours 100,000 times (at many await points) and checks that the
/// heap comes back to where it was after a warm-up of 10,000 (which lets buffers such as the
/// timer heap and the message queues reach their working size).
fn cancellations_leak_nothing() {
    const UNITS: usize = 1_000;
    let mut sim = Simulation::new(3);
    sim.enable_sensing();
    let units: Vec<_> = (0..UNITS)
        .map(|i| sim.spawn(format!("u{i}"), ivec2(i as i32 * 3, 0), async {}))
        .collect();
    let round = |sim: &mut Simulation, round: usize| {
        for (i, &unit) in units.iter().enumerate() {
            let payload = vec![i as u64; 16]; // heap owned by the future
            let target = sim.unit_id(units[(i + 1) % UNITS]).unwrap();
            let far = ivec2(i as i32, 1_000);
            let behavior = Behavior::new(async move {
                let _payload = payload;
                match (i + round) % 4 {
                    0 => goto(far).await,
                    1 => wait(1_000).await,
                    2 => {
                        let _ = race(chase(target), wait(1_000)).await;
                    }
                    _ => {
                        let _ = timeout(1_000, join(wait(500), goto(far))).await;
                    }
                }
            });
            sim.world_mut().entity_mut(unit).insert(behavior);
        }
        sim.run(2);
        for &unit in &units {
            // A chase may already have caught its target; everything else is still pending.
            match sim.cancel(unit, "round over") {
                Ok(()) | Err(ControlError::Finished(_)) => {}
                Err(error) => panic!("{error}"),
            }
        }
        sim.run(2);
    };
    for r in 0..10 {
        round(&mut sim, r);
    }
    let baseline = LIVE_BYTES.load(Ordering::Relaxed);
    for r in 10..110 {
        round(&mut sim, r);
    }
    let after = LIVE_BYTES.load(Ordering::Relaxed);
    println!(
        "live heap after 10,000 cancellations: {baseline} bytes; after 100,000 more: {after} bytes"
    );
    assert!(
        after <= baseline + baseline / 100,
        "the heap grew from {baseline} to {after} bytes over 100,000 cancellations"
    );
}

/// Sensing units whose ids a game chose far apart (so the spatial index sorts them rather
/// than laying them out by id), sentries waiting for walkers of another team: no allocation
/// in steady ticks either.
fn sensing_with_ids_far_apart_does_not_allocate() {
    let mut sim = Simulation::new(5);
    sim.enable_sensing();
    for index in 0..400_u64 {
        let x = (index % 40) as i32 * 6;
        let (a, b) = (ivec2(x, 0), ivec2(x, 30));
        let team = Team((index % 2) as u32);
        let behavior = async move {
            loop {
                if unit::team() == Some(Team(0)) {
                    let _ = race(enemy_in_sight(2), wait(7)).await;
                    next_tick().await;
                } else {
                    goto(b).await;
                    goto(a).await;
                }
            }
        };
        sim.world_mut().spawn((
            UnitName::from(format!("u{index}")),
            UnitId(index * 1_000_003 + 17),
            Position(a),
            team,
            Behavior::new(behavior),
        ));
    }
    let allocations = allocations_per_tick(&mut sim, 300, 300);
    println!("sensing, ids far apart, 300 steady ticks: {allocations}");
    assert_eq!(allocations, 0, "a steady tick must not allocate");
    assert!(sim.stats().polls > 10_000, "the units were busy");
}

fn main() {
    cancellations_leak_nothing();
    sensing_with_ids_far_apart_does_not_allocate();
    steady_ticks_do_not_allocate();
}

fn steady_ticks_do_not_allocate() {
    for patrollers in [1_000, 100_000] {
        steady_ticks_of(patrollers);
    }
}

/// `patrollers` patrolling units plus 100 that walk and wait in turn (so the timer path is
/// steady too): no allocation in 1,000 ticks after a warm-up.
fn steady_ticks_of(patrollers: usize) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
    let mut sim = Simulation::new(2);
    for index in 0..patrollers {
        let start = random_cell(&mut rng);
        let mut other = random_cell(&mut rng);
        while other == start {
            other = random_cell(&mut rng);
        }
        let route = Route::new([start, other]).expect("distinct waypoints");
        sim.spawn(format!("patroller{index}"), start, patrol(route));
    }
    for index in 0..100 {
        let (a, b) = (ivec2(index, 0), ivec2(index, 7));
        sim.spawn(format!("sentry{index}"), a, async move {
            loop {
                goto(b).await;
                wait(3).await;
                goto(a).await;
                wait(5).await;
            }
        });
    }
    // Units polled every tick with a four-frame activity stack (label > race > goto | next_tick).
    for index in 0..100 {
        let (a, b) = (ivec2(-index, 3), ivec2(-index, -3));
        sim.spawn(format!("racer{index}"), a, async move {
            loop {
                for cell in [b, a] {
                    let ticking = async {
                        loop {
                            next_tick().await;
                        }
                    };
                    label("errand", race(goto(cell), ticking)).await;
                }
            }
        });
    }
    // Units whose awaits all complete at once: the poll budget cuts each of their polls.
    for index in 0..10 {
        sim.spawn(format!("spinner{index}"), ivec2(index, -9), async {
            loop {
                wait(0).await;
            }
        });
    }
    // Units that read the game's data every tick (their own component, another unit's, a
    // resource, a query over the world) and write nothing: reads allocate nothing.
    sim.world_mut().insert_resource(Weather(3));
    let mut readers = vec![];
    for index in 0..100 {
        let reader = sim.spawn(format!("reader{index}"), ivec2(index, 9), async {
            let mut seen = 0_u64;
            loop {
                let me = unit::entity();
                let Ok(Stamina(own)) = unit::get::<Stamina>() else {
                    panic!("readers have stamina")
                };
                let other = ecs::with(Neighbour::of(me), |Stamina(other)| *other).unwrap_or(0);
                let weather = ecs::with_resource(|Weather(level)| *level).unwrap_or(0);
                let tired = ecs::query(|stamina: Query<&Stamina>| {
                    stamina.iter().filter(|stamina| stamina.0 < 5).count()
                })
                .unwrap_or(0);
                seen = seen.wrapping_add(own + other + weather + tired as u64);
                next_tick().await;
            }
        });
        readers.push(reader);
    }
    for (index, &reader) in readers.iter().enumerate() {
        let neighbour = readers[(index + 1) % readers.len()];
        sim.world_mut()
            .entity_mut(reader)
            .insert((Stamina(index as u64 % 10), Neighbour(neighbour)));
    }
    // The run queue reaches its high-water mark (more than 256 units woken in one tick) only
    // after tick 300, when patrols, waits and races happen to line up: warm up past it.
    let ticks = if patrollers > 10_000 { 100 } else { 1_000 };
    let allocations = allocations_per_tick(&mut sim, 1_300, ticks);
    println!(
        "allocations in {ticks} steady ticks of {} units: {allocations}",
        patrollers + 310
    );
    assert_eq!(allocations, 0, "a steady tick must not allocate");
    assert!(sim.stats().polls > 100_000, "the units were busy");
    assert!(
        sim.stats().budget_yields >= 10 * (1_300 + ticks),
        "the spinners spun"
    );
    if patrollers > 10_000 {
        return; // the tracing and event-log cases below are the same at any size
    }

    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .with_writer(std::io::sink)
        .finish();
    let allocations =
        tracing::subscriber::with_default(subscriber, || allocations_per_tick(&mut sim, 50, 300));
    println!("with a subscriber at warn: {allocations}");
    assert_eq!(allocations, 0, "a disabled span or event must not allocate");

    sim.record_events(true);
    sim.run(50);
    sim.event_log().drain();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let mut events = 0;
    for _ in 0..300 {
        sim.step();
        events += sim.event_log().drain().count();
    }
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    println!("recording {events} events, drained every tick: {allocations}");
    assert!(events > 10_000, "the log recorded the walks and waits");
    assert_eq!(allocations, 0, "a drained log keeps its capacity");

    // Polled on two threads, every tick (however few units are runnable): the tick's work is
    // handed to Think's pool through its queue, which takes a new block of room every 63 jobs.
    sim.record_events(false);
    sim.set_threads(2);
    sim.world_mut()
        .resource_mut::<tickweave::systems::Executor>()
        .set_parallel_from(1);
    let ticks = 630;
    let allocations = allocations_per_tick(&mut sim, 300, ticks);
    println!("on two threads, {ticks} ticks: {allocations}");
    assert!(
        allocations <= ticks / 63 + 1,
        "a steady tick on two threads allocates only in the pool's queue, once in 63 ticks"
    );
}
