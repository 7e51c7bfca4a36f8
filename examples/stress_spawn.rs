//! Loading `assets/scenarios/stress.ron` and spawning its million patrols, measured.
//!
//! Prints how long reading and checking the file took, how long spawning took, and how much
//! memory each unit costs (the growth of the resident set while spawning, from
//! `/proc/self/status` on Linux), then runs one tick: every patrol starts walking. Run it in
//! release: `cargo run --release --example stress_spawn`.
#![allow(clippy::print_stdout, reason = "an example prints what it measures")]

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::path::Path;
use std::time::Instant;
use tickweave::scenario::Scenario;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let scenario = Scenario::load(Path::new("assets/scenarios/stress.ron"))?;
    println!("load   {:.3} s", started.elapsed().as_secs_f64());

    let before = workload::resident_bytes();
    let started = Instant::now();
    let mut simulation = scenario.simulation(scenario.seed);
    let spawned = started.elapsed();
    let units = scenario.unit_count();
    println!("spawn  {:.3} s for {units} units", spawned.as_secs_f64());
    if let (Some(before), Some(after)) = (before, workload::resident_bytes()) {
        println!("memory {} bytes per unit", (after - before) / units);
    }

    let started = Instant::now();
    simulation.step();
    println!(
        "tick 1 {:.3} s, {} polls",
        started.elapsed().as_secs_f64(),
        simulation.stats().polls
    );
    Ok(())
}
