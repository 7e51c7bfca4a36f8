//! A sweep's rows, one per seed, kept in seed order; written as CSV, and read back.
//!
//! The columns are `seed`, the fixed counts of [`FIXED`], one column per named tally
//! (`tally.caught`) and per kind of unit event (`event.goto_issued`) that any seed counted,
//! then `checksum` and `fault`. A seed that ran has every count (0 for a tally or an event it
//! never counted) and an empty `fault`; a seed whose run failed has only its `fault`. Because
//! the columns and the order follow from the rows alone, the same rows always make the same
//! bytes, however they were gathered: in one sweep or several, resumed, or merged.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, Write};

use super::bounded;
use super::header::Header;
use crate::cli::report::RunReport;
use tickweave::Checksum;

/// The counts every seed that ran has, in the order of their columns (after `seed`).
pub const FIXED: [&str; 8] = [
    "ticks",
    "units",
    "alive",
    "completed",
    "failed",
    "cancelled",
    "faulted",
    "polls",
];

/// The prefixes of the columns of named tallies and of kinds of unit event.
pub const TALLY: &str = "tally.";
pub const EVENT: &str = "event.";

/// One seed's row.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Row {
    Ran {
        fixed: [u64; FIXED.len()],
        /// By column id of the table; a column past the end is 0. Never ends with a 0, so
        /// equal rows are equal values.
        extra: Box<[u64]>,
        checksum: u64,
    },
    Fault(Box<str>),
}

/// A numeric column: one of [`FIXED`], or a tally's or an event kind's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Fixed(usize),
    Extra(usize),
}

/// Rows by seed, and the names of the tally and event columns they use.
#[derive(Debug, Default)]
pub struct Table {
    /// Names of the extra columns by id, in the order they were first seen.
    columns: Vec<String>,
    ids: HashMap<String, usize>,
    rows: BTreeMap<u64, Row>,
}

impl Table {
    /// How many rows it holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it holds a row for `seed`.
    pub fn contains(&self, seed: u64) -> bool {
        self.rows.contains_key(&seed)
    }

