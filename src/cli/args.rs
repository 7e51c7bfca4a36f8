//! The command line, as clap reads it.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use tickweave::scenario::limits::MAX_TICKS;

use super::sweep::{MAX_JOBS, MAX_SECONDS, SeedList, Shard};

/// Unit behaviours as async blocks, simulated headless, tick by tick.
///
/// Without a command, `tickweave` runs the built-in scenario (the same as `tickweave run`).
///
/// Exit status, for every command: 0 success (for `diff`, identical traces), 1 the traces
/// differ (`diff`), 2 invalid input — arguments, a scenario, a trace, or an output that cannot
/// be created — and nothing was written, 3 an output could not be written, 130 stopped by
/// Ctrl-C, SIGTERM or SIGHUP (a sweep keeps the rows of the seeds it finished).
#[derive(Debug, Parser)]
#[command(name = "tickweave", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario for a number of ticks and print a summary.
    ///
    /// Exit status: 0 on success, 2 on invalid input (arguments, scenario, or an output that
    /// cannot be created), 3 if an output could not be written, 130 if stopped by Ctrl-C,
    /// SIGTERM or SIGHUP (the outputs hold every tick up to then).
    Run(RunArgs),

    /// Show a trace tick by tick: where each unit was and what it was doing.
    ///
    /// Reads a trace written by `run --trace` and prints, for each tick, every unit's cell and
    /// activity stack, then the tick's events.
    ///
    /// Exit status: 0 on success, 2 on invalid input (a malformed trace, an unknown unit, a bad
    /// range), 3 if output could not be written.
    Inspect(InspectArgs),
    /// Find the first tick where two traces diverge, and what differs there.
    ///
    /// Compares two traces written by `run --trace` tick by tick and, at the first tick where
    /// they differ, lists the units and fields that differ (first → second) and the events.
    ///
    /// Exit status: 0 if they are identical, 1 if they differ, 2 on invalid input, 3 if output
    /// could not be written.
    Diff(DiffArgs),

    /// Write a trace as a web page to watch: the grid tick by tick, each unit's activity stack.
    ///
    /// Reads a trace written by `run --trace` and writes one self-contained HTML file (it opens
    /// from disk, with no network): the grid with every unit at the current tick, coloured by
    /// team, with a short trail; play, pause, step and a tick slider (keys: space, ←, →); a
    /// unit's name, cell, state, activity stack and events on hover or click, and "follow" to
    /// keep it centred; the tick's events on the grid and in a list filtered by unit and kind;
    /// and a strip of units and events per tick. A trace whose page would hold more than
    /// 96 MB of data is refused: view part of it with --unit or --ticks.
    ///
    /// Exit status: 0 on success, 2 on invalid input (a malformed or too large trace, an
    /// unknown unit, a bad range, an output that cannot be created), 3 if the page could not be
    /// written.
    View(ViewArgs),

    /// Check a scenario file and summarise it, or list every problem in it.
    ///
    /// Exit status: 0 if the scenario is valid, 2 if it is not (the same message `run` gives),
    /// 3 if output could not be written.
    Check(CheckArgs),

    /// Run a scenario from many seeds, on every core: a CSV row per seed and their statistics.
    ///
    /// Each seed's row holds what `tickweave run --seed S` reports: ticks, units spawned and
    /// alive, behaviours completed, failed, cancelled and faulted, polls, every named tally
    /// (`tally.NAME`), the unit events of each kind (`event.KIND`) and the final checksum. A
    /// seed whose run panics outside a behaviour, or goes over `--max-seconds`, has a row that
    /// says so in its `fault` column, and the sweep goes on. Rows are sorted by seed, so the
    /// file does not depend on which seed finished first. The summary gives, for each column,
    /// its mean, minimum, median, 95th percentile and maximum and the seeds at the extremes.
    ///
    /// A sweep stopped part-way (Ctrl-C, a killed job) keeps every finished row in FILE.partial
    /// beside `--out FILE`; the same command, run again, runs only the seeds without a row.
    ///
    /// Exit status: 0 when every seed has its row (faults included), 2 on invalid input
    /// (nothing is run), 3 if an output could not be written, 130 if stopped by Ctrl-C, SIGTERM
    /// or SIGHUP (the finished rows are kept for the next run).
    Sweep(SweepArgs),

    /// Combine the files of a sweep's shards into the file the whole sweep writes.
    ///
    /// The files must come from `tickweave sweep --shard I/N --out FILE` with the same scenario,
    /// ticks and seeds; together they must hold one row for each seed. The merged file is
    /// byte for byte the one `tickweave sweep` without `--shard` would have written.
    ///
    /// Exit status: 0 on success, 2 if the files are not shards of one sweep, overlap or leave
    /// seeds out (nothing is written), 3 if the merged file could not be written.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario file in RON (see docs/scenario-format.md).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
}

