//! How fast is an async behaviour? Two workloads, each run several ways, side by side.
//!
//! **patrol**: every unit patrols between two seeded random cells of a 101 × 101 grid (both
//! coordinates in -50..=50, the two cells distinct), starting on the first. Each tick, every unit
//! steps one cell toward its current waypoint and turns at a waypoint without losing a tick. The
//! variants:
//!
//! - `state_machine`: a hand-written state machine in one bevy_ecs system (the limit);
//! - `tickweave`: `Simulation::spawn(name, start, patrol(route))` and `step()`;
//! - `sale`: the seed's executor (simple-async-local-executor) and `Rc<RefCell<Unit>>` units;
//! - `naive`: a boxed future per unit polled every tick by a bevy_ecs system, no parking;
//! - `polled`: tickweave running `loop { StepGoto { target: a }.await; StepGoto { target: b }
//!   .await }`, a hand-written leaf future that steps its unit through `unit::set_position` on
//!   every poll, so it never parks — what a user's own future costs.
//!
//! **errand**: every unit loops over four seeded waypoints, waiting a seeded 1 to 20 ticks at
//! each: `loop { goto(a).await; wait(k1).await; goto(b).await; wait(k2).await; … }`. The
//! variants:
//!
//! - `errand_state_machine`: the same loop written by hand in one bevy_ecs system, with
//!   tickweave's exact tick semantics (the limit);
//! - `errand`: the `async fn` spawned in a tickweave `Simulation`.
//!
//! For each number of units, the variants of both workloads are built in one process and run in
//! interleaved rounds (the order rotates each round) after a warm-up; above 100,000 units the
//! default runs only the patrol's first four (`--variant all` runs every one). One table per
//! workload gives the median, minimum and maximum nanoseconds per unit-tick over the rounds, the
//! ratio of medians to that workload's state machine, heap bytes per unit (counted by a global
//! allocator), allocations per tick, and the size of one unit's behaviour. Afterwards every
//! variant of a workload must have its units on the same cells. The last two lines give the
//! ratios at 1,000 and at 100,000 units.
//!
//! ```sh
//! cargo run --release --example compare                      # 1k, 100k and 1M units
//! cargo run --release --example compare -- --units 100000 --ticks 50 --rounds 9
//! cargo run --release --example compare -- --units 100000 --variant polled --rounds 1
//! ```
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark program prints its tables and its usage errors"
)]
#![allow(
    unsafe_code,
    reason = "a global allocator must implement the unsafe GlobalAlloc trait"
)]

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Instant;
use tickweave::components::{Motion, UnitId, UnitName};
use tickweave::prelude::*;
use workload::{Kind, MAX_WAIT, SEED, Variant, Workload};

// ---------------------------------------------------------------------------------------------
// Counting allocator: how many allocations, and how many bytes are live.

struct CountingAllocator;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);

// SAFETY: defers every operation to the system allocator unchanged; it only counts calls and
// requested bytes.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(new_size as i64 - layout.size() as i64, Ordering::Relaxed);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

fn live_bytes() -> i64 {
    LIVE_BYTES.load(Ordering::Relaxed)
}

// ---------------------------------------------------------------------------------------------
// Command line.

const USAGE: &str = "\
Runs the patrol and errand workloads with every variant, interleaved, and prints a table per
workload and size.

Usage: cargo run --release --example compare -- [OPTIONS]

Options:
  --units N[,N...]   numbers of units (repeatable; `_` allowed, e.g. 100_000)
                     [default: 1000,100000,1000000]
  --ticks T          ticks per round [default: 10,000,000 unit-ticks / N, between 10 and 10000]
  --rounds R         measured rounds per size [default: 15]
  --warmup W         ticks run before measuring [default: max(T, 100)]
  --variant NAME     run only this variant (repeatable), or `all` for every variant at every
                     size [default: every variant up to 100,000 units; above, only the patrol's
                     state_machine, tickweave, sale and naive]
                     patrol: state_machine, tickweave, sale, naive, polled
                     errand: errand_state_machine, errand
  -h, --help         print this help

The last line is
  ratios at N=100000: tickweave/state_machine=X.XX tickweave/sale=Y.YY polled/sale=Z.ZZ errand/state_machine=W.WW