    /// The seeds it holds rows for, in order.
    pub fn seeds(&self) -> impl Iterator<Item = u64> + '_ {
        self.rows.keys().copied()
    }

    /// Adds the row of a seed that ran.
    pub fn add_report(&mut self, seed: u64, report: &RunReport) -> Result<(), String> {
        let mut row = RowBuilder {
            fixed: [
                report.ticks,
                report.units,
                report.alive,
                report.completed,
                report.failed,
                report.cancelled,
                report.faulted,
                report.polls,
            ]
            .map(Some),
            ..RowBuilder::default()
        };
        for &(name, count) in &report.tallies {
            row.set_extra(self, &format!("{TALLY}{name}"), count);
        }
        for &(kind, count) in &report.events {
            row.set_extra(self, &format!("{EVENT}{kind}"), count);
        }
        row.checksum = Some(report.checksum.0);
        self.insert(seed, row.finish()?)
    }

    /// Adds the row of a seed whose run failed, saying how.
    pub fn add_fault(&mut self, seed: u64, fault: &str) -> Result<(), String> {
        self.insert(seed, Row::Fault(fault.into()))
    }

    /// Adds `row` for `seed`; a seed may have one row only, though the same row twice is
    /// harmless (a resumed sweep may find it both in its file and in its journal).
    fn insert(&mut self, seed: u64, row: Row) -> Result<(), String> {
        match self.rows.get(&seed) {
            Some(held) if *held == row => Ok(()),
            Some(_) => Err(format!("seed {seed} has two different rows")),
            None => {
                self.rows.insert(seed, row);
                Ok(())
            }
        }
    }

    /// Adds every row of `other`; fails at a seed both hold.
    pub fn absorb(&mut self, other: Table) -> Result<(), u64> {
        for (seed, row) in other.rows {
            if self.rows.contains_key(&seed) {
                return Err(seed);
            }
            let row = match row {
                Row::Ran {
                    fixed,
                    extra,
                    checksum,
                } => {
                    let mut builder = RowBuilder {
                        fixed: fixed.map(Some),
                        checksum: Some(checksum),
                        ..RowBuilder::default()
                    };
                    for (id, &count) in extra.iter().enumerate() {
                        builder.set_extra(self, &other.columns[id], count);
                    }
                    builder.finish().expect("a row of a table is complete")
                }
                fault => fault,
            };
            self.rows.insert(seed, row);
        }
        Ok(())
    }

    /// The extra columns that some row counted, in the order they are written: tallies, then
    /// events, each by name.
    fn extra_columns(&self) -> Vec<usize> {
        let mut used = vec![false; self.columns.len()];
        for row in self.rows.values() {
            if let Row::Ran { extra, .. } = row {
                for (id, &count) in extra.iter().enumerate() {
                    used[id] |= count != 0;
                }
            }
        }
        let mut ids: Vec<usize> = (0..self.columns.len()).filter(|&id| used[id]).collect();
        ids.sort_by_key(|&id| {
            let name = &self.columns[id];
            (!name.starts_with(TALLY), name.as_str())
        });
        ids
    }

    /// Every numeric column, in the order they are written, with its name.
    pub fn numeric_columns(&self) -> Vec<(Column, &str)> {
        let fixed = FIXED
            .iter()
            .enumerate()
            .map(|(index, name)| (Column::Fixed(index), *name));
        let extra = self
            .extra_columns()
            .into_iter()
            .map(|id| (Column::Extra(id), self.columns[id].as_str()));
        fixed.chain(extra).collect()
    }

    /// Each seed that ran, with its value in `column`, in seed order.
    pub fn values(&self, column: Column) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.rows.iter().filter_map(move |(&seed, row)| match row {
            Row::Ran { fixed, extra, .. } => Some((
                seed,
                match column {
                    Column::Fixed(index) => fixed[index],
                    Column::Extra(id) => extra.get(id).copied().unwrap_or(0),
                },
            )),
            Row::Fault(_) => None,
        })
    }

    /// Each seed whose run failed, with how, in seed order.
    pub fn faults(&self) -> impl Iterator<Item = (u64, &str)> + '_ {
        self.rows.iter().filter_map(|(&seed, row)| match row {
            Row::Fault(fault) => Some((seed, &**fault)),
            Row::Ran { .. } => None,
        })
    }

    /// Writes the file: `header`, the column names, then a row per seed in seed order.
    pub fn write_csv(&self, header: &Header, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "{header}")?;
        let extra = self.extra_columns();
        let mut csv = csv::Writer::from_writer(out);
        let names = std::iter::once("seed")
            .chain(FIXED)
            .chain(extra.iter().map(|&id| self.columns[id].as_str()))
            .chain(["checksum", "fault"]);
        csv.write_record(names)?;
        let mut record: Vec<String> = Vec::with_capacity(FIXED.len() + extra.len() + 3);
        for (&seed, row) in &self.rows {
            record.clear();
            record.push(seed.to_string());
            match row {
                Row::Ran {
                    fixed,
                    extra: counts,
                    checksum,
                } => {
                    record.extend(fixed.iter().map(u64::to_string));
                    record.extend(
                        extra
                            .iter()
                            .map(|&id| counts.get(id).copied().unwrap_or(0).to_string()),
                    );
                    record.push(Checksum(*checksum).to_string());
                    record.push(String::new());
                }
                Row::Fault(fault) => {
                    record.extend(std::iter::repeat_n(
                        String::new(),
                        FIXED.len() + extra.len(),
                    ));
                    record.push(String::new());
                    record.push(fault.to_string());
                }
            }
            csv.write_record(&record)?;
        }
        csv.flush()
    }

    /// Reads the rows of a file [`write_csv`](Self::write_csv) wrote, after its header line,
    /// from `reader`; `line` is the header's line number. Returns their seeds in file order;
    /// fails with `line: what is wrong`. Each line is one record (see [`split_record`]), so a
    /// quote left open costs no more than its line.
    pub fn read_csv(
        &mut self,
        mut reader: impl BufRead,
        mut line: u64,
    ) -> Result<Vec<u64>, String> {
        let mut text = Vec::new();
        let mut record: Vec<String> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut seeds = Vec::new();
        loop {
            let found = bounded::next_line(&mut reader, &mut text)
                .map_err(|error| format!("{}: {error}", line + 1))?;
            if found.is_none() {
                break;
            }
            line += 1;
            let at = |why: String| format!("{line}: {why}");
            split_record(&text, &mut record).map_err(at)?;
            if names.is_empty() {
                names = std::mem::take(&mut record);
                check_names(&names).map_err(at)?;
                continue;
            }
            if record.len() != names.len() {
                return Err(at(format!(
                    "{} fields where the column names have {}",
                    record.len(),
                    names.len()
                )));
            }
            let mut row = RowBuilder::default();
            let mut seed = 0;
            for (name, value) in names.iter().zip(&record) {
                if name == "seed" {
                    seed = value
                        .parse::<u64>()
                        .map_err(|_| at(format!("seed \"{value}\" is not a seed")))?;
                } else {
                    row.set(self, name, value).map_err(at)?;
                }
            }
            let row = row.finish().map_err(at)?;
            self.insert(seed, row).map_err(at)?;
            seeds.push(seed);
        }
        if names.is_empty() {
            return Err(format!("{}: no column names", line + 1));
        }
        Ok(seeds)
    }

    /// One seed's row as a line of JSON (for the journal of a sweep under way): an object
    /// whose keys are the row's column names, without the counts that are 0.
    pub fn row_json(&self, seed: u64) -> Option<String> {
        let mut object = serde_json::Map::new();
        object.insert("seed".into(), seed.into());
        match self.rows.get(&seed)? {
            Row::Ran {
                fixed,
                extra,
                checksum,
            } => {
                for (name, &count) in FIXED.iter().zip(fixed) {
                    object.insert((*name).into(), count.into());
                }
                for (id, &count) in extra.iter().enumerate() {
                    if count != 0 {
                        object.insert(self.columns[id].clone(), count.into());
                    }
                }
                object.insert("checksum".into(), Checksum(*checksum).to_string().into());
            }
            Row::Fault(fault) => {
                object.insert("fault".into(), fault.to_string().into());
            }
        }
        Some(serde_json::Value::Object(object).to_string())
    }

    /// Adds the row a line of [`row_json`](Self::row_json) holds; returns its seed.
    pub fn add_json(&mut self, line: &str) -> Result<u64, String> {
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(line).map_err(|error| format!("not a row: {error}"))?;
        let mut row = RowBuilder::default();
        let mut seed = None;
        let mut fault = None;
        for (name, value) in &object {
            let text = match value {
                serde_json::Value::String(text) => text.clone(),
                serde_json::Value::Number(number) => number.to_string(),
                _ => return Err(format!("{name} is neither a number nor text")),
            };
            match name.as_str() {
                "seed" => {
                    seed = Some(
                        text.parse::<u64>()
                            .map_err(|_| format!("seed \"{text}\" is not a seed"))?,
                    );
                }
                "fault" => fault = Some(text),
                _ => row.set(self, name, &text)?,
            }
        }
        let seed = seed.ok_or("a row without a seed")?;
        let row = match fault {
            Some(fault) => Row::Fault(fault.into()),
            None => row.finish()?,
        };
        self.insert(seed, row)?;
        Ok(seed)
    }
}

