//! Reading and writing the RON text of a scenario, with syntax errors a designer can act on.

use ron::error::{Error as RonError, SpannedError};

use super::limits::{MAX_BRACKETS, MAX_DEPTH};
use super::{ScenarioError, ScenarioFile};
use crate::scenario::wording::{all_of, did_you_mean};

/// The RON dialect of scenario files: `Some(..)` may be left out around optional values, and
/// brackets nest at most [`MAX_BRACKETS`] deep.
pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_BRACKETS)
}

impl ScenarioFile {
    /// Reads RON text into the schema, without checking what it means (see
    /// [`Scenario::check`](super::Scenario::check)); `origin` names the text in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ScenarioError> {
        // A byte-order mark, which some editors write at the start of UTF-8 text, is not part
        // of the scenario.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(ScenarioError::Empty {
                origin: origin.to_owned(),
            });
        }
        ron_options()
            .from_str(text)
            .map_err(|error| syntax_error(&error, text, origin))
    }

    /// Bytes of a file into the schema: like [`parse`](Self::parse), after checking that they
    /// are UTF-8 text.
    pub fn parse_bytes(bytes: &[u8], origin: &str) -> Result<Self, ScenarioError> {
        let text = std::str::from_utf8(bytes).map_err(|error| {
            let valid = &bytes[..error.valid_up_to()];
            // The prefix is valid UTF-8 by definition of `valid_up_to`.
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line_start = valid.rfind('\n').map_or(0, |at| at + 1);
            ScenarioError::NotUtf8 {
                origin: origin.to_owned(),
                line: valid.matches('\n').count() + 1,
                column: valid[line_start..].chars().count() + 1,
                text: valid[line_start..].to_owned(),
            }
        })?;
        Self::parse(text, origin)
    }

    /// The scenario as RON text, in the dialect [`parse`](Self::parse) reads: parsing it gives
    /// back an equal `ScenarioFile`.
    pub fn to_ron(&self) -> String {
        let pretty = ron::ser::PrettyConfig::default().struct_names(true);
        ron_options()
            .without_recursion_limit()
            .to_string_pretty(self, pretty)
            .unwrap_or_else(|error| unreachable!("a scenario always serializes: {error}"))
    }
}

/// A ron error as a located message with the offending line.
fn syntax_error(error: &SpannedError, text: &str, origin: &str) -> ScenarioError {
    let line = error.span.start.line.max(1);
    let line_text = text.lines().nth(line - 1).unwrap_or_default();
    let mut column = error.span.start.col.max(1);
    // Point at the start of a misspelt name rather than just after it.
    if let RonError::NoSuchEnumVariant { found, .. } | RonError::NoSuchStructField { found, .. } =
        &error.code
    {
        let before: String = line_text.chars().take(column - 1).collect();
        if before.ends_with(found.as_str()) {
            column -= found.chars().count();
        }
    }
    let rest = text
        .lines()
        .skip(line - 1)
        .enumerate()
        .map(|(index, rest)| {
            if index == 0 {
                rest.chars().skip(column - 1).collect()
            } else {
                rest.to_owned()
            }
        })
        .collect::<Vec<String>>()
        .join("\n");
    let chars: Vec<char> = line_text.chars().collect();
    let fraction = column >= 2
        && chars.get(column - 1) == Some(&'.')
        && chars.get(column - 2).is_some_and(char::is_ascii_digit);
    let quoted = chars.get(column - 1) == Some(&'"');
    let message = if only_comments(text) {
        "the file holds only comments; a scenario looks like `Scenario(units: [...])`".into()
    } else if rest.trim().is_empty() {
        explain(&RonError::Eof)
    } else if quoted
        && matches!(
            error.code,
            RonError::ExpectedString | RonError::ExpectedStringEnd
        )
    {
        // The text is in quotes; what is missing is the quote that ends it.
        "this text is not closed: its closing `\"` is missing".into()
    } else if fraction && error.code == RonError::ExpectedComma {
        "expected a whole number: numbers in a scenario have no fractions".into()
    } else {
        explain(&error.code)
    };
    ScenarioError::Syntax {
        origin: origin.to_owned(),
        line,
        column,
        message,
        text: line_text.to_owned(),
    }
}

