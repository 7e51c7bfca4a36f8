//! Reading a trace written by `run --trace`, one tick at a time, with `file:line` errors.

use serde_json::{Map, Value};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::CliError;
use super::printable::printable;

/// One unit at one tick.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRecord {
    pub id: u64,
    pub unit: String,
    /// The unit's team, by name (`None` for a unit of no team).
    pub team: Option<String>,
    pub x: i64,
    pub y: i64,
    pub state: String,
    pub activity: String,
}

/// One event: the unit it happened to, its name, and its other fields in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRecord {
    pub id: u64,
    pub unit: String,
    pub event: String,
    pub fields: Map<String, Value>,
}

/// Everything a trace says about one tick.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TickRecords {
    pub tick: u64,
    /// Unit records in file order (unit-id order when written by `run`).
    pub units: Vec<UnitRecord>,
    pub events: Vec<EventRecord>,
    pub checksum: Option<String>,
}

enum Record {
    Unit(UnitRecord),
    Event(EventRecord),
    /// The tick's checksum, and how many units the tick listed.
    Checksum(String, u64),
}

/// The states a unit record may give (see `state_name` in the trace writer).
const STATES: [&str; 4] = ["none", "active", "paused", "finished"];

/// The longest line a trace record may be, in bytes. A record written by `run` is at most a
/// few hundred bytes (names are at most 64 characters, an activity stack at most 8 frames);
/// reading stops here, so a file without line breaks (`/dev/zero`) costs no more than this.
pub const MAX_LINE: usize = 64 * 1024;

/// The most records one tick may hold, units and events each: `run` writes at most one unit
/// record a unit, and a scenario has at most `MAX_UNITS` units. A tick is held in memory whole
/// while it is shown, so this bounds what reading a trace can take.
pub const MAX_RECORDS: usize = tickweave::scenario::limits::MAX_UNITS as usize;

/// Reads a trace file tick by tick.
pub struct TraceReader {
    origin: String,
    reader: BufReader<File>,
    /// The line being read, kept to reuse its buffer.
    buffer: Vec<u8>,
    line: usize,
    /// The first record of the next tick, read while looking for the end of this one.
    pending: Option<(u64, Record)>,
    last_tick: Option<u64>,
}

impl TraceReader {
    /// Opens `path`; fails as invalid input if it cannot be read.
    pub fn open(path: &Path) -> Result<Self, CliError> {
        let file = File::open(path).map_err(|error| {
            CliError::input(format_args!(
                "{}: cannot read the trace: {error}",
                path.display()
            ))
        })?;
        Ok(TraceReader {
            origin: path.display().to_string(),
            reader: BufReader::new(file),
            buffer: Vec::new(),
            line: 0,
            pending: None,
            last_tick: None,
        })
    }

    /// The file name used in messages.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The next tick's records; `None` at the end of the file.
    pub fn next_tick(&mut self) -> Result<Option<TickRecords>, CliError> {
        let mut block = match self.pending.take() {
            Some((tick, record)) => {
                let mut block = TickRecords {
                    tick,
                    ..TickRecords::default()
                };
                self.add(&mut block, record)?;
                block
            }
            None => match self.next_record()? {
                Some((tick, record)) => {
                    let mut block = TickRecords {
                        tick,
                        ..TickRecords::default()
                    };
                    self.add(&mut block, record)?;
                    block
                }
                // No record at all: an empty file, or one of blank lines only.
                None if self.last_tick.is_none() => {
                    return Err(CliError::input(format_args!(
                        "{}: the trace is empty; write one with `tickweave run --trace FILE`",
                        self.origin
                    )));
                }
                None => return Ok(None),
            },
        };
        while let Some((tick, record)) = self.next_record()? {
            if tick != block.tick {
                self.pending = Some((tick, record));
                break;
            }
            if block.units.len().max(block.events.len()) >= MAX_RECORDS {
                return Err(self.error(format_args!(
                    "tick {tick} has more than {MAX_RECORDS} unit or event records, more than \
                     a run can write"
                )));
            }
            self.add(&mut block, record)?;
        }
        if block.checksum.is_none() {
            let (tick, end) = (block.tick, self.pending.is_none());
            return Err(if end {
                self.error(format_args!(
                    "the trace ends in tick {tick}, before its checksum record: it was cut short"
                ))
            } else {
                self.error(format_args!(
                    "tick {tick} ended without its checksum record: a trace written by `run \
                     --trace` ends every tick with one"
                ))
            });
        }
        Ok(Some(block))
    }

