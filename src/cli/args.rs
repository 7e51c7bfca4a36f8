//! The command line, as clap reads it.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Unit behaviours as async blocks, simulated headless, tick by tick.
///
/// Without a command, `tickweave` runs the built-in scenario (the same as `tickweave run`).
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
    /// Exit status: 0 on success, 2 on invalid input (arguments or scenario), 1 if output
    /// could not be written.
    Run(RunArgs),

    /// Check a scenario file and summarise it, or list every problem in it.
    ///
    /// Exit status: 0 if the scenario is valid, 2 if it is not (the same message `run` gives).
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

    /// Ticks to run [default: the scenario's `ticks`, or 100 if it sets none].
    #[arg(long, value_name = "N")]
    pub ticks: Option<u64>,

    /// Seed for the random number generator [default: the scenario's `seed`, or 0].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,

    /// Write every unit's cell at every tick to FILE as CSV: a header `tick,unit,x,y`, then one
    /// row per unit per tick from tick 0 (the initial state) to the last, ordered by unit id.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}
