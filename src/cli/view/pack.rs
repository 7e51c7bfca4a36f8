//! A trace packed into columns of numbers, for a page to embed and read back quickly.
//!
//! Every unit-tick of a long run would be millions of records; what the page needs is where
//! each unit stands and what it does at any tick. A unit walks one cell a tick in a straight
//! line for many ticks, and its activity stack changes far less often than every tick, so both
//! are kept as *changes*:
//!
//! - a unit's path is a list of segments `(tick, x, y, step)`: from `tick` on it stands at
//!   `(x, y) + step × (t − tick)` until the next segment; `step` is one of the nine moves of at
//!   most a cell on each axis (standing still included);
//! - a unit's activity is a list of runs `(tick, state, text)`: from `tick` on it is in `state`
//!   doing `text` (the column `inspect` prints) until the next run; a run of state `ABSENT`
//!   says it is not in the trace from that tick on;
//! - events are listed tick by tick, each as numbers and a text (the line `inspect` prints,
//!   its first cell left as a placeholder and stored as two numbers).
//!
//! Texts are stored once each, in a table of strings. [`Packed::bytes`] is kept as the trace is
//! read, so a trace too large to show is refused as soon as it is known to be.

use glam::I64Vec2;
use serde_json::Value;
use std::collections::HashMap;

use super::super::inspect::doing;
use super::super::trace_file::{EventRecord, UnitRecord, describe_event};

/// A unit's state in a run: the trace's `state`, or absent from the trace.
pub const ABSENT: u8 = 0;

/// The placeholder an event's text has where its cell goes.
pub const CELL_PLACEHOLDER: char = '\u{1}';

/// `x` of an event with no cell.
pub const NO_CELL: i32 = i32::MIN;

/// The number the page gives a state.
fn state_code(state: &str) -> u8 {
    match state {
        "active" => 1,
        "paused" => 2,
        "finished" => 3,
        "none" => 4,
        _ => 5,
    }
}

/// One unit as the page knows it.
#[derive(Debug)]
pub struct UnitInfo {
    pub id: u64,
    pub name: u32,
    /// Index into [`Packed::teams`], or `None`.
    pub team: Option<u32>,
}

/// A straight walk at one cell a tick (or standing still), from `tick` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub tick: u32,
    pub x: i32,
    pub y: i32,
    /// `(dx + 1) + 3 × (dy + 1)`: 4 is standing still.
    pub step: u8,
}

/// What a unit is doing from `tick` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    pub tick: u32,
    pub state: u8,
    pub text: u32,
}

/// One event: its unit, kind, the unit it names (`target`, `by`, `from`) if any, its cell and
/// its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub unit: u32,
    pub kind: u16,
    /// Index of the unit it names, or -1.
    pub other: i32,
    /// Its first cell, or [`NO_CELL`].
    pub x: i32,
    pub y: i32,
    pub text: u32,
}

/// A unit while the trace is read: its segment so far.
#[derive(Debug, Default)]
struct Walk {
    /// The tick and cell last seen.
    last: Option<(u64, I64Vec2)>,
    /// Whether the current segment's step is known (it has two cells or more).
    step_known: bool,
    step: I64Vec2,
}

/// Bytes a segment, a run and an event take in the page (before base64).
pub const SEGMENT_BYTES: u64 = 13;
pub const RUN_BYTES: u64 = 9;
pub const EVENT_BYTES: u64 = 22;
/// Bytes a tick takes: its unit count and where its events start.
pub const TICK_BYTES: u64 = 8;

/// The packed trace.
#[derive(Debug, Default)]
pub struct Packed {
    pub first_tick: u64,
    pub last_tick: u64,
    pub units: Vec<UnitInfo>,
    pub teams: Vec<String>,
    pub strings: Vec<String>,
    /// Event kinds, by number.
    pub kinds: Vec<String>,
    /// Per unit, its segments and its runs, in tick order.
    pub segments: Vec<Vec<Segment>>,
    pub runs: Vec<Vec<Run>>,
    /// Per tick from `first_tick`: how many units the trace lists, and where its events start
    /// in `events` (one more entry than ticks).
    pub unit_counts: Vec<u32>,
    pub event_starts: Vec<u32>,
    pub events: Vec<Event>,
    /// The smallest and largest cell of any unit.
    pub min: I64Vec2,
    pub max: I64Vec2,
    /// The size the page's data will have, kept up to date.
    pub bytes: u64,

