//! The `tickweave` command: runs a scenario headless and reports what happened.

#![allow(
    clippy::print_stdout,
    reason = "a command-line program prints its results"
)]
#![allow(
    clippy::print_stderr,
    reason = "a command-line program prints its errors"
)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if error.has_message() {
                eprintln!("tickweave: {error}");
            }
            ExitCode::from(error.exit_code())
        }
    }
}
