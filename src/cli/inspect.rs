//! `tickweave inspect`: a trace, tick by tick, as a table of where each unit was and what it
//! was doing, with the events of each tick below it.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::CliError;
use super::args::InspectArgs;
use super::suggest::closest;
use super::tick_range::TickRange;
use super::trace_file::{TickRecords, TraceReader, UnitRecord, describe_event};

/// Prints the ticks and units `args` selects from the trace.
pub fn inspect(args: &InspectArgs) -> Result<(), CliError> {
    let range = match &args.ticks {
        Some(text) => Some(text.parse::<TickRange>().map_err(CliError::input)?),
        None => None,
    };
    let only = match &args.unit {
        Some(name) => Some(find_unit(&args.trace, name)?),
        None => None,
    };
    let mut reader = TraceReader::open(&args.trace)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut table = Table::default();
    let mut ticks_seen: Option<(u64, u64)> = None;
    let mut shown = 0u64;
    while let Some(block) = reader.next_tick()? {
        table.learn(&block);
        ticks_seen =
            Some(ticks_seen.map_or((block.tick, block.tick), |(first, _)| (first, block.tick)));
        if range.is_none_or(|range| range.contains(block.tick)) {
            shown += 1;
            match table.print(&mut out, &block, only) {
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                result => result.map_err(CliError::output)?,
            }
        }
        if range.is_some_and(|range| range.ends_before(block.tick)) {
            break;
        }
    }
    if let (Some(text), 0) = (&args.ticks, shown) {
        let (first, last) = ticks_seen.unwrap_or_default();
        return Err(CliError::input(format_args!(
            "{}: --ticks {text} selects no tick: the trace has ticks {first} to {last}",
            reader.origin()
        )));
    }
    match out.flush() {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.map_err(CliError::output),
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
    let hint = match closest(name, names()) {
        Some(close) => format!("did you mean \"{close}\"?"),
        None => {
            let mut listed: Vec<&str> = names().take(10).collect();
            if known.len() > listed.len() {
                listed.push("…");
            }
            format!("its units are {}", listed.join(", "))
        }
    };
    Err(CliError::input(format_args!(
        "{}: no unit is named \"{name}\"; {hint}",
        reader.origin()
    )))
}

/// Column widths, grown as wider values appear, and every unit's name by id.
struct Table {
    names: HashMap<u64, String>,
    name_width: usize,
    id_width: usize,
    cell_width: usize,
}

impl Default for Table {
    /// Wide enough for most runs from the start, so that columns rarely move.
    fn default() -> Self {
        Table {
            names: HashMap::new(),
            name_width: 4,
            id_width: 3,
            cell_width: "(-99,-99)".len(),
        }
    }
}

impl Table {
    fn learn(&mut self, block: &TickRecords) {
        for unit in &block.units {
            self.name_width = self.name_width.max(unit.unit.chars().count());
            self.id_width = self.id_width.max(unit.id.to_string().len() + 1);
            self.cell_width = self.cell_width.max(cell(unit).len());
            self.names
                .entry(unit.id)
                .or_insert_with(|| unit.unit.clone());
        }
    }

    fn print(
        &self,
        out: &mut impl Write,
        block: &TickRecords,
        only: Option<u64>,
    ) -> std::io::Result<()> {
        match &block.checksum {
            Some(checksum) => writeln!(out, "tick {}  checksum {checksum}", block.tick)?,
            None => writeln!(out, "tick {}", block.tick)?,
        }
        for unit in &block.units {
            if only.is_some_and(|only| only != unit.id) {
                continue;
            }
            writeln!(
                out,
                "  {:<name$}  {:>id$}  {:<cell$}  {}",
                unit.unit,
                format!("#{}", unit.id),
                cell(unit),
                doing(unit),
                name = self.name_width,
                id = self.id_width,
                cell = self.cell_width,
            )?;
        }
        for event in &block.events {
            let names_it =
                |key: &str| event.fields.get(key).and_then(serde_json::Value::as_u64) == only;
            if only.is_some_and(|only| only != event.id)
                && !names_it("target")
                && !names_it("by")
                && !names_it("from")
            {
                continue;
            }
            let text = describe_event(event, |id| self.names.get(&id).cloned());
            writeln!(out, "  · {text}")?;
        }
        Ok(())
    }
}

fn cell(unit: &UnitRecord) -> String {
    format!("({},{})", unit.x, unit.y)
}

/// What the unit was doing, in one column.
fn doing(unit: &UnitRecord) -> String {
    let activity = if unit.activity.is_empty() {
        "-"
    } else {
        &unit.activity
    };
    match unit.state.as_str() {
        "active" => activity.to_owned(),
        "paused" => format!("paused: {activity}"),
        "finished" => "finished".to_owned(),
        "none" => "(no behaviour)".to_owned(),
        other => format!("{other}: {activity}"),
    }
}
