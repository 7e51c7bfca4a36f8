//! `tickweave run`: load a scenario, step it, write the requested outputs, print a summary.

use std::io::Write;
use std::time::{Duration, Instant};

use super::CliError;
use super::args::RunArgs;
use super::csv::CsvSink;
use super::interrupt;
use super::logging;
use super::output_file::refuse_scenario_clashes;
use super::printable::printable;
use super::profile::Profile;
use super::progress::Progress;
use super::report::{EventCounts, RunReport};
use super::svg::{Caption, SvgSink};
use super::trace::TraceSink;
use tickweave::Simulation;
use tickweave::components::{Behavior, BehaviorState};
use tickweave::events::LoggedEvent;
use tickweave::scenario::{DEFAULT_SCENARIO, DEFAULT_SCENARIO_ORIGIN, Scenario};

/// Runs the scenario named by `args` (or the built-in one) and prints the summary.
pub fn run(args: &RunArgs) -> Result<(), CliError> {
    let scenario = match &args.scenario {
        Some(path) => Scenario::load(path),
        None => Scenario::parse(DEFAULT_SCENARIO, DEFAULT_SCENARIO_ORIGIN),
    }
    .map_err(CliError::input)?;
    let ticks = args.ticks.unwrap_or(scenario.ticks);
    let seed = args.seed.unwrap_or(scenario.seed);
    refuse_scenario_clashes(
        args.scenario.as_deref(),
        &[
            ("--csv", args.csv.as_deref()),
            ("--trace", args.trace.as_deref()),
            ("--svg", args.svg.as_deref()),
            ("--profile", args.profile.as_deref()),
        ],
    )?;
    let mut csv = args.csv.as_deref().map(CsvSink::create).transpose()?;
    let mut trace = args
        .trace
        .as_deref()
        .map(|path| TraceSink::create(path, &scenario.teams))
        .transpose()?;
    let mut svg = args
        .svg
        .as_deref()
        .map(|path| SvgSink::create(path, &scenario.teams))
        .transpose()?;
    let (profile, layer) = match args.profile.as_deref().map(Profile::create).transpose()? {
        Some((profile, layer)) => (Some(profile), Some(layer)),
        None => (None, None),
    };
    logging::install(layer);

    let started = Instant::now();
    let mut simulation = scenario.simulation(seed);
    simulation.set_threads(args.threads.unwrap_or(1));
    // Always recorded: the summary counts the events of each kind.
    simulation.record_events(true);
    let mut events = EventCounts::default();
    let spawned = started.elapsed();
    // The events of the tick just recorded, drained once for every output that shows them.
    let mut tick_events: Vec<LoggedEvent> = Vec::new();
    let mut record = |simulation: &mut Simulation| -> Result<(), CliError> {
        tick_events.clear();
        tick_events.extend(simulation.event_log().drain());
        events.count(&tick_events);
        if let Some(csv) = &mut csv {
            csv.record(simulation)?;
        }
        if let Some(trace) = &mut trace {
            trace.record(simulation, &tick_events)?;
        }
        if let Some(svg) = &mut svg {
            svg.record(simulation, &tick_events);
        }
        Ok(())
    };
    interrupt::install();
    record(&mut simulation)?;
    let mut progress = Progress::new(ticks, args.quiet);
    let started = Instant::now();
    // Ctrl-C is looked at between ticks, so every output ends on a whole tick.
    let mut done = 0;
    while done < ticks && !interrupt::requested() {
        simulation.step();
        done += 1;
        record(&mut simulation)?;
        progress.set(done);
    }
    let stopped = done < ticks;
    let elapsed = started.elapsed();
    progress.finish();
    let csv = csv.map(CsvSink::finish).transpose()?;
    let trace = trace.map(TraceSink::finish).transpose()?;
    let caption = Caption {
        scenario: &scenario.name,
        seed,
    };
    let svg = svg.map(|svg| svg.finish(&caption)).transpose()?;
    let profile = profile.map(Profile::finish).transpose()?;

    let report = RunReport::of(scenario.unit_count(), &simulation, &events);
    let summary = Summary {
        scenario: &scenario,
        seed,
        report: &report,
        spawned,
        elapsed,
        simulation: &mut simulation,
    };
    let mut out = std::io::stdout().lock();
    summary.print(&mut out).map_err(CliError::output)?;
    if let Some((path, rows)) = csv {
        writeln!(out, "csv        {} ({rows} rows)", path.display()).map_err(CliError::output)?;
    }
    if let Some((path, lines)) = trace {
        writeln!(out, "trace      {} ({lines} lines)", path.display()).map_err(CliError::output)?;
    }
    if let Some(path) = svg {
        writeln!(out, "svg        {}", path.display()).map_err(CliError::output)?;
    }
    if let Some(path) = profile {
        writeln!(out, "profile    {}", path.display()).map_err(CliError::output)?;
    }
    // Last, so that a script can compare runs with `tail -n 1`.
    writeln!(out, "checksum: {}", report.checksum).map_err(CliError::output)?;
    if stopped {
        return Err(CliError::interrupted(format_args!(
            "interrupted: stopped after tick {done} of {ticks}; the summary and every output \
             cover ticks 0 to {done}"
        )));
    }
    Ok(())
}

