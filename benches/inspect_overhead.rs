//! What inspection costs when it is off: 100,000 units stepping, to run under callgrind.
//!
//! ```sh
//! cargo bench --bench inspect_overhead --no-run   # prints the binary's path
//! valgrind --tool=callgrind --toggle-collect='*measured_ticks*' BINARY patrol none
//! ```
//!
//! The first argument picks the workload: `patrol` (units walk a two-waypoint route and are
//! polled only on arrival) or `busy` (every unit races a walk against a `next_tick` loop under a
//! label, so it is polled every tick with a four-frame activity stack). The second picks the
//! tracing subscriber: `none`, `warn` (an `EnvFilter` at `warn`, as the command line installs by
//! default) or `trace` (`tickweave=trace`, formatted into nothing). Only the ticks inside
//! `measured_ticks` are counted; it prints the wall time per unit-tick as well.
//!
//! It uses only what tickweave offered before inspection existed, so it also builds against an
//! older commit (copy it there, with its `[[bench]]` entry) for a before/after comparison. To
//! price the activity stack alone, build once more with the functions of
//! `src/behaviors/trail.rs` emptied (`store_into` returning false) and compare.
//!
//! Measured on this program (instructions, 100,000 units, 50 ticks): the spans and events cost
//! about 2% with no subscriber or with one at `warn` (the same count either way) — 28 per poll
//! of a patrol (2 per unit-tick, 0.08 polls per unit-tick) and 23 per poll of the busy units.
//! The activity stack costs 129 instructions per patrol poll (10 per unit-tick) and 269 per
//! poll of a busy unit (a four-frame label, race, goto and next_tick).

#![allow(clippy::print_stdout, reason = "a benchmark reports what it measured")]

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::time::Instant;
use tickweave::prelude::*;

const UNITS: u32 = 100_000;
const WARM_UP: u64 = 20;
const MEASURED: u64 = 50;

fn random_cell(rng: &mut Xoshiro256PlusPlus) -> IVec2 {
    ivec2(rng.random_range(-20..=20), rng.random_range(-20..=20))
}

fn spawn(sim: &mut Simulation, workload: &str) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    for index in 0..UNITS {
        let start = random_cell(&mut rng);
        let mut other = random_cell(&mut rng);
        while other == start {
            other = random_cell(&mut rng);
        }
        let name = format!("unit{index}");
        match workload {
            "patrol" => {
                let route = Route::new([start, other]).expect("distinct waypoints");
                sim.spawn(name, start, patrol(route));
            }
            "busy" => {
                sim.spawn(name, start, async move {
                    loop {
                        for cell in [other, start] {
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
            other => panic!("unknown workload `{other}`: use `patrol` or `busy`"),
        }
    }
}

#[inline(never)]
fn measured_ticks(sim: &mut Simulation) {
    sim.run(MEASURED);
}

fn run(workload: &str) {
    let mut sim = Simulation::new(1);
    spawn(&mut sim, workload);
    sim.run(WARM_UP);
    let polls = sim.stats().polls;
    let started = Instant::now();
    measured_ticks(&mut sim);
    let elapsed = started.elapsed();
    let unit_ticks = f64::from(UNITS) * MEASURED as f64;
    println!(
        "{workload}: {:.2} ns per unit-tick, {:.3} polls per unit-tick",
        elapsed.as_nanos() as f64 / unit_ticks,
        (sim.stats().polls - polls) as f64 / unit_ticks,
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let workload = args.first().map_or("patrol", String::as_str);
    let subscriber = args.get(1).map_or("none", String::as_str);
    let filter = match subscriber {
        "none" => return run(workload),
        "warn" => "warn",
        "trace" => "tickweave=trace",
        other => panic!("unknown subscriber `{other}`: use `none`, `warn` or `trace`"),
    };
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::sink)
        .finish();
    tracing::subscriber::with_default(subscriber, || run(workload));
}
