//! `tickweave inspect`: a trace, tick by tick, as a table of where each unit was and what it
//! was doing, with the events of each tick below it.
//!
//! A trace is a file like any other, written by anyone: the text it holds (names, activities,
//! events) is printed with its control characters escaped (`\u{1b}`), so that it cannot send
//! the terminal an escape sequence or forge a line of the table.

use std::collections::HashMap;
use std::io::{BufWriter, Write};

use super::CliError;
use super::args::InspectArgs;
use super::printable::printable;
use super::selection::{Selection, TicksSeen};
use super::trace_file::{TickRecords, TraceReader, UnitRecord, describe_event};

/// Prints the ticks and units `args` selects from the trace.
pub fn inspect(args: &InspectArgs) -> Result<(), CliError> {
    let selection = Selection::new(&args.trace, &args.filter)?;
    let mut reader = TraceReader::open(&args.trace)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut table = Table::default();
    let mut seen = TicksSeen::default();
    while let Some(block) = reader.next_tick()? {
        table.learn(&block);
        if seen.add(&selection, block.tick) {
            table
                .print(&mut out, &block, &selection)
                .map_err(CliError::output)?;
        }
        if selection.ends_before(block.tick) {
            break;
        }
    }
    seen.check(&selection, reader.origin())?;
    // A reader that went away (`| head`) is a failed write like any other: the report is not
    // whole, and a script must not take it for whole.
    out.flush().map_err(CliError::output)
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
            self.name_width = self.name_width.max(printable(&unit.unit).chars().count());
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
        selection: &Selection,
    ) -> std::io::Result<()> {
        match &block.checksum {
            Some(checksum) => {
                writeln!(out, "tick {}  checksum {}", block.tick, printable(checksum))?
            }
            None => writeln!(out, "tick {}", block.tick)?,
        }
        for unit in &block.units {
            if !selection.shows_unit(unit.id) {
                continue;
            }
            writeln!(
                out,
                "  {:<name$}  {:>id$}  {:<cell$}  {}",
                printable(&unit.unit),
                format!("#{}", unit.id),
                cell(unit),
                printable(&doing(unit)),
                name = self.name_width,
                id = self.id_width,
                cell = self.cell_width,
            )?;
        }
        for event in &block.events {
            if !selection.shows_event(event) {
                continue;
            }
            let text = describe_event(event, |id| self.names.get(&id).cloned());
            writeln!(out, "  · {}", printable(&text))?;
        }
        Ok(())
    }
}

fn cell(unit: &UnitRecord) -> String {
    format!("({},{})", unit.x, unit.y)
}

/// What the unit was doing, in one column.
pub(super) fn doing(unit: &UnitRecord) -> String {
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
