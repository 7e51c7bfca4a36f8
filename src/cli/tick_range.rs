//! `--ticks A..B`: a range of ticks as the command line writes it.

use std::fmt;
use std::str::FromStr;

/// Ticks from `first` to `last`, both included (`last` is `None` when open-ended).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TickRange {
    pub first: u64,
    pub last: Option<u64>,
}

impl TickRange {
    /// Whether `tick` is in the range.
    pub fn contains(&self, tick: u64) -> bool {
        tick >= self.first && self.last.is_none_or(|last| tick <= last)
    }

    /// Whether every tick after `tick` is past the range.
    pub fn ends_before(&self, tick: u64) -> bool {
        self.last.is_some_and(|last| tick >= last)
    }
}

/// What went wrong with a range, in words that say how to write one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeError(String);

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const FORMS: &str = "write A..B (B excluded), A..=B, A.., ..B, ..=B or a single tick N";

impl FromStr for TickRange {
    type Err = RangeError;

    fn from_str(text: &str) -> Result<Self, RangeError> {
        let bad = |why: &str| RangeError(format!("bad tick range \"{text}\": {why}"));
        let number = |part: &str| {
            part.trim()
                .parse::<u64>()
                .map_err(|_| bad(&format!("\"{part}\" is not a tick number; {FORMS}")))
        };
        let Some((start, end)) = text.split_once("..") else {
            let tick = number(text)?;
            return Ok(TickRange {
                first: tick,
                last: Some(tick),
            });
        };
        let first = if start.is_empty() { 0 } else { number(start)? };
        let last = match end.strip_prefix('=') {
            Some(end) => Some(number(end)?),
            None if end.is_empty() => None,
            None => {
                let end = number(end)?;
                if end == first {
                    return Err(bad(&format!(
                        "it selects no tick: the end is excluded (write {first}..={first} for \
                         tick {first} alone)"
                    )));
                }
                end.checked_sub(1)
            }
        };
        if last.is_none_or(|last| last < first) && !end.is_empty() {
            return Err(bad("it selects no tick: the end comes before the start"));
        }
        Ok(TickRange { first, last })
    }
}

impl fmt::Display for TickRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.last {
            Some(last) if last == self.first => write!(f, "{last}"),
            Some(last) => write!(f, "{}..={last}", self.first),
            None => write!(f, "{}..", self.first),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(first: u64, last: Option<u64>) -> TickRange {
        TickRange { first, last }
    }

    #[test]
    fn every_form_parses() {
        assert_eq!("3..7".parse(), Ok(range(3, Some(6))));
        assert_eq!("3..=7".parse(), Ok(range(3, Some(7))));
        assert_eq!("3..".parse(), Ok(range(3, None)));
        assert_eq!("..7".parse(), Ok(range(0, Some(6))));
        assert_eq!("..=7".parse(), Ok(range(0, Some(7))));
        assert_eq!("5".parse(), Ok(range(5, Some(5))));
        assert_eq!("..".parse(), Ok(range(0, None)));
    }

    #[test]
    fn bad_ranges_say_how_to_write_one() {
        assert_eq!(
            "7..3".parse::<TickRange>().unwrap_err().to_string(),
            "bad tick range \"7..3\": it selects no tick: the end comes before the start"
        );
        assert_eq!(
            "3..3".parse::<TickRange>().unwrap_err().to_string(),
            "bad tick range \"3..3\": it selects no tick: the end is excluded (write 3..=3 for \
             tick 3 alone)"
        );
        assert_eq!(
            "..0".parse::<TickRange>().unwrap_err().to_string(),
            "bad tick range \"..0\": it selects no tick: the end is excluded (write 0..=0 for \
             tick 0 alone)"
        );
        assert_eq!(
            "a-b".parse::<TickRange>().unwrap_err().to_string(),
            format!("bad tick range \"a-b\": \"a-b\" is not a tick number; {FORMS}")
        );
    }

    #[test]
    fn contains_and_display_agree() {
        let r = range(2, Some(4));
        assert!(!r.contains(1) && r.contains(2) && r.contains(4) && !r.contains(5));
        assert!(r.ends_before(4) && !r.ends_before(3));
        assert_eq!(r.to_string(), "2..=4");
        assert_eq!(range(2, None).to_string(), "2..");
        assert!(!range(2, None).ends_before(u64::MAX));
    }
}