/// Splits `line`, one CSV record (RFC 4180, as the `csv` crate writes it: a field with a
/// comma or a quote is quoted, its quotes doubled), into `fields`. No field of a sweep's file
/// holds a line break, so a record is never longer than its line.
fn split_record(line: &[u8], fields: &mut Vec<String>) -> Result<(), String> {
    fields.clear();
    let line = std::str::from_utf8(line).map_err(|_| "not UTF-8 text".to_owned())?;
    if line.is_empty() {
        return Err("a blank line".to_owned());
    }
    let mut chars = line.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.next_if_eq(&'"').is_some() {
            loop {
                match chars.next() {
                    None => return Err("a quote is left open".to_owned()),
                    Some('"') if chars.next_if_eq(&'"').is_some() => field.push('"'),
                    Some('"') => break,
                    Some(c) => field.push(c),
                }
            }
            fields.push(field);
            match chars.next() {
                None => return Ok(()),
                Some(',') => continue,
                Some(c) => return Err(format!("\"{c}\" after a closing quote")),
            }
        }
        loop {
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(());
                }
                Some(',') => break,
                Some(c) => field.push(c),
            }
        }
        fields.push(field);
    }
}

/// Fails unless `names` are the column names of a sweep's file.
fn check_names(names: &[String]) -> Result<(), String> {
    let expected = format!(
        "the columns of a sweep: seed,{},…,checksum,fault",
        FIXED.join(",")
    );
    let fixed_ok = names.len() >= FIXED.len() + 3
        && names[0] == "seed"
        && names[1..=FIXED.len()]
            .iter()
            .zip(FIXED)
            .all(|(a, b)| a == b)
        && names[names.len() - 2..] == ["checksum", "fault"];
    if !fixed_ok {
        return Err(format!("these are not {expected}"));
    }
    let extra = &names[FIXED.len() + 1..names.len() - 2];
    for name in extra {
        let bare = name
            .strip_prefix(TALLY)
            .or_else(|| name.strip_prefix(EVENT));
        if bare.is_none_or(str::is_empty) {
            return Err(format!(
                "column \"{name}\" is not a tally (tally.NAME) or an event kind (event.KIND); \
                 expected {expected}"
            ));
        }
    }
    let mut sorted: Vec<&String> = names.iter().collect();
    sorted.sort();
    if let Some(pair) = sorted.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!("column \"{}\" appears twice", pair[0]));
    }
    Ok(())
}

