//! The statistics of a sweep: for each numeric column, its mean, minimum, median, 95th
//! percentile and maximum over the seeds that ran, and the seeds where the extremes are.

use std::io::{self, Write};

use super::rows::{Column, Table};
use crate::cli::counted::counted;

/// Faults listed by seed before the rest are counted.
const FAULTS_SHOWN: usize = 5;

/// One column's statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    pub mean: f64,
    pub min: u64,
    pub median: u64,
    pub p95: u64,
    pub max: u64,
    /// The lowest seed with the minimum, and with the maximum.
    pub min_seed: u64,
    pub max_seed: u64,
}

impl Stats {
    /// The statistics of `values`, given as (seed, value) in seed order; `None` if empty.
    /// Percentiles are by nearest rank (the median of an even count is the lower middle), so
    /// each is a value some seed had.
    pub fn of(values: impl Iterator<Item = (u64, u64)>) -> Option<Stats> {
        let mut sorted = Vec::new();
        let (mut sum, mut min, mut max) = (0u128, (u64::MAX, 0), (0, 0));
        for (seed, value) in values {
            if sorted.is_empty() || value < min.0 {
                min = (value, seed);
            }
            if sorted.is_empty() || value > max.0 {
                max = (value, seed);
            }
            sum += u128::from(value);
            sorted.push(value);
        }
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_unstable();
        let n = sorted.len();
        let rank = |percent: usize| sorted[(percent * n).div_ceil(100).max(1) - 1];
        Some(Stats {
            mean: sum as f64 / n as f64,
            min: min.0,
            median: rank(50),
            p95: rank(95),
            max: max.0,
            min_seed: min.1,
            max_seed: max.1,
        })
    }
}

/// Writes the statistics of `table`: its faults, the columns every seed that ran agrees on in
/// one line, then a line for each other column.
pub fn print(out: &mut impl Write, table: &Table) -> io::Result<()> {
    let faults: Vec<(u64, &str)> = table.faults().collect();
    if faults.is_empty() {
        writeln!(out, "faults     none")?;
    } else {
        let shown: Vec<String> = faults
            .iter()
            .take(FAULTS_SHOWN)
            .map(|(seed, fault)| format!("seed {seed} {fault}"))
            .collect();
        let more = match faults.len().saturating_sub(FAULTS_SHOWN) {
            0 => String::new(),
            more => format!("; and {more} more (see the `fault` column)"),
        };
        writeln!(
            out,
            "faults     {} of {}: {}{more}",
            faults.len(),
            counted(table.len() as u64, "seed"),
            shown.join("; ")
        )?;
    }
    let columns: Vec<(Column, &str, Stats)> = table
        .numeric_columns()
        .into_iter()
        .filter_map(|(column, name)| Some((column, name, Stats::of(table.values(column))?)))
        .collect();
    if columns.is_empty() {
        return Ok(());
    }
    let (same, varied): (Vec<_>, Vec<_>) = columns
        .iter()
        .partition(|(_, _, stats)| stats.min == stats.max);
    if !same.is_empty() {
        let same: Vec<String> = same
            .iter()
            .map(|(_, name, stats)| format!("{name} {}", stats.min))
            .collect();
        writeln!(out, "same       {}", same.join(", "))?;
    }
    if varied.is_empty() {
        return Ok(());
    }
    let width = varied
        .iter()
        .map(|(_, name, _)| name.chars().count())
        .max()
        .unwrap_or(0)
        .max("column".len());
    writeln!(
        out,
        "{:width$}  {:>10}  {:>8}  {:>8}  {:>8}  {:>8}  {:>10}  {:>10}",
        "column", "mean", "min", "median", "p95", "max", "min seed", "max seed"
    )?;
    for (_, name, stats) in varied {
        writeln!(
            out,
            "{name:width$}  {:>10.2}  {:>8}  {:>8}  {:>8}  {:>8}  {:>10}  {:>10}",
            stats.mean,
            stats.min,
            stats.median,
            stats.p95,
            stats.max,
            stats.min_seed,
            stats.max_seed
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_values_some_seed_had() {
        // Seeds 10..30 with values 20 down to 1: seed 29 has the minimum, seed 10 the maximum.
        let values = (10..30).map(|seed| (seed, 30 - seed));
        let stats = Stats::of(values).unwrap();
        assert_eq!(
            stats,
            Stats {
                mean: 10.5,
                min: 1,
                median: 10,
                p95: 19,
                max: 20,
                min_seed: 29,
                max_seed: 10,
            }
        );
        let one = Stats::of([(4, 7)].into_iter()).unwrap();
        assert_eq!((one.min, one.median, one.p95, one.max), (7, 7, 7, 7));
        assert_eq!(Stats::of(std::iter::empty()), None);
    }

    #[test]
    fn ties_go_to_the_lowest_seed() {
        let stats = Stats::of([(1, 5), (2, 3), (3, 5), (4, 3)].into_iter()).unwrap();
        assert_eq!((stats.min_seed, stats.max_seed), (2, 1));
    }
}