(quotients of medians; errand/state_machine is errand over errand_state_machine), preceded by
the same line at N=1000 when 1000 is among the sizes. Ratios whose variants did not run are
listed as not measured.";

/// What to run.
struct Options {
    sizes: Vec<usize>,
    ticks: Option<u64>,
    rounds: u32,
    warmup: Option<u64>,
    /// The variants named on the command line; empty for the default.
    kinds: Vec<Kind>,
}

/// Above this many units, the default leaves out the variants that are not in [`LARGE`].
const LARGE_FROM: usize = 100_000;

/// The variants run by default above [`LARGE_FROM`] units: the patrol's original four. The new
/// workloads' targets are stated at 1k and 100k, and `polled` alone (every unit polled every
/// tick) would take about a minute at 1M, doubling the default run.
const LARGE: [Kind; 4] = [Kind::StateMachine, Kind::Tickweave, Kind::Sale, Kind::Naive];

impl Options {
    /// The variants to run at `units` units, in table order.
    fn kinds_at(&self, units: usize) -> Vec<Kind> {
        if !self.kinds.is_empty() {
            self.kinds.clone()
        } else if units > LARGE_FROM {
            LARGE.to_vec()
        } else {
            Kind::ALL.to_vec()
        }
    }
}

enum Parsed {
    Run(Options),
    Help,
}

