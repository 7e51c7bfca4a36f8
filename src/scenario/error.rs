//! What can be wrong with a scenario, said so that a designer can fix it.

use std::fmt;
use std::path::PathBuf;

use super::limits::MAX_FILE_BYTES;
use crate::printable::printable;

/// Why a scenario could not be loaded.
///
/// Displayed, a syntax error reads `FILE:LINE:COL: what was expected`, then the line with a
/// caret under the column; an invalid scenario reads `FILE: path.to.field: what is wrong`, one
/// line per problem.
#[derive(Debug)]
pub enum ScenarioError {
    /// The file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge {
        /// The file.
        origin: String,
    },
    /// The file is not UTF-8 text.
    NotUtf8 {
        /// The file.
        origin: String,
        /// Line of the first invalid byte (1-based).
        line: usize,
        /// Column of the first invalid byte (1-based, counted in characters).
        column: usize,
        /// The line up to the invalid byte.
        text: String,
    },
    /// The file holds nothing but white space.
    Empty {
        /// The file.
        origin: String,
    },
    /// The text is not a scenario in RON.
    Syntax {
        /// The file.
        origin: String,
        /// Line (1-based).
        line: usize,
        /// Column (1-based, counted in characters).
        column: usize,
        /// What was expected there.
        message: String,
        /// The text of the line, shown with a caret under the column.
        text: String,
    },
    /// The scenario parses but does not make sense: every problem found.
    Invalid {
        /// The file.
        origin: String,
        /// At least one.
        problems: Vec<Problem>,
    },
}

/// One semantic problem, located by the path to its field (e.g. `units[1].behavior`).
///
/// A report stays short whatever the file: after a few problems at the same field of different
/// items comes one saying how many more there are and where (`units[3].team … units[9999].team:
/// and 9,997 more like this`), and after 100 lines one with an empty field counts the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Path to the offending field.
    pub field: String,
    /// What is wrong and what would be right.
    pub message: String,
}

impl fmt::Display for Problem {
    /// `field: message`, or the message alone for a line about the report itself (how many
    /// more problems there are).
    ///
    /// Both may quote the file (a misspelt team, a name given twice), so a control character
    /// from it is shown escaped (`\u{1b}`), never sent to the terminal as it is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = printable(&self.message);
        if self.field.is_empty() {
            f.write_str(&message)
        } else {
            write!(f, "{}: {message}", printable(&self.field))
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Read { path, source } => {
                write!(f, "{}: cannot read the scenario: {source}", path.display())
            }
            ScenarioError::TooLarge { origin } => write!(
                f,
                "{origin}: the file is larger than {} bytes (16 MiB), the limit for a scenario; \
                 generate many units with a group (`groups: [...]`) rather than listing them",
                crate::scenario::thousands(MAX_FILE_BYTES)
            ),
            ScenarioError::NotUtf8 {
                origin,
                line,
                column,
                text,
            } => {
                write!(
                    f,
                    "{origin}:{line}:{column}: the file is not UTF-8 text; save it as UTF-8"
                )?;
                write_excerpt(f, *line, *column, text)
            }
            ScenarioError::Empty { origin } => write!(
                f,
                "{origin}:1:1: the file is empty; a scenario looks like `Scenario(units: [...])`"
            ),
            ScenarioError::Syntax {
                origin,
                line,
                column,
                message,
                text,
            } => {
                // What ron says may quote the file; the line is shown by `write_excerpt`.
                write!(f, "{origin}:{line}:{column}: {}", printable(message))?;
                write_excerpt(f, *line, *column, text)
            }
            ScenarioError::Invalid { origin, problems } => {
                for (index, problem) in problems.iter().enumerate() {
                    if index > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{origin}: {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ScenarioError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ScenarioError::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The widest excerpt of a line shown, in characters.
const EXCERPT: usize = 100;

/// Writes, on two new lines, the line `text` (or the part of it around `column`, if long) and
/// a caret under `column`:
///
/// ```text
///     4 |         Unit(name: "u0", position: (0, 0) behavior: Goto(target: (1, 0))),
///       |                                           ^
/// ```
fn write_excerpt(
    f: &mut fmt::Formatter<'_>,
    line: usize,
    column: usize,
    text: &str,
) -> fmt::Result {
    // A tab would shift the caret: show it as one space. Other control characters (a NUL
    // byte) are shown by their visible symbol (`␀`), one character wide too.
    let chars: Vec<char> = text.chars().map(visible).collect();
    let at = column.saturating_sub(1).min(chars.len());
    let start = at
        .saturating_sub(EXCERPT * 3 / 5)
        .min(chars.len().saturating_sub(EXCERPT));
    let end = (start + EXCERPT).min(chars.len());
    let mut shown: String = chars[start..end].iter().collect();
    let mut caret = at - start;
    if start > 0 {
        shown.insert_str(0, "...");
        caret += 3;
    }
    if end < chars.len() {
        shown.push_str("...");
    }
    let number = line.to_string();
    write!(
        f,
        "\n {number} | {}\n {:width$} | {:caret$}^",
        shown.trim_end(),
        "",
        "",
        width = number.len(),
    )
}

/// `c` as it is shown in an excerpt: one visible character.
fn visible(c: char) -> char {
    match c {
        '\t' => ' ',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or(' '),
        '\u{7f}' => '\u{2421}',
        c if c.is_control() => ' ',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(column: usize, text: &str) -> String {
        ScenarioError::Syntax {
            origin: "f.ron".into(),
            line: 12,
            column,
            message: "expected `,`".into(),
            text: text.into(),
        }
        .to_string()
    }

    #[test]
    fn a_caret_points_at_the_column() {
        assert_eq!(
            syntax(5, "\tab cd"),
            "f.ron:12:5: expected `,`\n 12 |  ab cd\n    |     ^"
        );
    }

    #[test]
    fn a_nul_byte_is_shown_as_one() {
        assert_eq!(
            syntax(3, "a\0b"),
            "f.ron:12:3: expected `,`\n 12 | a\u{2400}b\n    |   ^"
        );
    }

    #[test]
    fn a_column_past_the_end_points_just_after_it() {
        assert_eq!(
            syntax(9, "ab"),
            "f.ron:12:9: expected `,`\n 12 | ab\n    |   ^"
        );
        assert_eq!(syntax(0, ""), "f.ron:12:0: expected `,`\n 12 | \n    | ^");
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let text: String = ('a'..='z').cycle().take(400).collect();
        let shown = syntax(200, &text);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[1].len(), " 12 | ".len() + 3 + EXCERPT + 3);
        let caret = lines[2].find('^').unwrap();
        assert_eq!(lines[1].chars().nth(caret), text.chars().nth(199));
    }
}
