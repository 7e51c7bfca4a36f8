//! How tickweave scales with the number of units, beyond the 2-waypoint patrol.
//!
//! Four workloads at 1,000, 10,000, 100,000 and 1,000,000 units:
//!
//! - `skirmish`: guards and wanderers 1:2, generated groups as a scenario file writes them
//!   (`Guard` over two random cells with sight 4, `Wander` over the whole field), on a square
//!   field that grows with the count so that each unit has about 310 cells, as in the built-in
//!   skirmish (constant density);
//! - `fixed_area`: the same units on a field fixed at 316 × 316, so that density grows with the
//!   count;
//! - `patrol`: each unit patrols between two random cells of a 1,000 × 1,000 field;
//! - `wait`: each unit loops over four waypoints and waits 1 to 20 ticks at each (the errand of
//!   `examples/compare.rs`), so most of its polls are wake-ups.
//!
//! Each measurement runs in a process of its own, so that what one frees cannot flatter the next
//! one's memory. For each it prints the spawn time (building the world and spawning every unit),
//! the first tick's time, ticks per second over the next 50 ticks (fewer if they take over ten
//! seconds, but at least three), the growth of the resident set from before spawning to after the first
//! tick per unit (Linux `/proc/self/status`), and polls per unit-tick.
//!
//! The last line sums up the issue's targets: the constant-density skirmish's ticks per second
//! at 100,000 units, the fixed-area skirmish's time per tick divided by the constant-density
//! one's at 100,000 units, and the patrol's bytes per unit and spawn-plus-first-tick seconds at
//! 1,000,000 units.
//!
//! ```sh
//! cargo run --release --example scale
//! cargo run --release --example scale -- --sizes 1000,10000       # fewer sizes
//! cargo run --release --example scale -- --one skirmish 100000     # one measurement
//! cargo run --release --example scale -- --one skirmish 100000 20  # exactly 20 ticks more
//! cargo run --release --example scale -- --threads 2 --one skirmish 100000  # Think on 2 threads
//! ```
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark program prints its table and its usage errors"
)]

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};
use tickweave::Simulation;
use tickweave::scenario::Scenario;

/// The workloads, in the order the table shows them.
const WORKLOADS: [&str; 4] = ["skirmish", "fixed_area", "patrol", "wait"];

/// The unit counts measured unless `--sizes` says otherwise.
const SIZES: [u64; 4] = [1_000, 10_000, 100_000, 1_000_000];

/// How many ticks after the first are timed: the same window for every workload, since a
/// skirmish changes as it goes (guards catch scouts), so that two workloads compare like with
/// like.
const WINDOW: u64 = 50;

/// The window is cut short after this long…
const RUN_AT_MOST: Duration = Duration::from_secs(10);

/// …but never below this many ticks.
const MIN_TICKS: u64 = 3;

/// Cells per unit in the built-in skirmish (12 units on 61 × 61), kept by `skirmish`.
const CELLS_PER_UNIT: f64 = 310.0;

/// The side of the field of `fixed_area`.
const FIXED_SIDE: u64 = 316;

