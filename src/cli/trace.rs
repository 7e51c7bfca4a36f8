//! The `--trace` sink: a JSON-lines record of every unit at every tick, the events between, and
//! a checksum per tick.
//!
//! A tick's lines are its unit records in unit-id order, then its events ordered by unit id
//! (a unit's own events in the order they happened), then its checksum record. The order does
//! not depend on how entities are laid out, so two runs of the same seed write the same file.

use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::CliError;
use super::output_file::OutputFile;
use tickweave::Simulation;
use tickweave::components::{BehaviorState, UnitId};
use tickweave::events::{LoggedEvent, UnitEvent};

/// Writes the trace of a run, one tick at a time.
pub struct TraceSink {
    out: OutputFile,
    /// Every unit seen so far, so that an event can name a unit that is gone.
    names: HashMap<UnitId, String>,
    /// This tick's events, sorted before writing (kept to reuse its buffer).
    events: Vec<LoggedEvent>,
    lines: u64,
}

/// A unit's state as the trace names it: whether it is parked is the executor's business.
pub fn state_name(state: Option<BehaviorState>) -> &'static str {
    match state {
        None => "none",
        Some(BehaviorState::Running | BehaviorState::Parked) => "active",
        Some(BehaviorState::Paused) => "paused",
        Some(BehaviorState::Finished) => "finished",
    }
}

#[derive(Serialize)]
struct UnitLine<'a> {
    tick: u64,
    id: UnitId,
    unit: &'a str,
    x: i32,
    y: i32,
    state: &'static str,
    activity: Shown<'a>,
}

#[derive(Serialize)]
struct EventLine<'a> {
    tick: u64,
    id: UnitId,
    unit: &'a str,
    #[serde(flatten)]
    event: &'a UnitEvent,
}

#[derive(Serialize)]
struct ChecksumLine {
    tick: u64,
    checksum: String,
    units: usize,
}

/// Serializes a value as the string its `Display` writes.
struct Shown<'a>(&'a dyn fmt::Display);

impl Serialize for Shown<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

impl TraceSink {
    /// Starts the file at `path` (which it replaces when finished). Fails as invalid input,
    /// before any tick runs, when the file cannot be created. The simulation must record its
    /// events (see `Simulation::record_events`).
    pub fn create(path: &Path) -> Result<Self, CliError> {
        Ok(TraceSink {
            out: OutputFile::create(path, "the trace file")?,
            names: HashMap::new(),
            events: Vec::new(),
            lines: 0,
        })
    }

    /// Appends the simulation's current tick: its units, the events since the last call, and
    /// its checksum.
    pub fn record(&mut self, simulation: &mut Simulation) -> Result<(), CliError> {
        let tick = simulation.tick();
        self.events.extend(simulation.event_log().drain());
        // Stable: a unit's own events keep the order in which they happened.
        self.events.sort_by_key(|event| (event.tick, event.unit));
        let checksum = simulation.checksum();
        let units = simulation.units();
        let count = units.len();
        for unit in &units {
            self.names
                .entry(unit.id)
                .or_insert_with(|| unit.name.to_owned());
            let line = UnitLine {
                tick,
                id: unit.id,
                unit: unit.name,
                x: unit.position.x,
                y: unit.position.y,
                state: state_name(unit.state),
                activity: Shown(&unit.doing()),
            };
            self.write(&line)?;
        }
        drop(units);
        let mut events = std::mem::take(&mut self.events);
        for logged in events.drain(..) {
            let unit = self.names.get(&logged.unit).map_or("", String::as_str);
            let line = EventLine {
                tick: logged.tick,
                id: logged.unit,
                unit,
                event: &logged.event,
            };
            write_line(&mut self.out, &line)
                .map_err(|error| CliError::write(self.out.path(), error))?;
            self.lines += 1;
        }
        self.events = events;
        let line = ChecksumLine {
            tick,
            checksum: checksum.to_string(),
            units: count,
        };
        self.write(&line)
    }

    /// Puts the file in place; returns its path and the number of lines written.
    pub fn finish(self) -> Result<(PathBuf, u64), CliError> {
        Ok((self.out.commit()?, self.lines))
    }

    fn write(&mut self, line: &impl Serialize) -> Result<(), CliError> {
        write_line(&mut self.out, line).map_err(|error| CliError::write(self.out.path(), error))?;
        self.lines += 1;
        Ok(())
    }
}

fn write_line(out: &mut impl Write, line: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")
}
