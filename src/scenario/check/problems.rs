//! The report of an invalid file, bounded whatever the file: problems alike are shown a few
//! times and then counted, and after [`MAX_SHOWN`] lines the rest are only counted.
//!
//! Two problems are alike when they are at the same field of different items: `units[3].team`
//! and `units[9].team`, or `groups[0].behavior.Sequence[7].Goto.target` and the same path
//! through other steps. A file with ten thousand units on a misspelt team then reads as three
//! problems and `and 9,997 more like this`, not ten thousand lines.

use std::collections::HashMap;

use super::Problem;

/// The most problems shown in full; the rest are counted.
pub(crate) const MAX_SHOWN: usize = 100;

/// How many problems alike are shown in full before the rest are counted.
pub(crate) const ALIKE_SHOWN: usize = 3;

/// Problems in the order found, bounded.
#[derive(Default)]
pub(super) struct Problems {
    shown: Vec<Problem>,
    /// By the field with its indices left out: how those alike went. At most [`MAX_SHOWN`]
    /// entries, since each starts with a problem shown.
    alike: HashMap<String, Alike>,
    /// Problems neither shown nor alike to one shown.
    others: u64,
}

/// The problems at one kind of field.
struct Alike {
    shown: usize,
    /// Where in `shown` the last of them is.
    last_shown: usize,
    /// How many more there were, and the fields of the first and last of them.
    more: u64,
    first_more: String,
    last_more: String,
}

impl Problems {
    /// Adds a problem at `field`; `message` is called only if the problem is shown.
    pub fn push(&mut self, field: String, message: impl FnOnce() -> String) {
        let room = self.shown.len() < MAX_SHOWN;
        let kind = kind(&field);
        if let Some(alike) = self.alike.get_mut(&kind) {
            if room && alike.shown < ALIKE_SHOWN {
                alike.shown += 1;
                alike.last_shown = self.shown.len();
                self.shown.push(Problem {
                    field,
                    message: message(),
                });
            } else {
                alike.more += 1;
                if alike.more == 1 {
                    alike.first_more = field;
                } else {
                    alike.last_more = field;
                }
            }
        } else if room {
            let alike = Alike {
                shown: 1,
                last_shown: self.shown.len(),
                more: 0,
                first_more: String::new(),
                last_more: String::new(),
            };
            self.alike.insert(kind, alike);
            self.shown.push(Problem {
                field,
                message: message(),
            });
        } else {
            self.others += 1;
        }
    }

    /// True if no problem was found.
    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// The report: the problems shown, each kind's count of more like it after its last, and
    /// the count of the others at the end.
    pub fn finish(self) -> Vec<Problem> {
        let mut after: Vec<Option<Problem>> = vec![None; self.shown.len()];
        for alike in self.alike.into_values().filter(|alike| alike.more > 0) {
            let field = if alike.more == 1 {
                alike.first_more
            } else {
                format!("{} … {}", alike.first_more, alike.last_more)
            };
            after[alike.last_shown] = Some(Problem {
                field,
                message: format!("and {} more like this", thousands(alike.more)),
            });
        }
        let mut report = Vec::with_capacity(self.shown.len() * 2 + 1);
        for (problem, more) in self.shown.into_iter().zip(after) {
            report.push(problem);
            report.extend(more);
        }
        if self.others > 0 {
            report.push(Problem {
                field: String::new(),
                message: format!(
                    "and {} more problems of other kinds, not shown; fix those above first",
                    thousands(self.others)
                ),
            });
        }
        report
    }
}

/// A field with its indices left out: `units[3].team` is `units[].team`.
fn kind(field: &str) -> String {
    let mut kind = String::with_capacity(field.len());
    let mut in_index = false;
    for c in field.chars() {
        match c {
            '[' => {
                in_index = true;
                kind.push('[');
            }
            ']' => {
                in_index = false;
                kind.push(']');
            }
            c if in_index && c.is_ascii_digit() => {}
            c => kind.push(c),
        }
    }
    kind
}

/// `n` with a comma between each group of three digits: `9,999`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut text = String::with_capacity(digits.len() * 4 / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(fields: impl IntoIterator<Item = String>) -> Vec<String> {
        let mut problems = Problems::default();
        for field in fields {
            problems.push(field, || "wrong".into());
        }
        problems.finish().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn problems_alike_are_counted_after_a_few() {
        let fields = (0..10_000).flat_map(|unit| {
            [
                format!("units[{unit}].team"),
                format!("units[{unit}].behavior.Sequence[{unit}].Goto.target"),
            ]
        });
        assert_eq!(
            report(fields),
            [
                "units[0].team: wrong",
                "units[0].behavior.Sequence[0].Goto.target: wrong",
                "units[1].team: wrong",
                "units[1].behavior.Sequence[1].Goto.target: wrong",
                "units[2].team: wrong",
                "units[3].team … units[9999].team: and 9,997 more like this",
                "units[2].behavior.Sequence[2].Goto.target: wrong",
                "units[3].behavior.Sequence[3].Goto.target … \
                 units[9999].behavior.Sequence[9999].Goto.target: and 9,997 more like this",
            ]
        );
    }

    #[test]
    fn past_the_limit_the_rest_are_counted() {
        // Each field its own kind: `a0`, `a1`, ...
        let report = report((0..1_000).map(|n| format!("a{n}")));
        assert_eq!(report.len(), MAX_SHOWN + 1);
        assert_eq!(
            report[MAX_SHOWN],
            "and 900 more problems of other kinds, not shown; fix those above first"
        );
    }

    #[test]
    fn a_message_not_shown_is_never_made() {
        let mut problems = Problems::default();
        for unit in 0..100 {
            problems.push(format!("units[{unit}].team"), || {
                assert!(unit < ALIKE_SHOWN, "made the message of unit {unit}");
                "wrong".into()
            });
        }
    }

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(9_999_999), "9,999,999");
    }
}
