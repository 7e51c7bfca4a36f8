//! The command line, as clap reads it.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use tickweave::scenario::limits::MAX_TICKS;

/// Unit behaviours as async blocks, simulated headless, tick by tick.
///
/// Without a command, `tickweave` runs the built-in scenario (the same as `tickweave run`).
///
/// Exit status, for every command: 0 success (for `diff`, identical traces), 1 the traces
/// differ (`diff`), 2 invalid input — arguments, a scenario, a trace, or an output that cannot
/// be created — and nothing was written, 3 an output could not be written, 130 stopped by
/// Ctrl-C.
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
    /// cannot be created), 3 if an output could not be written, 130 if stopped by Ctrl-C (the
    /// outputs hold every tick up to then).
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
    /// none]. Ctrl-C stops a run at the end of the tick under way, with every output complete
    /// up to that tick (exit status 130); a second Ctrl-C stops it at once.
    #[arg(long, value_name = "N", value_parser = ticks, allow_negative_numbers = true)]
    pub ticks: Option<u64>,

    /// Seed for the random number generator [default: the scenario's `seed`, or 0].
    #[arg(long, value_name = "S")]
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

    /// No progress bar (it is shown only when stderr is a terminal and the run takes a while).
    #[arg(long, short)]
    pub quiet: bool,
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
            error.to_string()
        }
    })?;
    if ticks > MAX_TICKS {
        return Err(format!("more than the limit of {MAX_TICKS} ticks"));
    }
    Ok(ticks)
}
