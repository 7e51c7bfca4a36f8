//! Soak: a long run with churn, checking that memory stays flat.
//!
//! 10,000 units (by default) run for 1,000,000 ticks. Half patrol between two random cells,
//! half wander with pauses. Every 100 ticks a seeded 10% of the units are despawned and
//! respawned with fresh behaviours. The live heap (counted by a global allocator) is read at
//! tick 10,000 and at the end; the run fails if it grew by more than 1%. It runs twice: with
//! tracing off, and with a subscriber at `info` writing to a sink.
//!
//! `cargo run --release --example soak -- [--ticks N] [--units N] [--mode off|info|both]`
#![allow(
    unsafe_code,
    reason = "a global allocator must implement the unsafe GlobalAlloc trait"
)]
#![allow(clippy::print_stdout, reason = "an example reports what it measured")]
#![allow(clippy::print_stderr, reason = "progress and errors go to stderr")]

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::alloc::{GlobalAlloc, Layout, System};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;
use tickweave::behaviors::game::{Area, wander};
use tickweave::prelude::*;

struct CountingAllocator;

static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);

// SAFETY: defers every operation to the system allocator unchanged; it only counts bytes.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(new_size as i64 - layout.size() as i64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

struct Options {
    ticks: u64,
    units: usize,
    modes: Vec<&'static str>,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        ticks: 1_000_000,
        units: 10_000,
        modes: vec!["off", "info"],
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--ticks" => options.ticks = value()?.parse().map_err(|e| format!("--ticks: {e}"))?,
            "--units" => options.units = value()?.parse().map_err(|e| format!("--units: {e}"))?,
            "--mode" => {
                options.modes = match value()?.as_str() {
                    "off" => vec!["off"],
                    "info" => vec!["info"],
                    "both" => vec!["off", "info"],
                    other => {
                        return Err(format!("--mode: expected off, info or both, not {other}"));
                    }
                }
            }
            "--help" | "-h" => {
                return Err(
                    "usage: soak [--ticks N (1000000)] [--units N (10000)] [--mode off|info|both]"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument {other}; try --help")),
        }
    }
    if options.ticks < 10_000 {
        return Err("--ticks must be at least 10000 (the heap is first read at tick 10000)".into());
    }
    Ok(options)
}

fn spawn(
    sim: &mut Simulation,
    rng: &mut Xoshiro256PlusPlus,
    name: String,
) -> bevy_ecs::entity::Entity {
    let cell = |rng: &mut Xoshiro256PlusPlus| {
        ivec2(rng.random_range(-100..=100), rng.random_range(-100..=100))
    };
    let start = cell(rng);
    if rng.random_bool(0.5) {
        let mut end = cell(rng);
        while end == start {
            end = cell(rng);
        }
        let route = Route::new([start, end]).expect("distinct cells");
        sim.spawn(name, start, patrol(route))
    } else {
        let area = Area::new(start - ivec2(10, 10), start + ivec2(10, 10));
        sim.spawn(name, start, wander(area, 5))
    }
}

/// Runs the soak; returns the live heap at tick 10,000 and at the end.
fn soak(options: &Options) -> (i64, i64) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let mut sim = Simulation::new(1);
    let mut units: Vec<_> = (0..options.units)
        .map(|index| spawn(&mut sim, &mut rng, format!("u{index}")))
        .collect();
    let started = Instant::now();
    let mut at_10k = 0;
    for tick in 1..=options.ticks {
        sim.step();
        if tick % 100 == 0 {
            for _ in 0..options.units / 10 {
                let index = rng.random_range(0..options.units);
                sim.despawn(units[index]);
                units[index] = spawn(&mut sim, &mut rng, format!("u{index}"));
            }
        }
        if tick == 10_000 {
            at_10k = LIVE_BYTES.load(Ordering::Relaxed);
        }
        if tick % 100_000 == 0 {
            eprintln!(
                "  tick {tick}: live heap {} bytes, {:.0} ticks/s",
                LIVE_BYTES.load(Ordering::Relaxed),
                tick as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    (at_10k, LIVE_BYTES.load(Ordering::Relaxed))
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("soak: {message}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for &mode in &options.modes {
        eprintln!(
            "soak: {} units, {} ticks, tracing {mode}",
            options.units, options.ticks
        );
        let (at_10k, at_end) = if mode == "info" {
            let subscriber = tracing_subscriber::fmt()
                .with_writer(std::io::sink)
                .with_max_level(tracing::Level::INFO)
                .finish();
            tracing::subscriber::with_default(subscriber, || soak(&options))
        } else {
            soak(&options)
        };
        let growth = (at_end - at_10k) as f64 / at_10k as f64 * 100.0;
        println!(
            "tracing {mode:>4}: live heap {at_10k} bytes at tick 10000, {at_end} bytes at tick {} \
             ({growth:+.3}%)",
            options.ticks
        );
        failed |= growth > 1.0;
    }
    if failed {
        eprintln!("soak: the heap grew by more than 1%");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