    /// Adds `record` to its tick's `block`, checked as `run --trace` writes them: a tick's units
    /// once each, in id order, in a state a trace names, and its checksum last, counting them.
    fn add(&self, block: &mut TickRecords, record: Record) -> Result<(), CliError> {
        let tick = block.tick;
        if block.checksum.is_some() {
            return Err(self.error(format_args!(
                "a record of tick {tick} after its checksum record, which ends a tick"
            )));
        }
        match record {
            Record::Unit(unit) => {
                if let Some(last) = block.units.last()
                    && unit.id <= last.id
                {
                    return Err(self.error(format_args!(
                        "unit #{} comes after unit #{} in tick {tick}: a tick lists each unit \
                         once, in id order",
                        unit.id, last.id
                    )));
                }
                if !STATES.contains(&unit.state.as_str()) {
                    return Err(self.error(format_args!(
                        "\"state\" must be one of {}, not \"{}\"",
                        STATES.map(|state| format!("\"{state}\"")).join(", "),
                        printable(&unit.state)
                    )));
                }
                block.units.push(unit);
            }
            Record::Event(event) => block.events.push(event),
            Record::Checksum(checksum, units) => {
                if units != block.units.len() as u64 {
                    return Err(self.error(format_args!(
                        "the checksum record of tick {tick} counts {units} units, but the tick \
                         lists {}",
                        block.units.len()
                    )));
                }
                block.checksum = Some(checksum);
            }
        }
        Ok(())
    }

    /// The next non-blank line as a record, checked to keep the ticks in order.
    fn next_record(&mut self) -> Result<Option<(u64, Record)>, CliError> {
        loop {
            if !self.next_line()? {
                return Ok(None);
            }
            // Taken for the parse (which borrows `self`), given back after it.
            let line = std::mem::take(&mut self.buffer);
            let text = std::str::from_utf8(&line).unwrap_or_default();
            let parsed = (!text.trim().is_empty()).then(|| self.parse(text));
            self.buffer = line;
            let Some(parsed) = parsed else {
                continue;
            };
            let (tick, record) = parsed?;
            if let Some(last) = self.last_tick
                && tick < last
            {
                return Err(self.error(format_args!(
                    "tick {tick} comes after tick {last}: a trace lists its ticks in order"
                )));
            }
            self.last_tick = Some(tick);
            return Ok(Some((tick, record)));
        }
    }