fn parse_number<T: std::str::FromStr>(option: &str, text: &str) -> Result<T, String> {
    text.replace('_', "")
        .parse()
        .map_err(|_| format!("{option} expects a whole number, got `{text}`"))
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Parsed, String> {
    let mut sizes = vec![];
    let mut ticks = None;
    let mut rounds = 15;
    let mut warmup = None;
    let mut kinds = vec![];
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (option, inline) = match arg.split_once('=') {
            Some((option, value)) if option.starts_with("--") => {
                (option.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if option == "-h" || option == "--help" {
            return Ok(Parsed::Help);
        }
        if !matches!(
            option.as_str(),
            "--units" | "--ticks" | "--rounds" | "--warmup" | "--variant"
        ) {
            return Err(format!("unknown argument `{arg}`"));
        }
        let value = match inline {
            Some(value) => value,
            None => args
                .next()
                .ok_or_else(|| format!("{option} expects a value"))?,
        };
        match option.as_str() {
            "--units" => {
                for text in value.split(',') {
                    let units: usize = parse_number(&option, text)?;
                    if units == 0 {
                        return Err("--units must be at least 1".into());
                    }
                    sizes.push(units);
                }
            }
            "--ticks" => {
                let value: u64 = parse_number(&option, &value)?;
                if value == 0 {
                    return Err("--ticks must be at least 1".into());
                }
                ticks = Some(value);
            }
            "--rounds" => {
                rounds = parse_number(&option, &value)?;
                if rounds == 0 {
                    return Err("--rounds must be at least 1".into());
                }
            }
            "--warmup" => warmup = Some(parse_number(&option, &value)?),
            _ => {
                let named = if value == "all" {
                    Kind::ALL.to_vec()
                } else {
                    vec![value.parse()?]
                };
                for kind in named {
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
            }
        }
    }
    if sizes.is_empty() {
        sizes = vec![1_000, 100_000, 1_000_000];
    }
    Ok(Parsed::Run(Options {
        sizes,
        ticks,
        rounds,
        warmup,
        kinds,
    }))
}

// ---------------------------------------------------------------------------------------------
// Measurement.

/// One variant's figures at one size.
struct Measured {
    kind: Kind,
    /// Nanoseconds per unit-tick, one per round.
    rounds: Vec<f64>,
    heap_after_spawn: f64,
    heap_steady: f64,
    allocations_per_tick: f64,
}

impl Measured {
    fn median(&self) -> f64 {
        let mut sorted = self.rounds.clone();
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        if sorted.len() % 2 == 1 {
            sorted[middle]
        } else {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        }
    }

    fn min(&self) -> f64 {
        self.rounds.iter().copied().fold(f64::INFINITY, f64::min)
    }

    fn max(&self) -> f64 {
        self.rounds.iter().copied().fold(0.0, f64::max)
    }
}

/// Results at one size, every workload.
struct SizeReport {
    units: usize,
    measured: Vec<Measured>,
}

impl SizeReport {
    fn median(&self, kind: Kind) -> Option<f64> {
        self.measured
            .iter()
            .find(|measured| measured.kind == kind)
            .map(Measured::median)
    }
}

fn default_ticks(units: usize) -> u64 {
    (10_000_000 / units as u64).clamp(10, 10_000)
}

fn measure(units: usize, options: &Options) -> Result<SizeReport, String> {
    let ticks = options.ticks.unwrap_or_else(|| default_ticks(units));
    let warmup = options.warmup.unwrap_or(ticks.max(100));
    let kinds = options.kinds_at(units);
    let left_out: Vec<&str> = Kind::ALL
        .iter()
        .filter(|kind| options.kinds.is_empty() && !kinds.contains(kind))
        .map(|kind| kind.name())
        .collect();
    println!(
        "N = {} units: {} rounds of {ticks} ticks after {warmup} warm-up ticks, {} interleaved{}",
        thousands(units as u64),
        options.rounds,
        match kinds.len() {
            1 => "1 variant".to_owned(),
            count => format!("{count} variants"),
        },
        if left_out.is_empty() {
            String::new()
        } else {
            format!(
                " (by default not above {}: {}; `--variant all` runs them)",
                thousands(LARGE_FROM as u64),
                left_out.join(", ")
            )
        },
    );

    let mut variants: Vec<(Box<dyn Variant>, Measured)> = vec![];
    for kind in kinds {
        let before = live_bytes();
        let mut variant = kind.build(units, SEED);
        let after_spawn = live_bytes();
        for _ in 0..warmup {
            variant.step();
        }
        let after_warmup = live_bytes();
        let per_unit = |bytes: i64| bytes as f64 / units as f64;
        variants.push((
            variant,
            Measured {
                kind,
                rounds: vec![],
                heap_after_spawn: per_unit(after_spawn - before),
                heap_steady: per_unit(after_warmup - before),
                allocations_per_tick: 0.0,
            },
        ));
    }

    let mut allocations_counted = vec![0u64; variants.len()];
    let unit_ticks = (units as u64 * ticks) as f64;
    for round in 0..options.rounds as usize {
        for offset in 0..variants.len() {
            let index = (round + offset) % variants.len();
            let (variant, measured) = &mut variants[index];
            let allocations_before = allocations();
            let start = Instant::now();
            for _ in 0..ticks {
                variant.step();
            }
            let elapsed = start.elapsed();
            allocations_counted[index] += allocations() - allocations_before;
            measured.rounds.push(elapsed.as_nanos() as f64 / unit_ticks);
        }
    }
    let measured_ticks = (ticks * u64::from(options.rounds)) as f64;
    for ((_, measured), counted) in variants.iter_mut().zip(allocations_counted) {
        measured.allocations_per_tick = counted as f64 / measured_ticks;
    }

    // Same workload, same result: every variant of a workload has its units on the same cells.
    let total_ticks = warmup + ticks * u64::from(options.rounds);
    let mut agreed = vec![];
    for workload in Workload::ALL {
        let mut of_workload = variants
            .iter_mut()
            .filter(|(_, measured)| measured.kind.workload() == workload);
        let Some((first, reference)) = of_workload.next() else {
            continue;
        };
        let expected = first.positions();
        let mut compared = 1;
        for (variant, measured) in of_workload {
            let positions = variant.positions();
            if let Some(unit) = (0..units).find(|&unit| positions[unit] != expected[unit]) {
                return Err(format!(
                    "{workload}: {} and {} disagree after {total_ticks} ticks: unit {unit} is at \
                     {} in one, {} in the other",
                    reference.kind, measured.kind, expected[unit], positions[unit]
                ));
            }
            compared += 1;
        }
        agreed.push((workload, compared));
    }

    let measured: Vec<Measured> = variants.into_iter().map(|(_, measured)| measured).collect();
    let report = SizeReport { units, measured };
    for (workload, compared) in agreed {
        if compared > 1 {
            println!(
                "{workload}: all {} units on the same cells in its {compared} variants after \
                 {total_ticks} ticks",
                thousands(units as u64)
            );
        } else {
            println!("{workload}:");
        }
        print_table(&report, workload);
    }
    Ok(report)
}

/// The table of one workload's variants at one size; `× s_m` is the ratio of medians to the
/// workload's state machine.
fn print_table(report: &SizeReport, workload: Workload) {
    let baseline = report.median(workload.baseline());
    println!(
        "{:<20} {:>29} {:>9} {:>12} {:>12} {:>12} {:>9}",
        "",
        "ns per unit-tick",
        "",
        "heap B/unit",
        "heap B/unit",
        "",
        workload.name()
    );
    println!(
        "{:<20} {:>9} {:>9} {:>9} {:>9} {:>12} {:>12} {:>12} {:>9}",
        "variant",
        "median",
        "min",
        "max",
        "× s_m",
        "after spawn",
        "steady",
        "allocs/tick",
        "future B",
    );
    let rows = report
        .measured
        .iter()
        .filter(|measured| measured.kind.workload() == workload);
    for measured in rows {
        let ratio = baseline.map_or_else(
            || "-".to_owned(),
            |baseline| format!("{:.2}", measured.median() / baseline),
        );
        println!(
            "{:<20} {:>9.2} {:>9.2} {:>9.2} {:>9} {:>12.1} {:>12.1} {:>12.2} {:>9}",
            measured.kind.name(),
            measured.median(),
            measured.min(),
            measured.max(),
            ratio,
            measured.heap_after_spawn,
            measured.heap_steady,
            measured.allocations_per_tick,
            measured.kind.future_size(),
        );
    }
    println!();
}

/// The ratios of medians the summary lines give: name, numerator, denominator.
const RATIOS: [(&str, Kind, Kind); 4] = [
    (
        "tickweave/state_machine",
        Kind::Tickweave,
        Kind::StateMachine,
    ),
    ("tickweave/sale", Kind::Tickweave, Kind::Sale),
    ("polled/sale", Kind::Polled, Kind::Sale),
    (
        "errand/state_machine",
        Kind::Errand,
        Kind::ErrandStateMachine,
    ),
];

/// `ratios at N=…: name=X.XX …`, naming the ratios whose variants did not run at that size.
fn ratios_line(units: usize, report: Option<&SizeReport>) -> String {
    let mut measured = vec![];
    let mut missing = vec![];
    for (name, numerator, denominator) in RATIOS {
        let ratio =
            report.and_then(|report| Some(report.median(numerator)? / report.median(denominator)?));
        match ratio {
            Some(ratio) => measured.push(format!("{name}={ratio:.2}")),
            None => missing.push(name),
        }
    }
    let mut line = format!("ratios at N={units}:");
    if !measured.is_empty() {
        line += &format!(" {}", measured.join(" "));
    }
    if !missing.is_empty() {
        line += &format!(
            " (not measured: {}; needs --units {units} with their variants)",
            missing.join(", ")
        );
    }
    line
}

fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(options)) => options,
        Ok(Parsed::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\nRun with --help for the options.");
            return ExitCode::from(2);
        }
    };

    println!(
        "workloads: seed {SEED}, waypoints in -{0}..={0} on both axes, errand waits 1..={MAX_WAIT} \
         ticks; build profile: {1}",
        workload::EXTENT,
        if cfg!(debug_assertions) {
            "debug (use --release for meaningful numbers)"
        } else {
            "release"
        }
    );
    println!(
        "tickweave stores each unit's behaviour boxed (the future's size is in the tables) in a \
         Behavior component of {} B, beside UnitName {} B (+ the name's heap bytes), UnitId {} B, \
         Position {} B, Motion {} B",
        size_of::<Behavior>(),
        size_of::<UnitName>(),
        size_of::<UnitId>(),
        size_of::<Position>(),
        size_of::<Motion>(),
    );
    println!();

    let mut reports = vec![];
    for &units in &options.sizes {
        match measure(units, &options) {
            Ok(report) => reports.push(report),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        }
    }

    // The targets are stated at 1k and 100k; the 100k line comes last.
    let report_at = |units| reports.iter().find(|report| report.units == units);
    if options.sizes.contains(&1_000) {
        println!("{}", ratios_line(1_000, report_at(1_000)));
    }
    println!("{}", ratios_line(100_000, report_at(100_000)));
    ExitCode::SUCCESS
}