    index_of: HashMap<u64, u32>,
    string_index: HashMap<String, u32>,
    kind_index: HashMap<String, u16>,
    team_index: HashMap<String, u32>,
    walks: Vec<Walk>,
    /// Units listed at the previous tick, and the tick each was last listed on.
    present: Vec<u32>,
    last_listed: Vec<u64>,
}

/// A trace too large for the page.
#[derive(Debug)]
pub struct TooLarge;

impl Packed {
    /// Adds one tick's records: `units` listed on it and `events` of it. Ticks come in
    /// increasing order. `name_of` names a unit by id (every unit the trace has named so far).
    /// Fails once the page's data would be more than `limit` bytes.
    pub fn add_tick(
        &mut self,
        tick: u64,
        units: &[&UnitRecord],
        events: &[&EventRecord],
        name_of: impl Fn(u64) -> Option<String>,
        limit: u64,
    ) -> Result<(), TooLarge> {
        if self.event_starts.is_empty() {
            self.first_tick = tick;
            self.event_starts.push(0);
            self.min = I64Vec2::MAX;
            self.max = I64Vec2::MIN;
        }
        // Ticks the trace skips still get their (empty) place, so that tick t is at t − first.
        let span = tick - self.first_tick + 1;
        let grow = span.saturating_sub(self.unit_counts.len() as u64);
        self.bytes = self.bytes.saturating_add(grow.saturating_mul(TICK_BYTES));
        if self.bytes > limit || span > u64::from(u32::MAX) {
            return Err(TooLarge);
        }
        let at = (tick - self.first_tick) as u32;
        let events_so_far = self.events.len() as u32;
        self.unit_counts.resize(span as usize, 0);
        self.event_starts.resize(span as usize + 1, events_so_far);
        self.last_tick = tick;

        self.unit_counts[at as usize] = units.len() as u32;
        let mut present = Vec::with_capacity(units.len());
        for unit in units {
            let index = self.unit(unit.id, &unit.unit);
            if let Some(team) = &unit.team {
                self.set_team(index, team);
            }
            present.push(index);
            self.walk(index, at, tick, I64Vec2::new(unit.x, unit.y));
            let text = self.string(&doing(unit));
            let run = Run {
                tick: at,
                state: state_code(&unit.state),
                text,
            };
            self.run(index, run);
            self.last_listed[index as usize] = tick;
        }
        for &index in &std::mem::take(&mut self.present) {
            if self.last_listed[index as usize] != tick {
                let run = Run {
                    tick: at,
                    state: ABSENT,
                    text: 0,
                };
                self.run(index, run);
                self.walks[index as usize] = Walk::default();
            }
        }
        self.present = present;

        for event in events {
            let unit = self.unit(event.id, &event.unit);
            let kind = self.kind(&event.event);
            let other = ["target", "by", "from"]
                .iter()
                .find_map(|key| event.fields.get(*key).and_then(Value::as_u64))
                .map_or(-1, |id| {
                    let name = name_of(id).unwrap_or_else(|| format!("#{id}"));
                    self.unit(id, &name) as i32
                });
            let (cell, text) = split_cell(event, &name_of);
            let text = self.string(&text);
            let (x, y) = cell.map_or((NO_CELL, 0), |(x, y)| (x, y));
            self.events.push(Event {
                unit,
                kind,
                other,
                x,
                y,
                text,
            });
        }
        self.bytes = self.bytes.saturating_add(events.len() as u64 * EVENT_BYTES);
        *self.event_starts.last_mut().unwrap_or(&mut 0) = self.events.len() as u32;
        if self.bytes > limit {
            return Err(TooLarge);
        }
        Ok(())
    }

    /// The index of the unit with this id, added if new.
    fn unit(&mut self, id: u64, name: &str) -> u32 {
        if let Some(&index) = self.index_of.get(&id) {
            return index;
        }
        let index = self.units.len() as u32;
        let name = self.string(name);
        self.units.push(UnitInfo {
            id,
            name,
            team: None,
        });
        self.segments.push(Vec::new());
        self.runs.push(Vec::new());
        self.walks.push(Walk::default());
        self.last_listed.push(u64::MAX);
        self.index_of.insert(id, index);
        // Its id, name and team in the page's unit table.
        self.bytes = self.bytes.saturating_add(12);
        index
    }

    fn set_team(&mut self, index: u32, team: &str) {
        let next = self.team_index.len() as u32;
        let team = *self.team_index.entry(team.to_owned()).or_insert_with(|| {
            self.teams.push(team.to_owned());
            self.bytes = self.bytes.saturating_add(team.len() as u64 + 4);
            next
        });
        self.units[index as usize].team = Some(team);
    }

