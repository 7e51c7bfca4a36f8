//! The progress bar of a long run: on stderr, only when it is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// A run that ends sooner than this shows no bar at all.
const SHOW_AFTER: Duration = Duration::from_millis(500);

/// Shows how many of a run's ticks are done, once the run has taken [`SHOW_AFTER`]; silent
/// under `--quiet`, when stderr is not a terminal, or when `RUST_LOG` sends log lines there.
pub struct Progress {
    ticks: u64,
    enabled: bool,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A progress bar for `ticks` ticks, unless `quiet` or stderr is not for a bar.
    pub fn new(ticks: u64, quiet: bool) -> Self {
        let enabled =
            !quiet && std::io::stderr().is_terminal() && std::env::var_os("RUST_LOG").is_none();
        Progress {
            ticks,
            enabled,
            started: Instant::now(),
            bar: None,
        }
    }

    /// Records that `done` ticks are done.
    pub fn set(&mut self, done: u64) {
        if !self.enabled {
            return;
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        } else if done.is_multiple_of(64) && self.started.elapsed() >= SHOW_AFTER {
            let bar = ProgressBar::with_draw_target(Some(self.ticks), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:40.cyan/blue} {pos}/{len} ticks, {elapsed} so far, about {eta} to go",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_position(done);
            self.bar = Some(bar);
        }
    }

    /// Removes the bar, leaving the terminal as it was.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