/// What ron's error means for someone writing a scenario.
fn explain(error: &RonError) -> String {
    match error {
        RonError::Eof => {
            "the file ends too early: a bracket `(` or `[` is not closed, or a value is missing"
                .into()
        }
        RonError::ExpectedComma => {
            "expected `,` between two fields or items (or a closing bracket)".into()
        }
        RonError::ExpectedStructLikeEnd | RonError::ExpectedOptionEnd => "expected `)`".into(),
        RonError::ExpectedArrayEnd => "expected `]` (or `,` and another item)".into(),
        RonError::ExpectedArray => "expected a list `[...]`".into(),
        RonError::ExpectedStructLike => "expected `(`".into(),
        RonError::ExpectedNamedStructLike(name) => format!("expected `{name}(...)`"),
        RonError::ExpectedMapColon => "expected `:` between a name and its value".into(),
        RonError::ExpectedInteger => "expected a whole number".into(),
        RonError::ExpectedString | RonError::ExpectedStringEnd => {
            "expected text in double quotes, like \"north\"".into()
        }
        RonError::ExpectedIdentifier => "expected a name, like `units` or `Patrol`".into(),
        RonError::InvalidIntegerDigit { .. } => {
            "expected a whole number written in digits: no exponent (`1e3`) or fraction".into()
        }
        RonError::IntegerOutOfBounds => {
            "this number does not fit the field: it is negative where counts start at 0, or too \
             large (see the limits in docs/scenario-format.md)"
                .into()
        }
        RonError::TrailingCharacters => {
            "unexpected text after the end of the scenario: a scenario is one `Scenario(...)`"
                .into()
        }
        RonError::ExceededRecursionLimit => format!(
            "brackets nest more than {MAX_BRACKETS} deep here; behaviours may nest at most \
             {MAX_DEPTH} deep: flatten it, e.g. with one `Sequence([...])` for many steps"
        ),
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let what = match outer.as_deref() {
                Some("Behavior") => "behaviour".to_owned(),
                Some(outer) => format!("`{outer}` variant"),
                None => "variant".to_owned(),
            };
            let mut message = format!(
                "unknown {what} `{found}`{} (known: {})",
                did_you_mean(found, expected.iter().copied()),
                all_of(expected.iter().copied())
            );
            if outer.as_deref() == Some("Behavior") {
                message.push_str("; a game's own behaviours are written `Named(\"name\", (...))`");
            }
            message
        }
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "unknown field `{found}`{}{} (known: {})",
            in_outer(outer.as_deref()),
            did_you_mean(found, expected.iter().copied()),
            all_of(expected.iter().copied())
        ),
        RonError::MissingStructField { field, outer } => {
            format!("missing the field `{field}`{}", in_outer(outer.as_deref()))
        }
        RonError::DuplicateStructField { field, outer } => {
            format!(
                "the field `{field}` is given twice{}",
                in_outer(outer.as_deref())
            )
        }
        RonError::InvalidValueForType { expected, found } => {
            format!("expected {}, found {found}", plain_type(expected))
        }
        RonError::ExpectedDifferentLength { expected, found } => {
            format!("expected {}, found {found} items", plain_type(expected))
        }
        RonError::ExpectedDifferentStructName { expected, found } => {
            format!("expected `{expected}(...)` here, found `{found}(...)`")
        }
        RonError::Message(message) => message.clone(),
        other => other.to_string(),
    }
}

/// Whether `text` holds nothing but white space and comments (`// ...`, `/* ... */`).
fn only_comments(text: &str) -> bool {
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if let Some(comment) = rest.strip_prefix("//") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return false;
        }
        rest = rest.trim_start();
    }
    true
}

fn in_outer(outer: Option<&str>) -> String {
    match outer {
        Some(outer) if !outer.is_empty() => format!(" in `{outer}`"),
        _ => String::new(),
    }
}

/// serde's names of primitive types, as a designer would say them.
fn plain_type(expected: &str) -> String {
    match expected {
        "u64" | "u32" | "usize" | "u16" | "u8" => "a whole number from 0".into(),
        "i64" | "i32" | "isize" | "i16" | "i8" => "a whole number".into(),
        "a string" | "string" => "text in double quotes".into(),
        "a boolean" | "bool" => "`true` or `false`".into(),
        other => other.into(),
    }
}