#[derive(Debug, Default, Args)]
pub struct RunArgs {
    /// Scenario file in RON (see assets/scenarios/). Without it, the built-in `skirmish`
    /// scenario runs: guards patrol, scouts wander, guards chase the scouts they see.
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<PathBuf>,

    /// Ticks to run, at most 1000000000 [default: the scenario's `ticks`, or 100 if it sets
    /// none]. Ctrl-C (or SIGTERM, SIGHUP) stops a run at the end of the tick under way, with
    /// every output complete up to that tick (exit status 130); a second stops it at once,
    /// leaving every output as it was.
    #[arg(long, value_name = "N", value_parser = ticks, allow_negative_numbers = true)]
    pub ticks: Option<u64>,

    /// Seed for the random number generator, a whole number from 0 to 18446744073709551615
    /// [default: the scenario's `seed`, or 0].
    #[arg(long, value_name = "S", value_parser = seed, allow_negative_numbers = true)]
    pub seed: Option<u64>,

    /// Write every unit's cell at every tick to FILE as CSV: a header `tick,unit,x,y`, then one
    /// row per unit per tick from tick 0 (the initial state) to the last, ordered by unit id.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,

    /// Write a JSON-lines trace to FILE: for every tick from 0 to the last, one record per unit
    /// (tick, id, unit, x, y, state, activity) in unit-id order, then the tick's events (goto
    /// issued, waypoint reached, signal received, …) by unit id, then the tick's checksum. Read
    /// it with `tickweave inspect` and compare two with `tickweave diff`.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,

    /// Draw the run as an SVG picture in FILE: one coloured trajectory per unit (a team's units
    /// in one family of colours), its start and end marked, a ◆ where a chase caught its target
    /// and a ✕ where a unit was despawned, a legend by team, the tick count and the grid
    /// bounds. Paths are kept as their turning points, at most 4 million points in all (at least
    /// 64 per unit): longer paths are thinned evenly, so memory stays bounded for a million
    /// units.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,

    /// Write a timeline of the run to FILE in the Chrome trace-event format (JSON), to open in
    /// Perfetto or chrome://tracing: one `tick` span per tick, from Sense to the end of the
    /// tick, with a `poll` span (its unit's id and name) for each behaviour polled in it.
    #[arg(long, value_name = "FILE.json")]
    pub profile: Option<PathBuf>,

    /// Threads to poll behaviours on, 1 to 256 [default: 1]. Every tick comes out the same
    /// whatever the number: the same checksums, trace, CSV and picture. More threads pay off
    /// only where polls are many and costly (ticks with at least 1024 runnable units, such as
    /// thousands of guards chasing at once) and cores are free: see BENCHMARKS.md.
    #[arg(long, value_name = "N", value_parser = jobs, allow_negative_numbers = true)]
    pub threads: Option<usize>,

    /// No progress bar (it is shown only when stderr is a terminal and the run takes a while).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file in RON (see assets/scenarios/). Without it, the built-in `skirmish`
    /// scenario runs.
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<PathBuf>,

    /// The seeds to run: `A..B` (B excluded), `A..=B`, one seed `N`, or a comma-separated list
    /// of these (`0..100,250,300..=310`); each seed once, at most 1000000 in all. Their order
    /// decides which seeds each `--shard` runs.
    #[arg(long, value_name = "SEEDS", value_parser = seed_list)]
    pub seeds: SeedList,

    /// Ticks each seed runs, at most 1000000000 [default: the scenario's `ticks`, or 100 if it
    /// sets none].
    #[arg(long, value_name = "N", value_parser = ticks, allow_negative_numbers = true)]
    pub ticks: Option<u64>,

    /// Worker threads, each running one seed at a time: from 1 to 256 [default: one per core,
    /// fewer if that many simulations of the scenario would not fit the 4 GB memory budget].
    /// The file does not depend on it.
    #[arg(long, short, value_name = "J", value_parser = jobs, allow_negative_numbers = true)]
    pub jobs: Option<usize>,

    /// Write one CSV row per seed to FILE, sorted by seed, after a first line naming the
    /// sweep (`# tickweave sweep; …`: version, scenario hash, ticks, seeds, shard). Finished
    /// rows are kept in FILE.partial as they come; FILE is written when every seed has one. If
    /// FILE or FILE.partial already holds rows of the same sweep, their seeds are not run
    /// again; a FILE of another sweep is refused.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Run only shard I of N: the seeds whose position in `--seeds` is I modulo N, N at most
    /// the number of seeds. N machines (or jobs of a batch system) each run one shard, and
    /// `tickweave merge` combines their files into the whole sweep's file.
    #[arg(long, value_name = "I/N", value_parser = shard)]
    pub shard: Option<Shard>,

