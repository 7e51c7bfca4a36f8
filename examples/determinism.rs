//! Determinism at scale: two simulations of the same seeded world, stepped in lockstep.
//!
//! 10,000 units (by default) — wanderers drawing from their own seeded generators, hunters that
//! sense the other team and chase it, patrols — run for 100,000 ticks in two worlds built the
//! same way, one spawning its units in a shuffled order. After every tick the two world
//! checksums must agree; the program stops at the first tick they do not (exit status 1).
//!
//! `cargo run --release --example determinism -- [--ticks N] [--units N]`
#![allow(clippy::print_stdout, reason = "an example reports what it measured")]
#![allow(clippy::print_stderr, reason = "progress and errors go to stderr")]

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::process::ExitCode;
use std::time::Instant;
use tickweave::behaviors::game::{Area, wander};
use tickweave::prelude::*;

/// A world of `units` units, spawned in the order of `ids`.
fn world(ids: &[u64]) -> Simulation {
    let mut sim = Simulation::new(2024);
    sim.enable_sensing();
    for &id in ids {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(id);
        let start = ivec2(rng.random_range(-150..=150), rng.random_range(-150..=150));
        let behavior = match id % 3 {
            0 => Behavior::new(wander(
                Area::new(start - ivec2(12, 12), start + ivec2(12, 12)),
                3,
            )),
            1 => Behavior::new(async move {
                loop {
                    let me = unit::team();
                    if let Some(other) = nearest(|s| s.team != me, 4) {
                        let _ = timeout(8, chase(other.id)).await;
                    }
                    let _ = race(goto(start + ivec2(6, -4)), wait(7)).await;
                    goto(start).await;
                }
            }),
            _ => Behavior::new(patrol(
                Route::new([start, start + ivec2(9, 5)]).expect("distinct"),
            )),
        };
        sim.world_mut().spawn((
            UnitId(id),
            UnitName::from(format!("u{id}")),
            Team((id % 2) as u32),
            Position(start),
            behavior,
        ));
    }
    sim
}

fn parse(name: &str, value: Option<String>) -> Result<u64, String> {
    let value = value.ok_or(format!("{name} needs a value"))?;
    value
        .parse()
        .map_err(|error| format!("{name} {value}: {error}"))
}

fn main() -> ExitCode {
    let (mut ticks, mut units, mut threads) = (100_000, 10_000, 1);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let parsed = match arg.as_str() {
            "--ticks" => parse("--ticks", args.next()).map(|value| ticks = value),
            "--units" => parse("--units", args.next()).map(|value| units = value),
            "--threads" => parse("--threads", args.next()).map(|value| threads = value as usize),
            _ => Err(format!(
                "unknown argument {arg}; usage: determinism [--ticks N] [--units N] [--threads N]"
            )),
        };
        if let Err(message) = parsed {
            eprintln!("determinism: {message}");
            return ExitCode::from(2);
        }
    }
    let ids: Vec<u64> = (0..units).collect();
    let mut shuffled = ids.clone();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.random_range(0..=i));
    }
    let (mut a, mut b) = (world(&ids), world(&shuffled));
    b.set_threads(threads);
    let started = Instant::now();
    for tick in 1..=ticks {
        a.step();
        b.step();
        let (left, right) = (a.checksum(), b.checksum());
        if left != right {
            println!("diverged at tick {tick}: {left} vs {right}");
            return ExitCode::FAILURE;
        }
        if tick % 10_000 == 0 {
            eprintln!(
                "  tick {tick}: {left} ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "{units} units, {ticks} ticks ({threads} threads against 1): identical checksums every \
         tick (last {}), {} polls",
        a.checksum(),
        a.stats().polls
    );
    ExitCode::SUCCESS
}
