//! `tickweave view`: a trace as a page to watch in a browser — the grid at any tick, each
//! unit's activity stack and events, played forwards and backwards.
//!
//! The trace is read with the same reader as `inspect` (so a malformed trace gets the same
//! messages), packed into columns of changes ([`pack`]), and written as one self-contained HTML
//! file ([`page`]) whose scripts draw on a canvas.

mod base64;
mod pack;
mod page;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::CliError;
use super::args::ViewArgs;
use super::output_file::{OutputFile, refuse_clashes};
use super::selection::{Selection, TicksSeen};
use super::trace_file::{EventRecord, TraceReader, UnitRecord};
use crate::cli::counted::counted;
use pack::{Packed, TooLarge};
use page::Heading;

/// The most data a page may hold, in bytes before base64 (which adds a third). A trace of
/// 10,000 units over 1,000 ticks packs into 4 MB when its units walk long straight lines and
/// 24 MB when they turn every few ticks; a page of 31 MB opens in 0.7 s, so one at this limit
/// takes a few seconds.
pub const MAX_PAGE_DATA: u64 = 96_000_000;

/// Writes the page for the trace and the part of it `args` selects.
pub fn view(args: &ViewArgs) -> Result<(), CliError> {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.trace.with_extension("html"));
    if args.output.is_none() && output == args.trace {
        // The page is named after the trace, with .html: here that is the trace's own name.
        return Err(CliError::input(format_args!(
            "{}: the page would be written over the trace, whose name it takes with .html; \
             name the page with --output",
            args.trace.display()
        )));
    }
    refuse_clashes(
        Some(("the trace", &args.trace)),
        &[("--output", output.as_path())],
    )?;
    let selection = Selection::new(&args.trace, &args.filter)?;
    let mut out = OutputFile::create(&output, "the page")?;
    let mut reader = TraceReader::open(&args.trace)?;
    let mut names: HashMap<u64, String> = HashMap::new();
    let mut packed = Packed::default();
    let mut seen = TicksSeen::default();
    while let Some(block) = reader.next_tick()? {
        for unit in &block.units {
            names.entry(unit.id).or_insert_with(|| unit.unit.clone());
        }
        if seen.add(&selection, block.tick) {
            let units: Vec<&UnitRecord> = block
                .units
                .iter()
                .filter(|unit| selection.shows_unit(unit.id))
                .collect();
            let events: Vec<&EventRecord> = block
                .events
                .iter()
                .filter(|event| selection.shows_event(event))
                .collect();
            let name_of = |id: u64| names.get(&id).cloned();
            packed
                .add_tick(block.tick, &units, &events, name_of, MAX_PAGE_DATA)
                .map_err(|TooLarge| too_large(reader.origin(), &packed, block.tick))?;
        }
        if selection.ends_before(block.tick) {
            break;
        }
    }
    seen.check(&selection, reader.origin())?;

    let filter = [
        args.filter
            .unit
            .as_ref()
            .map(|unit| format!("--unit {unit}")),
        args.filter
            .ticks
            .as_ref()
            .map(|ticks| format!("--ticks {ticks}")),
    ];
    let filter: Vec<String> = filter.into_iter().flatten().collect();
    let heading = Heading {
        source: &file_name(&args.trace),
        filter: (!filter.is_empty()).then(|| filter.join(" ")),
    };
    page::write(&mut out, &packed, &heading).map_err(|error| CliError::write(out.path(), error))?;
    let path = out.commit()?;
    let size = std::fs::metadata(&path).map_or(0, |meta| meta.len());
    writeln!(
        std::io::stdout().lock(),
        "page       {} ({}, ticks {} to {}, {:.1} MB)",
        path.display(),
        counted(packed.units.len() as u64, "unit"),
        packed.first_tick,
        packed.last_tick,
        size as f64 / 1e6
    )
    .map_err(CliError::output)
}

/// The trace's file name, for the page's heading.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

fn too_large(origin: &str, packed: &Packed, tick: u64) -> CliError {
    CliError::input(format_args!(
        "{origin}: too large to view: by tick {tick} the page would already hold more than {} MB \
         ({} units, {} unit-ticks, {} events); a browser shows up to {} MB smoothly. View part \
         of the trace: --unit NAME for one unit, or --ticks A..B for fewer ticks",
        MAX_PAGE_DATA / 1_000_000,
        packed.units.len(),
        packed.unit_ticks(),
        packed.events.len(),
        MAX_PAGE_DATA / 1_000_000,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_too_large_is_told_how_to_view_part_of_it() {
        let message = too_large("big.jsonl", &Packed::default(), 412).to_string();
        assert!(
            message.starts_with("big.jsonl: too large to view: by tick 412 "),
            "{message}"
        );
        assert!(
            message.contains("--unit NAME") && message.contains("--ticks A..B"),
            "{message}"
        );
        assert!(
            message.contains(&format!("{} MB", MAX_PAGE_DATA / 1_000_000)),
            "{message}"
        );
    }
}