/// A row being read, field by field.
#[derive(Default)]
struct RowBuilder {
    fixed: [Option<u64>; FIXED.len()],
    extra: Vec<u64>,
    checksum: Option<u64>,
    fault: Option<String>,
}

impl RowBuilder {
    fn set_extra(&mut self, table: &mut Table, name: &str, count: u64) {
        let id = match table.ids.get(name) {
            Some(&id) => id,
            None => {
                table.columns.push(name.to_owned());
                table.ids.insert(name.to_owned(), table.columns.len() - 1);
                table.columns.len() - 1
            }
        };
        if self.extra.len() <= id {
            self.extra.resize(id + 1, 0);
        }
        self.extra[id] = count;
    }

    /// Sets the column `name` from its text in a file; an empty count is left unset (a
    /// failed seed's row has none).
    fn set(&mut self, table: &mut Table, name: &str, value: &str) -> Result<(), String> {
        let count = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{name} \"{value}\" is not a count"))
        };
        if name == "fault" {
            if !value.is_empty() {
                self.fault = Some(value.to_owned());
            }
        } else if name == "checksum" {
            if !value.is_empty() {
                let hex = value.strip_prefix("0x").filter(|hex| hex.len() == 16);
                self.checksum = Some(
                    hex.and_then(|hex| u64::from_str_radix(hex, 16).ok())
                        .ok_or_else(|| {
                            format!("checksum \"{value}\" is not 0x and 16 hex digits")
                        })?,
                );
            }
        } else if let Some(index) = FIXED.iter().position(|fixed| *fixed == name) {
            if !value.is_empty() {
                self.fixed[index] = Some(count()?);
            }
        } else if name.starts_with(TALLY) || name.starts_with(EVENT) {
            if !value.is_empty() {
                self.set_extra(table, name, count()?);
            }
        } else {
            return Err(format!("\"{name}\" is not a column of a sweep"));
        }
        Ok(())
    }

    fn finish(self) -> Result<Row, String> {
        if let Some(fault) = self.fault {
            return Ok(Row::Fault(fault.into()));
        }
        let mut fixed = [0; FIXED.len()];
        for ((count, found), name) in fixed.iter_mut().zip(self.fixed).zip(FIXED) {
            *count = found.ok_or_else(|| format!("a row without a fault lacks its {name}"))?;
        }
        let checksum = self
            .checksum
            .ok_or("a row without a fault lacks its checksum")?;
        let mut extra = self.extra;
        while extra.last() == Some(&0) {
            extra.pop();
        }
        Ok(Row::Ran {
            fixed,
            extra: extra.into_boxed_slice(),
            checksum,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Result<Vec<String>, String> {
        let mut fields = Vec::new();
        split_record(line.as_bytes(), &mut fields).map(|()| fields)
    }

    #[test]
    fn a_record_splits_as_the_csv_writer_quotes_it() {
        let fields = ["7", "", "a,b", "say \"hi\"", "", "tally.x"];
        let mut written = csv::Writer::from_writer(Vec::new());
        written.write_record(fields).unwrap();
        let written = String::from_utf8(written.into_inner().unwrap()).unwrap();
        assert_eq!(split(written.trim_end()).unwrap(), fields);
        assert_eq!(split("a,").unwrap(), ["a", ""]);
        assert_eq!(split(",").unwrap(), ["", ""]);
    }

    fn report(seed: u64, tallies: Vec<(&'static str, u64)>) -> RunReport {
        RunReport {
            ticks: 10,
            units: 3,
            alive: 2,
            completed: 1,
            failed: 0,
            cancelled: 0,
            faulted: 0,
            polls: 40 + seed,
            tallies,
            events: vec![("goto_issued", seed)],
            checksum: Checksum(0xabc0 + seed),
        }
    }

    /// Two tables of the same rows, gathered in different orders and read back from CSV and
    /// from the journal's JSON, write the same bytes.
    #[test]
    fn the_same_rows_make_the_same_bytes_however_they_were_gathered() {
        let header = Header::new(
            1,
            "t",
            10,
            "0..4".parse().unwrap(),
            super::super::Shard::ALL,
        );
        let mut a = Table::default();
        a.add_report(2, &report(2, vec![("lost", 1), ("caught", 4)]))
            .unwrap();
        a.add_fault(1, "panicked at x.rs:1:1: \"no\", she said")
            .unwrap();
        a.add_report(0, &report(0, vec![])).unwrap();
        a.add_report(3, &report(3, vec![("caught", 2)])).unwrap();
        let mut b = Table::default();
        for seed in [3, 0, 1, 2] {
            b.add_json(&a.row_json(seed).unwrap()).unwrap();
        }
        let mut written = Vec::new();
        a.write_csv(&header, &mut written).unwrap();
        let mut again = Vec::new();
        b.write_csv(&header, &mut again).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&again)
        );
        let text = String::from_utf8(written.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1..],
            [
                "seed,ticks,units,alive,completed,failed,cancelled,faulted,polls,tally.caught,\
                 tally.lost,event.goto_issued,checksum,fault",
                // Seed 0 counted no event: its goto_issued is 0, like its tallies.
                "0,10,3,2,1,0,0,0,40,0,0,0,0x000000000000abc0,",
                "1,,,,,,,,,,,,,\"panicked at x.rs:1:1: \"\"no\"\", she said\"",
                "2,10,3,2,1,0,0,0,42,4,1,2,0x000000000000abc2,",
                "3,10,3,2,1,0,0,0,43,2,0,3,0x000000000000abc3,",
            ]
        );
        let mut c = Table::default();
        let body = &written[text.find('\n').unwrap() + 1..];
        assert_eq!(c.read_csv(body, 1).unwrap(), [0, 1, 2, 3]);
        let mut read_back = Vec::new();
        c.write_csv(&header, &mut read_back).unwrap();
        assert_eq!(read_back, written);
        // A seed has one row.
        assert_eq!(
            c.add_fault(2, "other").unwrap_err(),
            "seed 2 has two different rows"
        );
        assert!(
            c.add_json(&a.row_json(2).unwrap()).is_ok(),
            "the same row again"
        );
    }

    #[test]
    fn a_malformed_record_says_what_is_wrong() {
        assert_eq!(split("1,\"open").unwrap_err(), "a quote is left open");
        assert_eq!(split("\"a\"b").unwrap_err(), "\"b\" after a closing quote");
        assert_eq!(split("").unwrap_err(), "a blank line");
        let mut fields = Vec::new();
        assert_eq!(
            split_record(b"\xff", &mut fields).unwrap_err(),
            "not UTF-8 text"
        );
    }
}