    fn string(&mut self, text: &str) -> u32 {
        if let Some(&index) = self.string_index.get(text) {
            return index;
        }
        let index = self.strings.len() as u32;
        self.strings.push(text.to_owned());
        self.string_index.insert(text.to_owned(), index);
        // As JSON: quotes, a comma, and escapes for a few characters.
        self.bytes = self.bytes.saturating_add(text.len() as u64 + 4);
        index
    }

    fn kind(&mut self, kind: &str) -> u16 {
        if let Some(&index) = self.kind_index.get(kind) {
            return index;
        }
        let index = u16::try_from(self.kinds.len()).unwrap_or(u16::MAX);
        self.kinds.push(kind.to_owned());
        self.kind_index.insert(kind.to_owned(), index);
        self.bytes = self.bytes.saturating_add(kind.len() as u64 + 4);
        index
    }

    /// Notes that unit `index` stands on `cell` at `tick` (`at` from the first): a new segment
    /// unless it goes on with the current one.
    fn walk(&mut self, index: u32, at: u32, tick: u64, cell: I64Vec2) {
        self.min = self.min.min(cell);
        self.max = self.max.max(cell);
        let walk = &mut self.walks[index as usize];
        let segments = &mut self.segments[index as usize];
        if let Some((last_tick, last_cell)) = walk.last {
            let ticks = (tick - last_tick) as i64;
            let moved = cell - last_cell;
            if walk.step_known {
                if moved == walk.step * ticks {
                    walk.last = Some((tick, cell));
                    return;
                }
            } else if ticks > 0
                && moved % ticks == I64Vec2::ZERO
                && (moved / ticks).abs().max_element() <= 1
            {
                let step = moved / ticks;
                walk.step_known = true;
                walk.step = step;
                walk.last = Some((tick, cell));
                if let Some(segment) = segments.last_mut() {
                    segment.step = step_code(step);
                }
                return;
            }
        }
        *walk = Walk {
            last: Some((tick, cell)),
            step_known: false,
            step: I64Vec2::ZERO,
        };
        segments.push(Segment {
            tick: at,
            x: clamp(cell.x),
            y: clamp(cell.y),
            step: step_code(I64Vec2::ZERO),
        });
        self.bytes = self.bytes.saturating_add(SEGMENT_BYTES);
    }

    fn run(&mut self, index: u32, run: Run) {
        let runs = &mut self.runs[index as usize];
        if runs
            .last()
            .is_some_and(|last| last.state == run.state && last.text == run.text)
        {
            return;
        }
        runs.push(run);
        self.bytes = self.bytes.saturating_add(RUN_BYTES);
    }

    /// How many unit-ticks the trace listed.
    pub fn unit_ticks(&self) -> u64 {
        self.unit_counts.iter().map(|&count| u64::from(count)).sum()
    }
}

fn step_code(step: I64Vec2) -> u8 {
    ((step.x + 1) + 3 * (step.y + 1)) as u8
}

/// A cell the page can hold: coordinates past ±2³¹ (which a scenario cannot reach) are pinned.
fn clamp(value: i64) -> i32 {
    value.clamp(i64::from(i32::MIN) + 1, i64::from(i32::MAX)) as i32
}