    /// A seed whose run takes longer than this many seconds (more than 0, at most 1000000;
    /// decimals allowed) is stopped at the end of the tick under way, and its row says so;
    /// the sweep goes on.
    #[arg(long, value_name = "SECONDS", value_parser = seconds, allow_negative_numbers = true)]
    pub max_seconds: Option<f64>,

    /// Draw a histogram of each of the `--plot` columns over the seeds in FILE (SVG), with its
    /// statistics.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,

    /// The columns `--svg` draws, comma-separated, at most 16: counts such as `alive` or
    /// `polls`, tallies as `tally.NAME` and event kinds as `event.KIND`, or either by its bare
    /// name (`caught`, `chase_started`; a tally's first) [default: every tally].
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',', requires = "svg")]
    pub plot: Vec<String>,

    /// No progress bar (it is shown only when stderr is a terminal and the sweep takes a
    /// while).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The files of the shards, as `tickweave sweep --shard I/N --out FILE` wrote them, in any
    /// order.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Write the merged file to FILE.
    #[arg(long, short, value_name = "FILE", required = true)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// A trace written by `tickweave run --trace FILE`.
    #[arg(value_name = "TRACE")]
    pub trace: PathBuf,

    #[command(flatten)]
    pub filter: TraceFilter,
}

#[derive(Debug, Args)]
pub struct ViewArgs {
    /// A trace written by `tickweave run --trace FILE`.
    #[arg(value_name = "TRACE")]
    pub trace: PathBuf,

    /// Where to write the page [default: the trace's path with the extension `.html`].
    #[arg(long, short, value_name = "FILE.html")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub filter: TraceFilter,
}

/// The part of a trace to show, for `inspect` and `view`.
#[derive(Debug, Args)]
pub struct TraceFilter {
    /// Show only this unit (and the events that name it).
    #[arg(long, value_name = "NAME")]
    pub unit: Option<String>,

    /// Show only these ticks: `A..B` (B excluded), `A..=B`, `A..`, `..B`, `..=B` or one tick `N`.
    #[arg(long, value_name = "RANGE")]
    pub ticks: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The first trace (its values are shown on the left of `→`).
    #[arg(value_name = "A")]
    pub a: PathBuf,

    /// The second trace.
    #[arg(value_name = "B")]
    pub b: PathBuf,
}

/// A number of ticks to run: a whole number from 0 to [`MAX_TICKS`], the limit scenario files
/// have too, so that no run is asked to last for ever.
fn ticks(text: &str) -> Result<u64, String> {
    if text.starts_with('-') {
        return Err(format!(
            "a number of ticks is from 0 to {MAX_TICKS}, not negative"
        ));
    }
    let ticks: u64 = text.parse().map_err(|error: std::num::ParseIntError| {
        if *error.kind() == std::num::IntErrorKind::PosOverflow {
            format!("more than the limit of {MAX_TICKS} ticks")
        } else {
            "not a whole number of ticks, such as 300 (digits only)".to_owned()
        }
    })?;
    if ticks > MAX_TICKS {
        return Err(format!("more than the limit of {MAX_TICKS} ticks"));
    }
    Ok(ticks)
}

/// A seed: a whole number that fits 64 bits.
fn seed(text: &str) -> Result<u64, String> {
    text.parse().map_err(|error: std::num::ParseIntError| {
        let what = match error.kind() {
            std::num::IntErrorKind::PosOverflow => "more than 18446744073709551615",
            _ if text.starts_with('-') => "negative",
            _ => "not a whole number (digits only)",
        };
        format!("{what}; a seed is a whole number from 0 to 18446744073709551615")
    })
}

/// `--seeds`: see [`SeedList`].
fn seed_list(text: &str) -> Result<SeedList, String> {
    text.parse()
}

/// `--shard I/N`: see [`Shard`].
fn shard(text: &str) -> Result<Shard, String> {
    text.parse()
}

/// A number of worker threads, from 1 to [`MAX_JOBS`].
fn jobs(text: &str) -> Result<usize, String> {
    let limit = format!("give from 1 to {MAX_JOBS} worker threads");
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    let jobs = match text.parse::<u64>() {
        Ok(jobs) => jobs,
        // Too large, or negative: out of range either way.
        Err(_) if digits(text.strip_prefix('-').unwrap_or(text)) => 0,
        Err(_) => return Err(format!("not a whole number; {limit}")),
    };
    if jobs < 1 || jobs > MAX_JOBS as u64 {
        return Err(limit);
    }
    Ok(jobs as usize)
}

/// A time budget in seconds: more than 0, at most [`MAX_SECONDS`].
fn seconds(text: &str) -> Result<f64, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| "not a number of seconds, such as 60 or 0.5".to_owned())?;
    // Not `seconds <= 0.0`: NaN is refused here too.
    if seconds.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Err("a time budget is more than 0 seconds".into());
    }
    if seconds > MAX_SECONDS {
        return Err(format!("more than the limit of {MAX_SECONDS} seconds"));
    }
    Ok(seconds)
}
