//! The progress bar of a long run or sweep: on stderr, only when it is a terminal.

use indicatif::{HumanDuration, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// A run that ends sooner than this shows no bar at all.
const SHOW_AFTER: Duration = Duration::from_millis(500);

/// How often the time left is worked out again.
const ESTIMATE_EVERY: Duration = Duration::from_millis(250);

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
    /// When the time left was last worked out.
    estimated: Instant,
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
            estimated: Instant::now(),
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
            if done.is_multiple_of(self.every) && self.estimated.elapsed() >= ESTIMATE_EVERY {
                self.estimated = Instant::now();
                bar.set_message(self.time_left(done));
            }
        } else if done.is_multiple_of(self.every) && self.started.elapsed() >= SHOW_AFTER {
            // Its clock starts with the run's, not the bar's.
            let bar = ProgressBar::with_draw_target(Some(self.total), ProgressDrawTarget::stderr())
                .with_elapsed(self.started.elapsed());
            let template = format!(
                "{{bar:40.cyan/blue}} {{pos}}/{{len}} {}, {{elapsed}} so far, {{msg}}",
                self.what
            );
            bar.set_style(
                ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_position(done);
            bar.set_message(self.time_left(done));
            self.estimated = Instant::now();
            self.bar = Some(bar);
        }
    }

    /// The time left at the average pace since the start: the bar's own estimate weighs the
    /// last moments, and the bar appears only after the run has gone some way, which made it
    /// promise far too little.
    fn time_left(&self, done: u64) -> String {
        time_left(self.started.elapsed(), done, self.total)
    }

    /// Removes the bar, leaving the terminal as it was.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The time left when `done` of `total` took `elapsed`, at that pace.
fn time_left(elapsed: Duration, done: u64, total: u64) -> String {
    if done == 0 {
        return "time left unknown yet".into();
    }
    let left = total.saturating_sub(done) as f64;
    let seconds = elapsed.as_secs_f64() * left / done as f64;
    let left = Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX);
    format!("about {} to go", HumanDuration(left))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_left_follows_the_average_pace_since_the_start() {
        let seconds = Duration::from_secs;
        assert_eq!(time_left(seconds(7), 7, 1_000), "about 17 minutes to go");
        assert_eq!(time_left(seconds(10), 500, 1_000), "about 10 seconds to go");
        assert_eq!(time_left(seconds(1), 0, 1_000), "time left unknown yet");
    }
}
