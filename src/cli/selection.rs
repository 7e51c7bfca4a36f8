//! `--unit NAME` and `--ticks RANGE`: the part of a trace that `inspect` and `view` show.

use std::path::Path;

use super::CliError;
use super::args::TraceFilter;
use super::printable::printable;
use super::suggest::closest;
use super::tick_range::TickRange;
use super::trace_file::{EventRecord, TraceReader};

/// The ticks and the unit a command shows.
#[derive(Debug)]
pub struct Selection {
    /// `--ticks` as written, for messages, and as parsed.
    ticks: Option<(String, TickRange)>,
    /// The id of the `--unit`.
    unit: Option<u64>,
}

impl Selection {
    /// Reads `filter`; a `--unit` is looked up in the trace at `path` (which reads it whole), and
    /// an unknown name is an error that names the closest known one.
    pub fn new(path: &Path, filter: &TraceFilter) -> Result<Self, CliError> {
        let ticks = match &filter.ticks {
            Some(text) => Some((
                text.clone(),
                text.parse::<TickRange>().map_err(CliError::input)?,
            )),
            None => None,
        };
        let unit = match &filter.unit {
            Some(name) => Some(find_unit(path, name)?),
            None => None,
        };
        Ok(Selection { ticks, unit })
    }

    /// Whether `tick` is shown.
    pub fn shows_tick(&self, tick: u64) -> bool {
        self.ticks
            .as_ref()
            .is_none_or(|(_, range)| range.contains(tick))
    }

    /// Whether every tick after `tick` is past the range (reading can stop).
    pub fn ends_before(&self, tick: u64) -> bool {
        self.ticks
            .as_ref()
            .is_some_and(|(_, range)| range.ends_before(tick))
    }

    /// Whether the unit with this id is shown.
    pub fn shows_unit(&self, id: u64) -> bool {
        self.unit.is_none_or(|unit| unit == id)
    }

    /// Whether `event` is shown: with `--unit`, the unit's own events and those that name it
    /// (as `target`, `by` or `from`).
    pub fn shows_event(&self, event: &EventRecord) -> bool {
        let Some(unit) = self.unit else {
            return true;
        };
        let names_it =
            |key: &str| event.fields.get(key).and_then(serde_json::Value::as_u64) == Some(unit);
        event.id == unit || names_it("target") || names_it("by") || names_it("from")
    }
}

/// The ticks a trace has, and how many of them a selection showed.
#[derive(Debug, Default)]
pub struct TicksSeen {
    range: Option<(u64, u64)>,
    shown: u64,
}

impl TicksSeen {
    /// Counts `tick`; returns whether `selection` shows it.
    pub fn add(&mut self, selection: &Selection, tick: u64) -> bool {
        self.range = Some(self.range.map_or((tick, tick), |(first, _)| (first, tick)));
        let shown = selection.shows_tick(tick);
        self.shown += u64::from(shown);
        shown
    }

    /// An error if `--ticks` selected none of the trace's ticks.
    pub fn check(&self, selection: &Selection, origin: &str) -> Result<(), CliError> {
        match (&selection.ticks, self.shown) {
            (Some((text, _)), 0) => {
                let (first, last) = self.range.unwrap_or_default();
                Err(CliError::input(format_args!(
                    "{origin}: --ticks {text} selects no tick: the trace has ticks {first} to \
                     {last}"
                )))
            }
            _ => Ok(()),
        }
    }
}

/// The id of the unit named `name` in the trace, or an error naming the closest known name.
fn find_unit(path: &Path, name: &str) -> Result<u64, CliError> {
    let mut reader = TraceReader::open(path)?;
    let mut known: Vec<(u64, String)> = Vec::new();
    while let Some(block) = reader.next_tick()? {
        for unit in block.units {
            if unit.unit == name {
                return Ok(unit.id);
            }
            if !known.iter().any(|(id, _)| *id == unit.id) {
                known.push((unit.id, unit.unit));
            }
        }
    }
    let names = || known.iter().map(|(_, name)| name.as_str());
    // The names come from the trace: shown escaped, as `inspect` shows them.
    let hint = match closest(name, names()) {
        Some(close) => format!("did you mean \"{}\"?", printable(close)),
        None => {
            let mut listed: Vec<String> = names()
                .take(10)
                .map(|name| printable(name).into_owned())
                .collect();
            if known.len() > listed.len() {
                listed.push("…".into());
            }
            format!("its units are {}", listed.join(", "))
        }
    };
    Err(CliError::input(format_args!(
        "{}: no unit is named \"{}\"; {hint}",
        reader.origin(),
        printable(name)
    )))
}
