//! `tickweave diff`: where two traces first diverge, and how. The text of the traces (names,
//! activities, events) is shown with its control characters escaped, as `inspect` shows it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;

use super::CliError;
use super::args::DiffArgs;
use super::printable::printable;
use super::trace_file::{EventRecord, TickRecords, TraceReader, UnitRecord, describe_event};

/// Units listed at the diverging tick; the rest are counted.
const UNITS_SHOWN: usize = 20;
/// Events listed from each trace at the diverging tick; the rest are counted.
const EVENTS_SHOWN: usize = 10;

/// Compares the traces tick by tick and prints the first tick where they differ. Returns
/// `CliError::differ` (exit status 1) if they do.
pub fn diff(args: &DiffArgs) -> Result<(), CliError> {
    let mut a = TraceReader::open(&args.a)?;
    let mut b = TraceReader::open(&args.b)?;
    let mut names: HashMap<u64, String> = HashMap::new();
    let mut ticks = 0u64;
    let mut last_tick = None;
    let report = loop {
        let (next_a, next_b) = (a.next_tick()?, b.next_tick()?);
        let (block_a, block_b) = match (next_a, next_b) {
            (None, None) => break None,
            (Some(block), None) => {
                break Some(ends_early([a.origin(), b.origin()], 1, last_tick, &block));
            }
            (None, Some(block)) => {
                break Some(ends_early([a.origin(), b.origin()], 0, last_tick, &block));
            }
            (Some(block_a), Some(block_b)) => (block_a, block_b),
        };
        for unit in block_a.units.iter().chain(&block_b.units) {
            names.entry(unit.id).or_insert_with(|| unit.unit.clone());
        }
        if let Some(differences) = compare(&block_a, &block_b, &names) {
            let tick = block_a.tick.min(block_b.tick);
            break Some(format!(
                "{} and {} diverge at tick {tick}:\n{differences}",
                a.origin(),
                b.origin()
            ));
        }
        ticks += 1;
        last_tick = Some(block_a.tick);
    };
    let mut out = std::io::stdout().lock();
    match report {
        None => {
            writeln!(out, "identical: {ticks} ticks").map_err(CliError::output)?;
            Ok(())
        }
        Some(report) => {
            out.write_all(report.as_bytes()).map_err(CliError::output)?;
            Err(CliError::differ())
        }
    }
}

/// Trace `ended` of the two (0 or 1) ended while the other goes on with `block`. The heading
/// names the traces in the order given, like every other heading.
fn ends_early(
    origins: [&str; 2],
    ended: usize,
    last_tick: Option<u64>,
    block: &TickRecords,
) -> String {
    let ended_at = last_tick.map_or("before its first tick".to_owned(), |tick| {
        format!("after tick {tick}")
    });
    let (first, second) = (origins[0], origins[1]);
    let (gone, other) = (origins[ended], origins[1 - ended]);
    format!(
        "{first} and {second} diverge at tick {}:\n  {gone} ends {ended_at}; {other} goes on\n",
        block.tick,
    )
}

/// The differences between two traces' records of a tick, one per line; `None` if they agree.
fn compare(a: &TickRecords, b: &TickRecords, names: &HashMap<u64, String>) -> Option<String> {
    let mut text = String::new();
    if a.tick != b.tick {
        let _ = writeln!(
            text,
            "  tick {} → tick {}: one trace skips a tick",
            a.tick, b.tick
        );
        return Some(text);
    }
    compare_units(&a.units, &b.units, &mut text);
    compare_events(&a.events, &b.events, names, &mut text);
    if a.checksum != b.checksum {
        let shown = |checksum: &Option<String>| checksum.clone().unwrap_or_else(|| "none".into());
        let agree = if text.is_empty() {
            " (the unit records agree)"
        } else {
            ""
        };
        let line = format!(
            "  checksum {} → {}{agree}",
            shown(&a.checksum),
            shown(&b.checksum)
        );
        let _ = writeln!(text, "{}", printable(&line));
    }
    (!text.is_empty()).then_some(text)
}

