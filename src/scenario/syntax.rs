//! Reading and writing the RON text of a scenario, with syntax errors a designer can act on.

use ron::error::{Error as RonError, SpannedError};

use super::limits::{MAX_BRACKETS, MAX_DEPTH};
use super::{ScenarioError, ScenarioFile};
use crate::scenario::wording::{all_of, did_you_mean};

/// The RON dialect of scenario files: `Some(..)` may be left out around optional values.
///
/// Brackets nest at most [`MAX_BRACKETS`] deep: [`too_deep`] finds the first that goes deeper
/// before the text is read. ron's own limit counts something else, the levels of its reader,
/// several to a bracket (a `Sequence([...])` in a list takes four: the behaviour, its
/// parentheses, the list and the item), so it would refuse 32 nested sequences well within 128
/// brackets. It stays as a bound on the reader's stack should the count of brackets ever miss
/// one, at [`READER_LEVELS`] a bracket: more than any part of the schema takes.
pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_BRACKETS * READER_LEVELS)
}

/// The most levels of ron's reader one bracket of a scenario takes, with room to spare: a
/// `Timeout`'s `otherwise` takes four (the behaviour, its field, the implicit `Some`, the
/// behaviour inside), nothing else more than three.
const READER_LEVELS: usize = 6;

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
        on_reader_stack(&|| {
            if let Some(at) = too_deep(text) {
                return Err(nested_too_deep(text, at, origin));
            }
            ron_options()
                .from_str(text)
                .map_err(|error| syntax_error(&error, text, origin))
        })
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

/// The stack the reader runs on. It recurses a few levels a bracket: 128 brackets of the
/// deepest kind (`Timeout`s nested through `otherwise`, or `Named` behaviours through their
/// parameters) take about 1.5 MiB in a debug build, more than a Windows main thread has (1 MiB)
/// and close to what a spawned thread has (2 MiB).
const READER_STACK: usize = 8 * 1024 * 1024;

/// Runs `read` on a thread of its own with [`READER_STACK`], so that the bound on what a
/// hostile file can take does not depend on the caller's stack; on the caller's own thread
/// where no thread can be made (some WebAssembly targets).
fn on_reader_stack<T: Send>(read: &(impl Fn() -> T + Sync)) -> T {
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("scenario reader".into())
            .stack_size(READER_STACK)
            .spawn_scoped(scope, read);
        match reader {
            Ok(reader) => reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => read(),
        }
    })
}

/// The first problem of a text whose brackets nest deeper than [`MAX_BRACKETS`] at byte `at`:
/// a syntax error before that bracket, if the text has one, else the nesting, there.
fn nested_too_deep(text: &str, at: usize, origin: &str) -> ScenarioError {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    // Read up to the bracket only (which stays within the limit): an error the reader finds
    // before the end of that part is one the whole text has too.
    let bracket = ron::error::Position { line, col: column };
    if let Err(error) = ron_options().from_str::<ScenarioFile>(before)
        && error.span.end < bracket
    {
        return syntax_error(&error, text, origin);
    }
    ScenarioError::Syntax {
        origin: origin.to_owned(),
        line,
        column,
        message: explain(&RonError::ExceededRecursionLimit),
        text: text[line_start..]
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// The byte offset of the first bracket (`(`, `[` or `{`) that nests deeper than
/// [`MAX_BRACKETS`], if any. Text in quotes, characters and comments are skipped as ron skips
/// them, so a bracket inside them does not count; a text ron cannot read (a quote never
/// closed) is left for ron to say so.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0_usize;
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        at += match rest {
            [b'(' | b'[' | b'{', ..] => {
                depth += 1;
                if depth > MAX_BRACKETS {
                    return Some(at);
                }
                1
            }
            [b')' | b']' | b'}', ..] => {
                depth = depth.saturating_sub(1);
                1
            }
            [b'"', ..] => 1 + quoted_length(&rest[1..], b'"')?,
            // `'''` is the character `'`, as ron reads it.
            [b'\'', b'\'', b'\'', ..] => 3,
            [b'\'', ..] => 1 + quoted_length(&rest[1..], b'\'')?,
            [b'/', b'/', ..] => rest.iter().position(|&byte| byte == b'\n')?,
            [b'/', b'*', ..] => block_comment_length(rest)?,
            [b'r', ..] if starts_token(bytes, at) => raw_string_length(rest).unwrap_or(1),
            [b'b', b'r', ..] if starts_token(bytes, at) => {
                raw_string_length(&rest[1..]).map_or(1, |length| 1 + length)
            }
            _ => 1,
        };
    }
    None
}

/// Whether the byte at `at` starts a word: the byte before it is none of a name's.
fn starts_token(bytes: &[u8], at: usize) -> bool {
    at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_')
}

/// The length of quoted text after its opening quote, up to and with the closing `quote`; a
/// backslash escapes the byte after it. `None` if it is never closed.
fn quoted_length(rest: &[u8], quote: u8) -> Option<usize> {
    let mut at = 0;
    while at < rest.len() {
        match rest[at] {
            b'\\' => at += 2,
            byte if byte == quote => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// The length of a raw string `r#"..."#` (any number of `#`, none included) at the start of
/// `rest`, or `None` if none starts there. One never closed runs to the end of the text (where
/// ron will say it is not closed), so that the rest is not looked at again for each one.
fn raw_string_length(rest: &[u8]) -> Option<usize> {
    let hashes = rest[1..].iter().take_while(|&&byte| byte == b'#').count();
    let opening = 1 + hashes;
    if rest.get(opening) != Some(&b'"') {
        return None;
    }
    let body = &rest[opening + 1..];
    let closing: Vec<u8> = std::iter::once(b'"')
        .chain(std::iter::repeat_n(b'#', hashes))
        .collect();
    let end = body
        .windows(closing.len())
        .position(|window| window == closing);
    Some(end.map_or(rest.len(), |end| opening + 1 + end + closing.len()))
}

/// The length of a block comment `/* ... */` at the start of `rest`, comments nested in it
/// included, or `None` if it is never closed.
fn block_comment_length(rest: &[u8]) -> Option<usize> {
    let mut level = 0_usize;
    let mut at = 0;
    while at + 1 < rest.len() {
        match &rest[at..at + 2] {
            b"/*" => {
                level += 1;
                at += 2;
            }
            b"*/" => {
                level -= 1;
                at += 2;
                if level == 0 {
                    return Some(at);
                }
            }
            _ => at += 1,
        }
    }
    None
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
        // A value where a field's name goes: `Wait(1)` for `Wait(ticks: 1)`.
        RonError::SuggestRawIdentifier(_) => {
            "expected a field's name, like `ticks` in `Wait(ticks: 1)`: fields are written \
             `name: value` (docs/scenario-format.md lists each behaviour's)"
                .into()
        }
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
