//! The progress bar of a long run or sweep: on stderr, only when it is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// A run that ends sooner than this shows no bar at all.
const SHOW_AFTER: Duration = Duration::from_millis(500);

/// Shows how many of a run's ticks (or a sweep's seeds) are done, once it has taken
/// [`SHOW_AFTER`]; silent under `--quiet`, when stderr is not a terminal, or when `RUST_LOG`
/// sends log lines there.
pub struct Progress {
    total: u64,
    /// What is counted: `ticks`, `seeds`.
    what: &'static str,
    /// The clock is read when this many more are done, not at every one.
    every: u64,
    enabled: bool,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A progress bar for `ticks` ticks, unless `quiet` or stderr is not for a bar.
    pub fn new(ticks: u64, quiet: bool) -> Self {
        Self::counting(ticks, "ticks", 64, quiet)
    }

    /// A progress bar for a sweep of `seeds` seeds.
    pub fn seeds(seeds: u64, quiet: bool) -> Self {
        Self::counting(seeds, "seeds", 1, quiet)
    }

    fn counting(total: u64, what: &'static str, every: u64, quiet: bool) -> Self {
        let enabled =
            !quiet && std::io::stderr().is_terminal() && std::env::var_os("RUST_LOG").is_none();
        Progress {
            total,
            what,
            every,
            enabled,
            started: Instant::now(),
            bar: None,
        }
    }

    /// Records that `done` ticks (or seeds) are done.
    pub fn set(&mut self, done: u64) {
        if !self.enabled {
            return;
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        } else if done.is_multiple_of(self.every) && self.started.elapsed() >= SHOW_AFTER {
            let bar = ProgressBar::with_draw_target(Some(self.total), ProgressDrawTarget::stderr());
            let template = format!(
                "{{bar:40.cyan/blue}} {{pos}}/{{len}} {}, {{elapsed}} so far, about {{eta}} to go",
                self.what
            );
            bar.set_style(
                ProgressStyle::with_template(&template)
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
