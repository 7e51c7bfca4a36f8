//! `--seeds` and `--shard`: which seeds a sweep runs, in which order, and which of them one
//! shard of it runs.

use std::fmt;
use std::str::FromStr;

/// The most seeds one sweep may name: every row is held in memory until the file is sorted
/// (a few hundred bytes each), so a sweep's memory stays bounded. A larger study is several
/// sweeps of distinct seeds.
pub const MAX_SEEDS: u64 = 1_000_000;

const FORMS: &str = "write A..B (B excluded), A..=B, a single seed N, or a comma-separated list \
                     of these such as 0..100,250,300..=310";

/// Seeds in the order they were listed, each at most once: runs of consecutive seeds, from
/// `first` to `last` inclusive. Runs that continue one another are joined, so `0..500,500..1000`
/// and `0..=999` are the same list and are written the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedList {
    runs: Vec<(u64, u64)>,
    len: u64,
}

impl SeedList {
    /// How many seeds it holds (at least 1, at most [`MAX_SEEDS`]).
    pub fn len(&self) -> u64 {
        self.len
    }

    /// The seeds, in their order.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.runs.iter().flat_map(|&(first, last)| first..=last)
    }

    /// A lookup of each seed's position in the list.
    pub fn positions(&self) -> Positions {
        let mut starts = Vec::with_capacity(self.runs.len());
        let mut offset = 0;
        for &(first, last) in &self.runs {
            starts.push((first, last, offset));
            offset += last - first + 1;
        }
        starts.sort_unstable();
        Positions { starts }
    }
}

/// Where each seed of a [`SeedList`] stands in it.
pub struct Positions {
    /// Each run's first and last seed and the position of its first, ordered by seed.
    starts: Vec<(u64, u64, u64)>,
}

impl Positions {
    /// The position of `seed` in the list, if it is in it.
    pub fn of(&self, seed: u64) -> Option<u64> {
        let after = self.starts.partition_point(|&(first, _, _)| first <= seed);
        let &(first, last, offset) = self.starts.get(after.checked_sub(1)?)?;
        (seed <= last).then(|| offset + (seed - first))
    }
}

impl FromStr for SeedList {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut runs: Vec<(u64, u64)> = Vec::new();
        for item in text.split(',') {
            let item = item.trim();
            if item.is_empty() {
                return Err(if text.trim().is_empty() {
                    format!("no seeds; {FORMS}")
                } else {
                    format!(
                        "an empty item in the list (two commas in a row, or one at an end); {FORMS}"
                    )
                });
            }
            let (first, last) = run(item)?;
            match runs.last_mut() {
                Some((_, end)) if end.checked_add(1) == Some(first) => *end = last,
                _ => runs.push((first, last)),
            }
        }
        // Counted wide: 0..=18446744073709551615 holds 2^64 seeds.
        let len: u128 = runs
            .iter()
            .map(|&(first, last)| u128::from(last - first) + 1)
            .sum();
        if len > u128::from(MAX_SEEDS) {
            return Err(format!(
                "{len} seeds, more than the limit of {MAX_SEEDS} for one sweep; split it into \
                 sweeps of distinct seeds"
            ));
        }
        let mut sorted = runs.clone();
        sorted.sort_unstable();
        if let Some(pair) = sorted.windows(2).find(|pair| pair[1].0 <= pair[0].1) {
            return Err(format!(
                "seed {} is listed twice; list each seed once",
                pair[1].0
            ));
        }
        Ok(SeedList {
            runs,
            len: len as u64,
        })
    }
}

/// One item of a list: a seed or a range of them.
fn run(item: &str) -> Result<(u64, u64), String> {
    let Some((start, end)) = item.split_once("..") else {
        let seed = number(item)?;
        return Ok((seed, seed));
    };
    if start.trim().is_empty() || end.trim().is_empty() || end.trim() == "=" {
        return Err(format!(
            "\"{item}\" is open-ended: a range of seeds needs both ends; {FORMS}"
        ));
    }
    let first = number(start)?;
    let last = match end.strip_prefix('=') {
        Some(end) => number(end)?,
        None => {
            let end = number(end)?;
            if end == first {
                return Err(format!(
                    "\"{item}\" selects no seed: the end is excluded (write {first}..={first} \
                     for seed {first} alone)"
                ));
            }
            end.saturating_sub(1)
        }
    };
    if last < first {
        return Err(format!(
            "\"{item}\" selects no seed: the end comes before the start"
        ));
    }
    Ok((first, last))
}

fn number(text: &str) -> Result<u64, String> {
    let text = text.trim();
    text.parse().map_err(|_| {
        format!(
            "\"{text}\" is not a seed (a whole number from 0 to {}); {FORMS}",
            u64::MAX
        )
    })
}

/// Written as it is read back: runs joined by commas, each `N` or `A..=B`.
impl fmt::Display for SeedList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, &(first, last)) in self.runs.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            if first == last {
                write!(f, "{first}")?;
            } else {
                write!(f, "{first}..={last}")?;
            }
        }
        Ok(())
    }
}