/// The facts printed after a run: those of its [`RunReport`] (what `sweep` writes as a seed's
/// row), the state of its behaviours at the end, and what it cost.
struct Summary<'a> {
    scenario: &'a Scenario,
    seed: u64,
    report: &'a RunReport,
    spawned: Duration,
    elapsed: Duration,
    simulation: &'a mut Simulation,
}

impl Summary<'_> {
    fn print(self, out: &mut impl Write) -> std::io::Result<()> {
        let mut states = [0u64; 4];
        let world = self.simulation.world_mut();
        for behavior in world.query::<&Behavior>().iter(world) {
            states[match behavior.state() {
                BehaviorState::Running => 0,
                BehaviorState::Parked => 1,
                BehaviorState::Paused => 2,
                BehaviorState::Finished => 3,
            }] += 1;
        }
        let [running, parked, paused, finished] = states;
        let report = self.report;
        let seconds = self.elapsed.as_secs_f64();
        let ticks_per_second = if seconds > 0.0 {
            report.ticks as f64 / seconds
        } else {
            f64::INFINITY
        };
        // Escaped: a scenario without a `name` takes its file's, which may hold anything.
        writeln!(out, "scenario   {}", printable(&self.scenario.name))?;
        writeln!(out, "seed       {}", self.seed)?;
        writeln!(out, "ticks      {}", report.ticks)?;
        writeln!(
            out,
            "units      {} spawned, {} alive at the end",
            report.units, report.alive
        )?;
        write!(
            out,
            "behaviours {finished} finished, {running} running, {parked} parked"
        )?;
        if paused > 0 {
            write!(out, ", {paused} paused")?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "endings    {} completed, {} failed, {} cancelled, {} faulted",
            report.completed, report.failed, report.cancelled, report.faulted
        )?;
        let counts = |counts: &[(&str, u64)]| -> String {
            let counts: Vec<String> = counts
                .iter()
                .map(|(name, count)| format!("{name} {count}"))
                .collect();
            counts.join(", ")
        };
        if !report.tallies.is_empty() {
            writeln!(out, "events     {}", counts(&report.tallies))?;
        }
        if !report.events.is_empty() {
            writeln!(out, "raised     {}", counts(&report.events))?;
        }
        writeln!(out, "polls      {}", report.polls)?;
        writeln!(out, "spawn time {}", format_duration(self.spawned))?;
        writeln!(out, "wall time  {}", format_duration(self.elapsed))?;
        writeln!(out, "ticks/s    {ticks_per_second:.0}")?;
        match peak_memory_bytes() {
            Some(bytes) => writeln!(out, "peak mem   {:.1} MB", bytes as f64 / 1e6),
            None => writeln!(out, "peak mem   unknown on this platform"),
        }
    }
}

/// The process's peak resident memory (Linux: `VmHWM` in `/proc/self/status`).
fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else {
        format!("{:.3} ms", seconds * 1e3)
    }
}
