//! The first line of a sweep's file: which sweep its rows belong to.
//!
//! `# tickweave sweep; version 0.1.0; scenario 0x…; ticks 300; seeds 0..=999; shard 1/3; name
//! "skirmish"`: the program's version, a hash of the scenario file's bytes, the ticks of each
//! run, the seeds and the shard (left out when the sweep is whole). These decide every row, so
//! a file is resumed, or merged with another, only when they agree. The options that decide no
//! row's values (`--jobs`, `--max-seconds`, the outputs) are not in it.

use std::fmt;

use super::seeds::{SeedList, Shard};

/// What the first line of a sweep's file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub version: String,
    /// [`content_hash`] of the scenario file.
    pub scenario: u64,
    pub ticks: u64,
    pub seeds: SeedList,
    pub shard: Shard,
    /// The scenario's name, quoted as a Rust string (for people; the hash decides).
    pub name: String,
}

const START: &str = "# tickweave sweep";

impl Header {
    /// The header of a sweep by this program.
    pub fn new(scenario: u64, name: &str, ticks: u64, seeds: SeedList, shard: Shard) -> Self {
        Header {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            scenario,
            ticks,
            seeds,
            shard,
            name: format!("{name:?}"),
        }
    }

    /// The header of the whole sweep this one is a shard of.
    pub fn whole(&self) -> Header {
        Header {
            shard: Shard::ALL,
            ..self.clone()
        }
    }

    /// Reads a header line (without its line break).
    pub fn parse(line: &str) -> Result<Header, String> {
        let rest = line
            .strip_prefix(START)
            .ok_or("its first line is not the header of a sweep (`# tickweave sweep; …`)")?;
        let (fields, name) = rest
            .split_once("; name ")
            .ok_or("its header names no scenario")?;
        let mut header = Header {
            version: String::new(),
            scenario: 0,
            ticks: 0,
            seeds: "0".parse()?,
            shard: Shard::ALL,
            name: name.to_owned(),
        };
        let mut seen = Vec::new();
        for field in fields.split("; ").skip(1) {
            let (key, value) = field
                .split_once(' ')
                .ok_or_else(|| format!("its header has a field \"{field}\" with no value"))?;
            let bad = |why: String| format!("its header's {key} \"{value}\": {why}");
            match key {
                "version" => header.version = value.to_owned(),
                "scenario" => {
                    header.scenario = value
                        .strip_prefix("0x")
                        .and_then(|hex| u64::from_str_radix(hex, 16).ok())
                        .ok_or_else(|| bad("not a hash (0x and hex digits)".into()))?;
                }
                "ticks" => header.ticks = value.parse().map_err(|_| bad("not a number".into()))?,
                "seeds" => header.seeds = value.parse().map_err(bad)?,
                "shard" => header.shard = value.parse().map_err(bad)?,
                _ => return Err(format!("its header has an unknown field \"{key}\"")),
            }
            seen.push(key);
        }
        for key in ["version", "scenario", "ticks", "seeds"] {
            if !seen.contains(&key) {
                return Err(format!("its header lacks the {key}"));
            }
        }
        header.shard.check(&header.seeds)?;
        Ok(header)
    }

    /// How `other` differs from this one, field by field: `ticks 300 there, 100 here`, with
    /// `there` and `here` naming the two.
    pub fn differences(&self, other: &Header, there: &str, here: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut compare = |what: &str, a: String, b: String| {
            if a != b {
                found.push(format!("{what} {a} {there}, {b} {here}"));
            }
        };
        compare("tickweave", self.version.clone(), other.version.clone());
        compare(
            "scenario",
            format!("{} ({:#018x})", self.name, self.scenario),
            format!("{} ({:#018x})", other.name, other.scenario),
        );
        compare("ticks", self.ticks.to_string(), other.ticks.to_string());
        compare("seeds", self.seeds.to_string(), other.seeds.to_string());
        compare("shard", self.shard.to_string(), other.shard.to_string());
        found
    }
}

impl fmt::Display for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{START}; version {}; scenario {:#018x}; ticks {}; seeds {}",
            self.version, self.scenario, self.ticks, self.seeds
        )?;
        if !self.shard.is_all() {
            write!(f, "; shard {}", self.shard)?;
        }
        write!(f, "; name {}", self.name)
    }
}

/// A 64-bit FNV-1a hash of a scenario file's bytes: a file changed in any way has another.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(shard: Shard) -> Header {
        Header::new(
            content_hash(b"Scenario()"),
            "a; name \"b\"",
            300,
            "0..1000".parse().unwrap(),
            shard,
        )
    }

    #[test]
    fn a_header_reads_back_as_written() {
        for shard in [Shard::ALL, Shard { index: 2, count: 3 }] {
            let header = header(shard);
            let line = header.to_string();
            assert_eq!(Header::parse(&line), Ok(header.clone()), "{line}");
        }
        assert_eq!(
            header(Shard { index: 1, count: 3 }).to_string(),
            format!(
                "# tickweave sweep; version {}; scenario 0x{:016x}; ticks 300; seeds 0..=999; \
                 shard 1/3; name \"a; name \\\"b\\\"\"",
                env!("CARGO_PKG_VERSION"),
                content_hash(b"Scenario()")
            )
        );
    }

    #[test]
    fn differences_are_named_field_by_field() {
        let a = header(Shard::ALL);
        let mut b = a.clone();
        b.ticks = 100;
        b.shard = Shard { index: 0, count: 2 };
        assert_eq!(
            a.differences(&b, "in a.csv", "asked"),
            [
                "ticks 300 in a.csv, 100 asked",
                "shard 0/1 in a.csv, 0/2 asked"
            ]
        );
        assert!(a.differences(&b.whole(), "", "").len() == 1);
    }

    #[test]
    fn malformed_headers_are_refused() {
        assert!(Header::parse("seed,ticks").is_err());
        assert!(Header::parse("# tickweave sweep; version 1; name \"x\"").is_err());
        assert!(
            Header::parse(
                "# tickweave sweep; version 1; scenario 0x1; ticks 3; seeds 0..2; shard 2/2; \
                 name \"x\""
            )
            .is_err()
        );
    }
}