/// `--shard I/N`: the seeds whose position in the list is `I` modulo `N`. The `N` shards of a
/// list are disjoint, together hold every seed, and differ in size by one at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The whole list.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Whether this is the whole list.
    pub fn is_all(&self) -> bool {
        self.count == 1
    }

    /// Whether the seed at `position` of the list is in this shard.
    pub fn holds(&self, position: u64) -> bool {
        position % self.count == self.index
    }

    /// This shard's seeds, in the order of the list.
    pub fn seeds(&self, list: &SeedList) -> Vec<u64> {
        (0..)
            .zip(list.iter())
            .filter(|&(position, _)| self.holds(position))
            .map(|(_, seed)| seed)
            .collect()
    }

    /// Fails, saying what to do, if the list has fewer seeds than there are shards (a shard
    /// would be empty).
    pub fn check(&self, list: &SeedList) -> Result<(), String> {
        if self.count > list.len() {
            return Err(format!(
                "--shard {self}: the {} seeds of --seeds {list} cannot make {} shards; use at \
                 most {} shards",
                list.len(),
                self.count,
                list.len()
            ));
        }
        Ok(())
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let form = "write I/N: shard I of N, counted from 0 (0/4, 1/4, 2/4 and 3/4 are the four \
                    shards of a sweep)";
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| format!("\"{text}\" is not a shard; {form}"))?;
        let number = |part: &str| {
            part.trim()
                .parse::<u64>()
                .map_err(|_| format!("\"{part}\" is not a whole number; {form}"))
        };
        let (index, count) = (number(index)?, number(count)?);
        if count == 0 {
            return Err(format!("there cannot be 0 shards; {form}"));
        }
        if count > MAX_SEEDS {
            return Err(format!(
                "more than {MAX_SEEDS} shards, the most seeds a sweep may have"
            ));
        }
        if index >= count {
            return Err(format!(
                "shards are counted from 0, so the last of {count} is {}/{count}",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeds(text: &str) -> Vec<u64> {
        text.parse::<SeedList>().unwrap().iter().collect()
    }

    #[test]
    fn every_form_parses_in_the_order_given() {
        assert_eq!(seeds("0..3"), [0, 1, 2]);
        assert_eq!(seeds("0..=3"), [0, 1, 2, 3]);
        assert_eq!(seeds("7"), [7]);
        assert_eq!(seeds("9, 2..4 ,0"), [9, 2, 3, 0]);
        assert_eq!(
            seeds("18446744073709551614..=18446744073709551615"),
            [u64::MAX - 1, u64::MAX]
        );
    }

    #[test]
    fn the_same_list_is_written_the_same_way() {
        for text in ["0..1000", "0..=999", "0..500,500..1000", "0..=998,999"] {
            assert_eq!(text.parse::<SeedList>().unwrap().to_string(), "0..=999");
        }
        let list: SeedList = "5..8,1,2".parse().unwrap();
        assert_eq!(list.to_string(), "5..=7,1..=2");
        assert_eq!(list.to_string().parse::<SeedList>().unwrap(), list);
    }

    #[test]
    fn bad_lists_say_how_to_write_one() {
        let error = |text: &str| text.parse::<SeedList>().unwrap_err();
        assert_eq!(
            error("7..3"),
            "\"7..3\" selects no seed: the end comes before the start"
        );
        assert!(error("3..3").contains("write 3..=3 for seed 3 alone"));
        assert!(error("3..").starts_with("\"3..\" is open-ended"));
        assert!(error("..3").starts_with("\"..3\" is open-ended"));
        assert!(error("").starts_with("no seeds; write A..B"));
        assert!(error("1,,2").starts_with("an empty item"));
        assert!(error("-1").starts_with("\"-1\" is not a seed"));
        assert_eq!(
            error("0..10,5"),
            "seed 5 is listed twice; list each seed once"
        );
        assert_eq!(
            error("0..=18446744073709551615"),
            "18446744073709551616 seeds, more than the limit of 1000000 for one sweep; split \
             it into sweeps of distinct seeds"
        );
        assert!("0..1000000".parse::<SeedList>().is_ok());
        assert!("0..=1000000".parse::<SeedList>().is_err());
    }

    #[test]
    fn shards_are_disjoint_balanced_and_cover_the_list() {
        let list: SeedList = "10..20,0..3".parse().unwrap();
        let shards: Vec<Vec<u64>> = (0..3)
            .map(|index| Shard { index, count: 3 }.seeds(&list))
            .collect();
        assert_eq!(shards[0], [10, 13, 16, 19, 2]);
        assert_eq!(shards[1], [11, 14, 17, 0]);
        assert_eq!(shards[2], [12, 15, 18, 1]);
        let positions = list.positions();
        for (position, seed) in list.iter().enumerate() {
            assert_eq!(positions.of(seed), Some(position as u64));
        }
        assert_eq!(positions.of(3), None);
        assert_eq!(positions.of(20), None);
        assert_eq!(positions.of(u64::MAX), None);
    }

    #[test]
    fn bad_shards_say_how_to_write_one() {
        let error = |text: &str| text.parse::<Shard>().unwrap_err();
        assert_eq!(
            error("3/3"),
            "shards are counted from 0, so the last of 3 is 2/3"
        );
        assert!(error("1/0").starts_with("there cannot be 0 shards"));
        assert!(error("1").starts_with("\"1\" is not a shard"));
        assert!(error("a/2").starts_with("\"a\" is not a whole number"));
        let list: SeedList = "0..2".parse().unwrap();
        assert_eq!(
            Shard { index: 0, count: 3 }.check(&list).unwrap_err(),
            "--shard 0/3: the 2 seeds of --seeds 0..=1 cannot make 3 shards; use at most 2 \
             shards"
        );
    }
}
