//! The `--trace` sink: a JSON-lines record of every unit at every tick, the events between, and
//! a checksum per tick.
//!
//! A tick's lines are its unit records in unit-id order, then its events ordered by unit id
//! (a unit's own events in the order they happened), then its checksum record. The order does
//! not depend on how entities are laid out, so two runs of the same seed write the same file.

use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::CliError;
use super::output_file::OutputFile;
use tickweave::Simulation;
use tickweave::components::{BehaviorState, Team, UnitId};
use tickweave::events::{LoggedEvent, UnitEvent};

/// Writes the trace of a run, one tick at a time.
pub struct TraceSink {
    out: OutputFile,
    /// Every unit seen so far, so that an event can name a unit that is gone.
    names: HashMap<UnitId, String>,
    /// The scenario's team names: `Team(i)` is `teams[i]`.
    teams: Vec<String>,
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
    /// The unit's team, by name; absent for a unit of no team.
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<Cow<'a, str>>,
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
    /// Starts the file at `path` (which it replaces when finished); `teams` names the
    /// scenario's teams (`Team(i)` is `teams[i]`). Fails as invalid input, before any tick
    /// runs, when the file cannot be created. The simulation must record its events (see
    /// `Simulation::record_events`).
    pub fn create(path: &Path, teams: &[String]) -> Result<Self, CliError> {
        Ok(TraceSink {
            out: OutputFile::create(path, "the trace file")?,
            names: HashMap::new(),
            teams: teams.to_vec(),
            events: Vec::new(),
            lines: 0,
        })
    }

    /// Appends the simulation's current tick: its units, `events` (those since the last call,
    /// as drained from the event log), and its checksum.
    pub fn record(
        &mut self,
        simulation: &mut Simulation,
        events: &[LoggedEvent],
    ) -> Result<(), CliError> {
        let tick = simulation.tick();
        self.events.extend_from_slice(events);
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
                team: unit.team.map(|team| team_name(&self.teams, team)),
                x: unit.position.x,
                y: unit.position.y,
                state: state_name(unit.state),
                activity: Shown(&unit.doing()),
            };
            write_line(&mut self.out, &line)
                .map_err(|error| CliError::write(self.out.path(), error))?;
            self.lines += 1;
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

/// A team's name: the scenario's name for it, or `team N` for a team the scenario does not
/// name (one a behaviour gave a unit it spawned).
pub fn team_name(teams: &[String], team: Team) -> Cow<'_, str> {
    match usize::try_from(team.0)
        .ok()
        .and_then(|index| teams.get(index))
    {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(team.to_string()),
    }
}

fn write_line(out: &mut impl Write, line: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")
}
