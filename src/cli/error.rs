//! Errors of the command line and the exit status each maps to: one contract for every
//! command — 0 success, 1 the traces differ (`diff`), 2 invalid input (nothing was run or
//! written), 3 an output could not be written, 130 stopped by Ctrl-C (or SIGTERM, SIGHUP).

use std::fmt;
use std::path::Path;

/// A failure the command reports on one line (or one line per problem) before exiting.
#[derive(Debug)]
pub struct CliError {
    kind: Kind,
    message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Bad arguments or a bad scenario: exit status 2.
    Input,
    /// Output could not be written: exit status 3.
    Output,
    /// Two inputs differ (`diff`), which the output already said: exit status 1.
    Differ,
    /// Stopped by Ctrl-C (or SIGTERM, SIGHUP), its outputs complete up to then: exit status 130.
    Interrupted,
}

impl CliError {
    /// Invalid input: a scenario, argument or option that cannot be used.
    pub fn input(message: impl fmt::Display) -> Self {
        CliError {
            kind: Kind::Input,
            message: message.to_string(),
        }
    }

    /// A command-line parse error from clap, reduced to its first line and clap's tip, if any
    /// (`a similar argument exists: '--ticks'`).
    pub fn usage(error: &clap::Error) -> Self {
        let rendered = error.render().to_string();
        let mut lines = rendered
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty());
        let mut reason = lines
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_owned();
        // "the following required arguments were not provided:" names them on the next line.
        if reason.ends_with(':')
            && let Some(what) = lines.next()
        {
            reason = format!("{reason} {what}");
        }
        let tip = rendered
            .lines()
            .find_map(|line| line.trim().strip_prefix("tip: "))
            .map(|tip| format!("; {tip}"))
            .unwrap_or_default();
        CliError::input(format_args!("{reason}{tip} (see `tickweave --help`)"))
    }

    /// Writing to the terminal failed.
    pub fn output(error: std::io::Error) -> Self {
        CliError {
            kind: Kind::Output,
            message: format!("cannot write output: {error}"),
        }
    }

    /// Writing to `path` failed.
    pub fn write(path: &Path, error: std::io::Error) -> Self {
        CliError {
            kind: Kind::Output,
            message: format!("{}: cannot write: {error}", path.display()),
        }
    }

    /// The inputs compared differ; the comparison's report is the message, so this has none.
    pub fn differ() -> Self {
        CliError {
            kind: Kind::Differ,
            message: String::new(),
        }
    }

    /// A run stopped by Ctrl-C (or SIGTERM, SIGHUP); `message` says where.
    pub fn interrupted(message: impl fmt::Display) -> Self {
        CliError {
            kind: Kind::Interrupted,
            message: message.to_string(),
        }
    }

    /// Whether there is something to print (a `differ` result has said it already).
    pub fn has_message(&self) -> bool {
        !self.message.is_empty()
    }

    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Input => 2,
            Kind::Differ => 1,
            Kind::Output => 3,
            Kind::Interrupted => super::interrupt::EXIT_STATUS,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
