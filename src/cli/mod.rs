//! Command-line parsing and dispatch.

mod args;
mod check;
mod counted;
mod csv;
mod diff;
mod error;
mod inspect;
mod interrupt;
mod logging;
mod output_file;
// The library's own escaping of control characters, shared as source like `suggest`.
#[path = "../printable.rs"]
mod printable;
mod profile;
mod progress;
mod report;
mod run;
mod selection;
// The library's own "did you mean", shared as source so that the library need not export it.
#[path = "../suggest.rs"]
mod suggest;
mod svg;
mod sweep;
mod tick_range;
mod trace;
mod trace_file;
mod view;

pub use error::CliError;

use args::{Cli, Command, RunArgs};
use clap::Parser;

/// Parses the command line and runs the chosen command.
pub fn main() -> Result<(), CliError> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help and --version: clap prints them to stdout; that is a success.
            error.print().map_err(CliError::output)?;
            return Ok(());
        }
        Err(error) => return Err(CliError::usage(&error)),
    };
    let command = cli.command.unwrap_or(Command::Run(RunArgs::default()));
    // `run` installs logging itself, with its profile's layer if it writes one.
    if !matches!(command, Command::Run(_)) {
        logging::install(None);
    }
    match command {
        Command::Run(args) => run::run(&args),
        Command::Check(args) => check::check(&args),
        Command::Inspect(args) => inspect::inspect(&args),
        Command::Diff(args) => diff::diff(&args),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Merge(args) => sweep::merge(&args),
        Command::View(args) => view::view(&args),
    }
}
