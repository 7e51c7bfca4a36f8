//! Running seeds on worker threads: each takes the next seed from a shared cursor, builds that
//! seed's simulation itself, runs it, and sends its report to the thread that called
//! [`run_seeds`], which handles reports one at a time in the order they finish.
//!
//! A seed's run is its own: it panics alone (a panic outside any behaviour is caught and becomes
//! the seed's fault), and it may be given a time budget, looked at between ticks.

use std::cell::{Cell, RefCell};
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Once, mpsc};
use std::time::{Duration, Instant};

use crate::cli::CliError;
use crate::cli::interrupt;
use crate::cli::report::{EventCounts, RunReport};
use tickweave::Simulation;

/// The most worker threads a sweep may start.
pub const MAX_JOBS: usize = 256;

/// The longest message a fault keeps (a panic's message can be any length).
const MAX_FAULT: usize = 300;

/// What each seed's run is.
pub struct Plan<'a> {
    /// Makes the simulation of a seed (on the worker thread that runs it).
    pub simulation: &'a (dyn Fn(u64) -> Simulation + Sync),
    /// The units it spawns.
    pub units: u64,
    pub ticks: u64,
    /// A run that has taken longer than this is stopped at its next tick and recorded as a
    /// fault.
    pub budget: Option<Duration>,
}

/// How a seed's run ended.
pub type Ended = Result<RunReport, String>;

/// Runs `seeds` on `jobs` threads and hands each seed's end to `finished`, on this thread, in
/// the order they finish. Stops handing out seeds, and stops the runs under way at their next
/// tick, once Ctrl-C is pressed or `finished` fails (whose error it then returns); a run
/// stopped so is not reported.
pub fn run_seeds(
    plan: &Plan<'_>,
    seeds: &[u64],
    jobs: NonZeroUsize,
    mut finished: impl FnMut(u64, Ended) -> Result<(), CliError>,
) -> Result<(), CliError> {
    install_panic_capture();
    let cursor = AtomicUsize::new(0);
    let halt = AtomicBool::new(false);
    let stopping = || halt.load(Ordering::Relaxed) || interrupt::requested();
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel::<(u64, Ended)>();
        let mut started = 0;
        for worker in 0..jobs.get().min(seeds.len()) {
            let sender = sender.clone();
            let (cursor, stopping) = (&cursor, &stopping);
            let spawned = std::thread::Builder::new()
                .name(format!("sweep-{worker}"))
                .spawn_scoped(scope, move || {
                    while !stopping() {
                        let next = cursor.fetch_add(1, Ordering::Relaxed);
                        let Some(&seed) = seeds.get(next) else { break };
                        let Some(ended) = run_seed(plan, seed, stopping) else {
                            break;
                        };
                        if sender.send((seed, ended)).is_err() {
                            break;
                        }
                    }
                });
            match spawned {
                Ok(_) => started += 1,
                // The threads started do the work; none at all is an error.
                Err(error) if started == 0 => {
                    return Err(CliError::input(format_args!(
                        "cannot start a worker thread: {error}"
                    )));
                }
                Err(error) => {
                    tracing::warn!("started {started} worker threads of {jobs}: {error}");
                    break;
                }
            }
        }
        drop(sender);
        for (seed, ended) in &receiver {
            if let Err(error) = finished(seed, ended) {
                halt.store(true, Ordering::Relaxed);
                return Err(error);
            }
        }
        Ok(())
    })
}

/// Runs one seed; `None` if it was stopped by `stopping` before its end.
fn run_seed(plan: &Plan<'_>, seed: u64, stopping: &dyn Fn() -> bool) -> Option<Ended> {
    let started = Instant::now();
    let over_budget = || plan.budget.is_some_and(|budget| started.elapsed() > budget);
    CAPTURING.set(true);
    let ran = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut simulation = (plan.simulation)(seed);
        simulation.record_events(true);
        let mut events = EventCounts::default();
        events.take(&mut simulation);
        for done in 0..plan.ticks {
            if stopping() {
                return None;
            }
            if over_budget() {
                let budget = plan.budget.unwrap_or_default().as_secs_f64();
                return Some(Err(format!(
                    "over the budget of {budget} s (--max-seconds): stopped after tick {done} \
                     of {}",
                    plan.ticks
                )));
            }
            simulation.step();
            events.take(&mut simulation);
        }
        Some(Ok(RunReport::of(plan.units, &simulation, &events)))
    }));
    CAPTURING.set(false);
    match ran {
        Ok(ended) => ended.map(|ended| ended.map_err(|fault| one_line(&fault))),
        Err(payload) => {
            let message = CAPTURED
                .take()
                .unwrap_or_else(|| format!("panicked: {}", payload_text(&*payload)));
            Some(Err(one_line(&message)))
        }
    }
}

