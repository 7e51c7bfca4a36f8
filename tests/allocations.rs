//! A steady simulation makes no heap allocation per tick: with no tracing subscriber, with one
//! that filters tickweave's events out (as the command line installs by default), and while the
//! event log records and is drained every tick.
//!
//! Its own test binary (no harness, one thread) so that a counting global allocator sees only
//! the simulation's allocations.

#![allow(
    unsafe_code,
    reason = "a global allocator must implement the unsafe GlobalAlloc trait"
)]
#![allow(clippy::print_stdout, reason = "reports the counts it measured")]

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use tickweave::prelude::*;

struct CountingAllocator;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: defers every operation to the system allocator unchanged; it only counts calls.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

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

fn main() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
    let mut sim = Simulation::new(2);
    for index in 0..1_000 {
        let start = random_cell(&mut rng);
        let mut other = random_cell(&mut rng);
        while other == start {
            other = random_cell(&mut rng);
        }
        let route = Route::new([start, other]).expect("distinct waypoints");
        sim.spawn(format!("patroller{index}"), start, patrol(route));
    }
    // Units that also wait, so the timer path is steady too.
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
    // The run queue reaches its high-water mark (more than 256 units woken in one tick) only
    // after tick 300, when patrols, waits and races happen to line up: warm up past it.
    let allocations = allocations_per_tick(&mut sim, 1_300, 1_000);
    println!("allocations in 1000 steady ticks of 1200 units: {allocations}");
    assert_eq!(allocations, 0, "a steady tick must not allocate");
    assert!(sim.stats().polls > 100_000, "the units were busy");

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
}