    /// Reads the next line into `buffer`, without its line break, checked to be UTF-8 text;
    /// false at the end of the file. A line longer than [`MAX_LINE`] is an error, found
    /// without reading the rest of it.
    fn next_line(&mut self) -> Result<bool, CliError> {
        self.buffer.clear();
        let limit = MAX_LINE as u64 + 1;
        let read = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.buffer);
        self.line += 1;
        match read {
            Ok(0) => return Ok(false),
            Ok(_) => {}
            Err(error) => return Err(self.error(format_args!("cannot read: {error}"))),
        }
        if self.buffer.last() == Some(&b'\n') {
            self.buffer.pop();
            if self.buffer.last() == Some(&b'\r') {
                self.buffer.pop();
            }
        } else if self.buffer.len() > MAX_LINE {
            return Err(self.error(format_args!(
                "the line is longer than {MAX_LINE} bytes: not a trace record (`tickweave run \
                 --trace` writes one short JSON object a line)"
            )));
        }
        match std::str::from_utf8(&self.buffer) {
            Ok(_) => Ok(true),
            Err(_) => {
                Err(self.error("not UTF-8 text: not a trace written by `tickweave run --trace`"))
            }
        }
    }

    fn parse(&self, text: &str) -> Result<(u64, Record), CliError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|error| self.error(format_args!("not a JSON record: {error}")))?;
        let Value::Object(mut object) = value else {
            return Err(self.error("expected a JSON object `{\"tick\": …, …}`"));
        };
        let tick = self.take_u64(&mut object, "tick", "a record")?;
        if object.contains_key("checksum") {
            let what = "a checksum record";
            let checksum = self.take_string(&mut object, "checksum", what)?;
            let hex = checksum.strip_prefix("0x").unwrap_or_default();
            if hex.is_empty() || hex.len() > 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(self.error(format_args!(
                    "\"checksum\" must be 0x and up to 16 hexadecimal digits, not \"{}\"",
                    printable(&checksum)
                )));
            }
            let units = self.take_u64(&mut object, "units", what)?;
            return Ok((tick, Record::Checksum(checksum, units)));
        }
        if object.contains_key("event") {
            let id = self.take_u64(&mut object, "id", "an event record")?;
            let unit = self.take_string(&mut object, "unit", "an event record")?;
            let event = self.take_string(&mut object, "event", "an event record")?;
            let record = EventRecord {
                id,
                unit,
                event,
                fields: object,
            };
            return Ok((tick, Record::Event(record)));
        }
        let what = "a unit record";
        let record = UnitRecord {
            id: self.take_u64(&mut object, "id", what)?,
            unit: self.take_string(&mut object, "unit", what)?,
            team: self.take_optional_string(&mut object, "team", what)?,
            x: self.take_i64(&mut object, "x", what)?,
            y: self.take_i64(&mut object, "y", what)?,
            state: self.take_string(&mut object, "state", what)?,
            activity: self.take_string(&mut object, "activity", what)?,
        };
        Ok((tick, Record::Unit(record)))
    }

    fn take_u64(
        &self,
        object: &mut Map<String, Value>,
        key: &str,
        what: &str,
    ) -> Result<u64, CliError> {
        self.take(object, key, what, "a whole number ≥ 0", Value::as_u64)
    }

    fn take_i64(
        &self,
        object: &mut Map<String, Value>,
        key: &str,
        what: &str,
    ) -> Result<i64, CliError> {
        self.take(object, key, what, "a whole number", Value::as_i64)
    }

    fn take_string(
        &self,
        object: &mut Map<String, Value>,
        key: &str,
        what: &str,
    ) -> Result<String, CliError> {
        self.take(object, key, what, "a string", |value| {
            value.as_str().map(str::to_owned)
        })
    }

    /// Like [`take_string`](Self::take_string), for a key that may be absent.
    fn take_optional_string(
        &self,
        object: &mut Map<String, Value>,
        key: &str,
        what: &str,
    ) -> Result<Option<String>, CliError> {
        if object.contains_key(key) {
            self.take_string(object, key, what).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Removes `key` from `object` and converts it, or says what was expected there.
    fn take<T>(
        &self,
        object: &mut Map<String, Value>,
        key: &str,
        what: &str,
        expected: &str,
        convert: impl FnOnce(&Value) -> Option<T>,
    ) -> Result<T, CliError> {
        let found = object.shift_remove(key);
        match found.as_ref().and_then(convert) {
            Some(value) => Ok(value),
            None => Err(self.missing(key, expected, what, found)),
        }
    }

    fn missing(&self, key: &str, kind: &str, what: &str, found: Option<Value>) -> CliError {
        match found {
            None => self.error(format_args!("{what} needs \"{key}\" ({kind})")),
            Some(value) => self.error(format_args!("\"{key}\" must be {kind}, not {value}")),
        }
    }

    fn error(&self, message: impl std::fmt::Display) -> CliError {
        CliError::input(format_args!("{}:{}: {message}", self.origin, self.line))
    }
}

/// An event as one line of text: its name, then `key=value` for each field; a cell reads
/// `(x,y)`, and a unit id (`target`, `by`, `from`) reads as the unit's name when `name_of` knows
/// it.
pub fn describe_event(event: &EventRecord, name_of: impl Fn(u64) -> Option<String>) -> String {
    let mut text = format!("{} {}", event.unit, event.event);
    for (key, value) in &event.fields {
        text.push(' ');
        text.push_str(key);
        text.push('=');
        match value {
            Value::Array(items) if items.len() == 2 && items.iter().all(Value::is_i64) => {
                text.push_str(&format!("({},{})", items[0], items[1]));
            }
            Value::Number(number) if matches!(key.as_str(), "target" | "by" | "from") => {
                match number.as_u64().and_then(&name_of) {
                    Some(name) => text.push_str(&name),
                    None => text.push_str(&format!("#{number}")),
                }
            }
            Value::Null => text.push('-'),
            Value::String(string) => text.push_str(string),
            other => text.push_str(&other.to_string()),
        }
    }
    text
}