thread_local! {
    /// Whether this thread runs a seed: its panics are the seed's fault, not for stderr.
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    /// The last panic of this thread while capturing: where and why.
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps the panics of seeds under way off stderr, noting where and why each happened for its
/// fault row; every other panic is reported as before.
fn install_panic_capture() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.get() {
                let place = info
                    .location()
                    .map(|location| format!(" at {location}"))
                    .unwrap_or_default();
                let message = format!("panicked{place}: {}", payload_text(info.payload()));
                CAPTURED.set(Some(message));
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not a text message)")
}

/// A fault as one line of at most [`MAX_FAULT`] characters: control characters become spaces.
fn one_line(message: &str) -> String {
    let mut line: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_FAULT + 1)
        .collect();
    if line.chars().count() > MAX_FAULT {
        line = line.chars().take(MAX_FAULT - 1).collect();
        line.push('…');
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_is_one_bounded_line() {
        assert_eq!(one_line("a\nb\tc"), "a b c");
        let long = "x".repeat(1000);
        let line = one_line(&long);
        assert_eq!(line.chars().count(), MAX_FAULT);
        assert!(line.ends_with('…'));
    }

    /// A game system that panics on seed 2's third tick: that seed's row says so, and the
    /// others run as if nothing happened.
    #[test]
    fn a_seed_that_panics_outside_any_behaviour_gets_a_fault_and_the_rest_go_on() {
        use tickweave::prelude::*;
        let simulation = |seed: u64| {
            let mut simulation = Simulation::new(seed);
            simulation.spawn("u", ivec2(0, 0), async { goto(ivec2(5, 0)).await });
            simulation.schedule_mut().add_systems(
                move |tick: bevy_ecs::system::Res<tickweave::systems::Tick>| {
                    assert!(seed != 2 || tick.get() < 3, "the game's system failed");
                },
            );
            simulation
        };
        let plan = Plan {
            simulation: &simulation,
            units: 1,
            ticks: 10,
            budget: None,
        };
        let mut ended = Vec::new();
        let jobs = NonZeroUsize::new(2).unwrap();
        run_seeds(&plan, &[1, 2, 3], jobs, |seed, end| {
            ended.push((seed, end));
            Ok(())
        })
        .unwrap();
        ended.sort_by_key(|(seed, _)| *seed);
        let [(1, Ok(one)), (2, Err(fault)), (3, Ok(three))] = &ended[..] else {
            panic!("{ended:?}");
        };
        assert_eq!((one.ticks, one.completed, three.ticks), (10, 1, 10));
        assert!(
            fault.starts_with("panicked at src/cli/sweep/workers.rs:"),
            "{fault}"
        );
        assert!(fault.ends_with(": the game's system failed"), "{fault}");
    }

    #[test]
    fn a_seed_over_its_budget_gets_a_fault() {
        use tickweave::prelude::*;
        let simulation = |seed: u64| {
            let mut simulation = Simulation::new(seed);
            simulation.spawn("u", ivec2(0, 0), async { goto(ivec2(5, 0)).await });
            simulation
        };
        let plan = Plan {
            simulation: &simulation,
            units: 1,
            ticks: u64::MAX,
            budget: Some(Duration::from_millis(20)),
        };
        let mut ended = Vec::new();
        run_seeds(&plan, &[7], NonZeroUsize::MIN, |seed, end| {
            ended.push((seed, end));
            Ok(())
        })
        .unwrap();
        let [(7, Err(fault))] = &ended[..] else {
            panic!("{ended:?}");
        };
        assert!(
            fault.starts_with("over the budget of 0.02 s (--max-seconds): stopped after tick "),
            "{fault}"
        );
    }

    #[test]
    fn a_panic_outside_any_behaviour_is_the_seeds_fault() {
        install_panic_capture();
        CAPTURING.set(true);
        let payload = panic::catch_unwind(|| panic!("the {} failed", "game system")).unwrap_err();
        CAPTURING.set(false);
        let captured = CAPTURED.take().unwrap();
        assert!(
            captured.starts_with("panicked at src/cli/sweep/workers.rs:"),
            "{captured}"
        );
        assert!(captured.ends_with(": the game system failed"), "{captured}");
        assert_eq!(payload_text(&*payload), "the game system failed");
    }
}