/// One measurement, as a child process reports it.
#[derive(Clone, Copy, Debug)]
struct Measured {
    spawn_s: f64,
    first_tick_s: f64,
    ticks_per_s: f64,
    bytes_per_unit: f64,
    polls_per_unit_tick: f64,
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut threads = 1;
    if args.first().is_some_and(|flag| flag == "--threads") {
        match args.get(1).map(|count| count.parse::<usize>()) {
            Some(Ok(count)) if count >= 1 => threads = count,
            _ => {
                eprintln!("--threads needs a whole number of threads, at least 1");
                return ExitCode::from(2);
            }
        }
        args.drain(..2);
    }
    match args.as_slice() {
        [flag, workload, units, rest @ ..] if flag == "--one" && rest.len() <= 1 => {
            let Ok(units) = units.parse::<u64>() else {
                eprintln!("--one: the unit count must be a whole number, not {units:?}");
                return ExitCode::from(2);
            };
            let ticks = match rest.first().map(|ticks| ticks.parse::<u64>()) {
                None => None,
                Some(Ok(ticks)) => Some(ticks),
                Some(Err(_)) => {
                    eprintln!(
                        "--one: the tick count must be a whole number, not {:?}",
                        rest[0]
                    );
                    return ExitCode::from(2);
                }
            };
            match measure(workload, units, ticks, threads) {
                Ok(measured) => {
                    println!("{}", report_line(workload, units, measured));
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::from(2)
                }
            }
        }
        [] => table(&SIZES, threads),
        [flag, sizes] if flag == "--sizes" => match parse_sizes(sizes) {
            Ok(sizes) => table(&sizes, threads),
            Err(message) => {
                eprintln!("{message}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!(
                "usage: scale [--threads N] [--sizes N,N,...] | \
                 scale [--threads N] --one WORKLOAD UNITS [TICKS]\n\
                 workloads: {}",
                WORKLOADS.join(", ")
            );
            ExitCode::from(2)
        }
    }
}

/// `1000,10000` as unit counts.
fn parse_sizes(text: &str) -> Result<Vec<u64>, String> {
    text.split(',')
        .map(|size| {
            size.trim()
                .parse::<u64>()
                .ok()
                .filter(|&units| units > 0)
                .ok_or_else(|| format!("--sizes: {size:?} is not a positive whole number"))
        })
        .collect()
}

/// Measures every workload at every size, each in a child process, and prints the table and
/// the summary line.
fn table(sizes: &[u64], threads: usize) -> ExitCode {
    let program = match std::env::current_exe() {
        Ok(program) => program,
        Err(error) => {
            eprintln!("cannot find this program to run its measurements: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{:<11} {:>9} {:>9} {:>11} {:>11} {:>10} {:>12}",
        "workload", "units", "spawn s", "1st tick s", "ticks/s", "B/unit", "polls/u-tick"
    );
    let mut results = Vec::new();
    for workload in WORKLOADS {
        for &units in sizes {
            let output = Command::new(&program)
                .args(["--threads", &threads.to_string()])
                .args(["--one", workload, &units.to_string()])
                .output();
            let measured = match output {
                Ok(output) if output.status.success() => {
                    parse_report(&String::from_utf8_lossy(&output.stdout))
                }
                Ok(output) => Err(format!(
                    "{workload} at {units} units failed ({}): {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr).trim()
                )),
                Err(error) => Err(format!("cannot run {workload} at {units} units: {error}")),
            };
            match measured {
                Ok(m) => {
                    println!(
                        "{workload:<11} {units:>9} {:>9.3} {:>11.3} {:>11.1} {:>10.0} {:>12.3}",
                        m.spawn_s,
                        m.first_tick_s,
                        m.ticks_per_s,
                        m.bytes_per_unit,
                        m.polls_per_unit_tick
                    );
                    results.push((workload, units, m));
                }
                Err(message) => {
                    eprintln!("{message}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let find = |workload: &str, units: u64| {
        results
            .iter()
            .find(|(w, n, _)| *w == workload && *n == units)
            .map(|(_, _, m)| *m)
    };
    let shown = |value: Option<f64>, digits: usize| {
        value.map_or_else(|| "n/a".to_owned(), |value| format!("{value:.digits$}"))
    };
    let constant = find("skirmish", 100_000);
    let fixed = find("fixed_area", 100_000);
    let patrol = find("patrol", 1_000_000);
    println!(
        "scale at N=100000: skirmish_ticks_per_s={} fixed_area/constant={} bytes_per_unit={} \
         spawn_1m_s={}",
        shown(constant.map(|m| m.ticks_per_s), 1),
        shown(
            constant
                .zip(fixed)
                .map(|(constant, fixed)| constant.ticks_per_s / fixed.ticks_per_s),
            2
        ),
        shown(patrol.map(|m| m.bytes_per_unit), 0),
        shown(patrol.map(|m| m.spawn_s + m.first_tick_s), 3),
    );
    ExitCode::SUCCESS
}

/// The line a child prints; [`parse_report`] reads it back.
fn report_line(workload: &str, units: u64, m: Measured) -> String {
    format!(
        "measured {workload} {units} {} {} {} {} {}",
        m.spawn_s, m.first_tick_s, m.ticks_per_s, m.bytes_per_unit, m.polls_per_unit_tick
    )
}

fn parse_report(stdout: &str) -> Result<Measured, String> {
    let line = stdout
        .lines()
        .find(|line| line.starts_with("measured "))
        .ok_or_else(|| format!("a measurement printed no result: {stdout:?}"))?;
    let numbers: Vec<f64> = line
        .split_whitespace()
        .skip(3)
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|error| format!("a measurement printed {line:?}: {error}"))?;
    let [
        spawn_s,
        first_tick_s,
        ticks_per_s,
        bytes_per_unit,
        polls_per_unit_tick,
    ] = numbers[..]
    else {
        return Err(format!("a measurement printed {line:?}"));
    };
    Ok(Measured {
        spawn_s,
        first_tick_s,
        ticks_per_s,
        bytes_per_unit,
        polls_per_unit_tick,
    })
}

/// Builds `workload` with `units` units, runs it and measures it: after the first tick, for
/// `ticks` ticks if given (for instruction counts, which must not depend on the clock), else
/// for the [`WINDOW`].
fn measure(
    workload: &str,
    units: u64,
    ticks_wanted: Option<u64>,
    threads: usize,
) -> Result<Measured, String> {
    let before = workload::resident_bytes();
    let started = Instant::now();
    let mut sim = build(workload, units)?;
    sim.set_threads(threads);
    let spawn_s = started.elapsed().as_secs_f64();

    let started = Instant::now();
    sim.step();
    let first_tick_s = started.elapsed().as_secs_f64();
    let bytes_per_unit = match (before, workload::resident_bytes()) {
        (Some(before), Some(after)) => after.saturating_sub(before) as f64 / units as f64,
        _ => f64::NAN,
    };

    let polls_before = sim.stats().polls;
    let started = Instant::now();
    let mut ticks = 0;
    while match ticks_wanted {
        Some(wanted) => ticks < wanted,
        None => ticks < MIN_TICKS || (ticks < WINDOW && started.elapsed() < RUN_AT_MOST),
    } {
        sim.step();
        ticks += 1;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let polls = sim.stats().polls - polls_before;
    Ok(Measured {
        spawn_s,
        first_tick_s,
        ticks_per_s: ticks as f64 / elapsed,
        bytes_per_unit,
        polls_per_unit_tick: polls as f64 / (units * ticks.max(1)) as f64,
    })
}

/// The simulation of `workload` with `units` units, spawned.
fn build(workload: &str, units: u64) -> Result<Simulation, String> {
    let text = match workload {
        "skirmish" => {
            let side = ((units as f64 * CELLS_PER_UNIT).sqrt().ceil() as u64).max(2);
            skirmish_file(units, side)
        }
        "fixed_area" => skirmish_file(units, FIXED_SIDE),
        "patrol" => patrol_file(units),
        "wait" => {
            let mut sim = Simulation::new(workload::SEED);
            let count = usize::try_from(units).map_err(|_| "too many units".to_owned())?;
            for (index, route) in workload::errand_routes(count, workload::SEED)
                .into_iter()
                .enumerate()
            {
                sim.spawn(
                    format!("u{index}"),
                    route.waypoints[0],
                    workload::errand(route),
                );
            }
            return Ok(sim);
        }
        other => {
            return Err(format!(
                "no workload is called {other:?}; the workloads are {}",
                WORKLOADS.join(", ")
            ));
        }
    };
    let scenario = Scenario::parse(&text, workload).map_err(|error| error.to_string())?;
    Ok(scenario.simulation(scenario.seed))
}

/// Guards and wanderers 1:2 on a `side` × `side` field.
fn skirmish_file(units: u64, side: u64) -> String {
    let guards = units / 3;
    let scouts = units - guards;
    let low = -(side as i64) / 2;
    let high = low + side as i64 - 1;
    let area = format!("(from: ({low}, {low}), to: ({high}, {high}))");
    format!(
        "Scenario(seed: 4, world: {area}, teams: [\"guards\", \"scouts\"], groups: [
            Group(name: \"g\", count: {guards}, team: \"guards\", area: {area},
                  behavior: Guard(waypoints: [Random, Random], sight: 4, patience: 3)),
            Group(name: \"s\", count: {scouts}, team: \"scouts\", area: {area},
                  behavior: Wander(from: ({low}, {low}), to: ({high}, {high}), max_pause: 3)),
        ])"
    )
}

/// Two-waypoint patrols on a 1,000 × 1,000 field.
fn patrol_file(units: u64) -> String {
    format!(
        "Scenario(seed: 1, world: (from: (-500, -500), to: (499, 499)), groups: [
            Group(name: \"p\", count: {units}, area: (from: (-500, -500), to: (499, 499)),
                  behavior: Patrol(waypoints: [Random, Random])),
        ])"
    )
}