fn compare_units(a: &[UnitRecord], b: &[UnitRecord], text: &mut String) {
    let by_id = |units: &[UnitRecord]| -> Vec<(u64, usize)> {
        let mut ids: Vec<(u64, usize)> = units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        ids.sort_unstable();
        ids
    };
    let (ids_a, ids_b) = (by_id(a), by_id(b));
    let (mut i, mut j) = (0, 0);
    let mut differing = 0;
    let mut say = |line: std::fmt::Arguments<'_>| {
        differing += 1;
        if differing <= UNITS_SHOWN {
            let _ = writeln!(text, "{}", printable(&line.to_string()));
        }
    };
    while i < ids_a.len() || j < ids_b.len() {
        let id_a = ids_a.get(i).map(|&(id, _)| id);
        let id_b = ids_b.get(j).map(|&(id, _)| id);
        match (id_a, id_b) {
            (Some(x), Some(y)) if x == y => {
                let (ua, ub) = (&a[ids_a[i].1], &b[ids_b[j].1]);
                let changes = unit_changes(ua, ub);
                if !changes.is_empty() {
                    say(format_args!("  #{x} {}: {}", ua.unit, changes.join(", ")));
                }
                i += 1;
                j += 1;
            }
            (Some(x), y) if y.is_none_or(|y| x < y) => {
                let unit = &a[ids_a[i].1];
                say(format_args!(
                    "  #{x} {}: only in the first trace",
                    unit.unit
                ));
                i += 1;
            }
            _ => {
                let unit = &b[ids_b[j].1];
                say(format_args!(
                    "  #{} {}: only in the second trace",
                    unit.id, unit.unit
                ));
                j += 1;
            }
        }
    }
    if differing > UNITS_SHOWN {
        let _ = writeln!(text, "  … and {} more units", differing - UNITS_SHOWN);
    }
}

/// `field old → new` for each field that differs.
fn unit_changes(a: &UnitRecord, b: &UnitRecord) -> Vec<String> {
    let mut changes = Vec::new();
    if a.unit != b.unit {
        changes.push(format!("unit \"{}\" → \"{}\"", a.unit, b.unit));
    }
    if a.team != b.team {
        let team = |team: &Option<String>| {
            team.as_deref()
                .map_or("-".to_owned(), |t| format!("\"{t}\""))
        };
        changes.push(format!("team {} → {}", team(&a.team), team(&b.team)));
    }
    if a.x != b.x {
        changes.push(format!("x {} → {}", a.x, b.x));
    }
    if a.y != b.y {
        changes.push(format!("y {} → {}", a.y, b.y));
    }
    if a.state != b.state {
        changes.push(format!("state {} → {}", a.state, b.state));
    }
    if a.activity != b.activity {
        changes.push(format!("activity \"{}\" → \"{}\"", a.activity, b.activity));
    }
    changes
}

/// Events differ from the first position where they disagree: each side's rest is listed.
fn compare_events(
    a: &[EventRecord],
    b: &[EventRecord],
    names: &HashMap<u64, String>,
    text: &mut String,
) {
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if same == a.len() && same == b.len() {
        return;
    }
    let describe = |event: &EventRecord| describe_event(event, |id| names.get(&id).cloned());
    let _ = writeln!(text, "  events differ after {same} in common:");
    for (sign, rest) in [('-', &a[same..]), ('+', &b[same..])] {
        for event in rest.iter().take(EVENTS_SHOWN) {
            let _ = writeln!(text, "    {sign} {}", printable(&describe(event)));
        }
        if rest.len() > EVENTS_SHOWN {
            let _ = writeln!(text, "    {sign} … and {} more", rest.len() - EVENTS_SHOWN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: u64, x: i64) -> UnitRecord {
        UnitRecord {
            id,
            unit: format!("u{id}"),
            team: None,
            x,
            y: 0,
            state: "active".into(),
            activity: String::new(),
        }
    }

    #[test]
    fn units_are_matched_by_id_and_a_long_list_is_cut() {
        let a: Vec<UnitRecord> = (0..30).map(|id| unit(id, 0)).collect();
        let mut b: Vec<UnitRecord> = (1..31).rev().map(|id| unit(id, 1)).collect();
        b[0].x = 0; // unit 30, only in the second trace
        let mut text = String::new();
        compare_units(&a, &b, &mut text);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), UNITS_SHOWN + 1);
        assert_eq!(lines[0], "  #0 u0: only in the first trace");
        assert_eq!(lines[1], "  #1 u1: x 0 → 1");
        assert_eq!(lines[UNITS_SHOWN], "  … and 11 more units");
    }

    #[test]
    fn a_change_of_team_is_a_difference() {
        let a = unit(0, 0);
        let b = UnitRecord {
            team: Some("scouts".into()),
            ..a.clone()
        };
        assert_eq!(unit_changes(&a, &b), ["team - → \"scouts\""]);
    }

    #[test]
    fn identical_ticks_have_no_differences() {
        let block = TickRecords {
            tick: 3,
            units: vec![unit(0, 2)],
            events: Vec::new(),
            checksum: Some("0x01".into()),
        };
        assert_eq!(compare(&block, &block.clone(), &HashMap::new()), None);
        let other = TickRecords {
            checksum: Some("0x02".into()),
            ..block.clone()
        };
        assert_eq!(
            compare(&block, &other, &HashMap::new()).as_deref(),
            Some("  checksum 0x01 → 0x02 (the unit records agree)\n")
        );
    }
}