/// The event's first cell field and its text as `inspect` prints it, with that cell replaced by
/// [`CELL_PLACEHOLDER`].
fn split_cell(
    event: &EventRecord,
    name_of: impl Fn(u64) -> Option<String>,
) -> (Option<(i32, i32)>, String) {
    let cell_field = event.fields.iter().find_map(|(key, value)| match value {
        Value::Array(items) if items.len() == 2 => {
            let x = items[0].as_i64()?;
            let y = items[1].as_i64()?;
            Some((key.clone(), (clamp(x), clamp(y))))
        }
        _ => None,
    });
    let Some((key, cell)) = cell_field else {
        return (None, describe_event(event, name_of));
    };
    let mut placeholder = event.clone();
    placeholder
        .fields
        .insert(key, Value::String(CELL_PLACEHOLDER.to_string()));
    (Some(cell), describe_event(&placeholder, name_of))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: u64, x: i64, y: i64, activity: &str) -> UnitRecord {
        UnitRecord {
            id,
            unit: format!("u{id}"),
            team: None,
            x,
            y,
            state: "active".into(),
            activity: activity.into(),
        }
    }

    fn add(packed: &mut Packed, tick: u64, units: &[UnitRecord]) {
        let units: Vec<&UnitRecord> = units.iter().collect();
        packed
            .add_tick(tick, &units, &[], |_| None, u64::MAX)
            .unwrap();
    }

    /// Where the page finds a unit at tick `at`, read back the way the page reads it.
    fn position(packed: &Packed, index: usize, at: u32) -> (i32, i32) {
        let segment = packed.segments[index]
            .iter()
            .rev()
            .find(|segment| segment.tick <= at)
            .unwrap();
        let dt = (at - segment.tick) as i32;
        let (dx, dy) = (
            i32::from(segment.step % 3) - 1,
            i32::from(segment.step / 3) - 1,
        );
        (segment.x + dx * dt, segment.y + dy * dt)
    }

    #[test]
    fn straight_walks_are_one_segment_each_and_read_back_exactly() {
        let mut packed = Packed::default();
        let mut cells = Vec::new();
        // East for 5 ticks, still for 3, north-west for 4, then a jump (a unit placed).
        let mut cell = (0i64, 0i64);
        for tick in 0..20u64 {
            cells.push(cell);
            add(&mut packed, tick, &[unit(7, cell.0, cell.1, "walk")]);
            cell = match tick {
                0..5 => (cell.0 + 1, cell.1),
                5..8 => cell,
                8..12 => (cell.0 - 1, cell.1 + 1),
                12 => (100, -100),
                _ => (cell.0, cell.1 - 1),
            };
        }
        // East, still, north-west, then from the jump south: four walks.
        assert_eq!(packed.segments[0].len(), 4, "{:?}", packed.segments[0]);
        for (tick, &(x, y)) in cells.iter().enumerate() {
            assert_eq!(
                position(&packed, 0, tick as u32),
                (x as i32, y as i32),
                "tick {tick}"
            );
        }
        assert_eq!(packed.runs[0].len(), 1, "one activity all along");
        assert_eq!(packed.unit_ticks(), 20);
    }

    #[test]
    fn a_unit_gone_from_the_trace_gets_an_absent_run() {
        let mut packed = Packed::default();
        add(&mut packed, 0, &[unit(0, 0, 0, "a"), unit(1, 5, 5, "b")]);
        add(&mut packed, 1, &[unit(0, 1, 0, "a > c")]);
        add(&mut packed, 2, &[unit(0, 2, 0, "a > c")]);
        assert_eq!(
            packed.runs[1],
            [
                Run {
                    tick: 0,
                    state: 1,
                    text: packed.strings.iter().position(|s| s == "b").unwrap() as u32
                },
                Run {
                    tick: 1,
                    state: ABSENT,
                    text: 0
                }
            ]
        );
        assert_eq!(packed.runs[0].len(), 2);
        assert_eq!(packed.unit_counts, [2, 1, 1]);
    }

    #[test]
    fn an_events_cell_becomes_numbers_and_its_text_is_inspects() {
        let mut packed = Packed::default();
        let units = [unit(0, 0, 0, "goto(4,-2)"), unit(1, 1, 1, "")];
        let mut fields = serde_json::Map::new();
        fields.insert("cell".into(), serde_json::json!([4, -2]));
        let goto = EventRecord {
            id: 0,
            unit: "u0".into(),
            event: "goto_issued".into(),
            fields,
        };
        let mut fields = serde_json::Map::new();
        fields.insert("target".into(), serde_json::json!(1));
        let chase = EventRecord {
            id: 0,
            unit: "u0".into(),
            event: "chase_caught".into(),
            fields,
        };
        let name_of = |id: u64| Some(format!("u{id}"));
        let units: Vec<&UnitRecord> = units.iter().collect();
        packed
            .add_tick(3, &units, &[&goto, &chase], name_of, u64::MAX)
            .unwrap();
        let [first, second] = packed.events[..] else {
            panic!("{:?}", packed.events)
        };
        assert_eq!((first.x, first.y, first.other), (4, -2, -1));
        assert_eq!(
            packed.strings[first.text as usize],
            "u0 goto_issued cell=\u{1}"
        );
        assert_eq!((second.x, second.other), (NO_CELL, 1));
        assert_eq!(
            packed.strings[second.text as usize],
            describe_event(&chase, name_of)
        );
        assert_eq!(packed.kinds, ["goto_issued", "chase_caught"]);
        assert_eq!(packed.event_starts, [0, 2]);
    }

    #[test]
    fn a_trace_past_the_limit_is_refused_while_it_is_read() {
        let mut packed = Packed::default();
        let units: Vec<UnitRecord> = (0..100).map(|id| unit(id, id as i64, 0, "x")).collect();
        let units: Vec<&UnitRecord> = units.iter().collect();
        assert!(packed.add_tick(0, &units, &[], |_| None, 10_000).is_ok());
        assert!(packed.add_tick(1, &units, &[], |_| None, 1_000).is_err());
    }
}
