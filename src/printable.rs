//! Text from a file, made safe to print: a control character (an escape, a line break, a NUL)
//! is written as its Rust escape (`\u{1b}`, `\n`, `\u{0}`), so that a name read from a file
//! cannot move the cursor, recolour the terminal or forge a line of output. Self-contained, so
//! that the command line shares it without the library making it public.

use std::borrow::Cow;

/// `text` with each control character written as its escape; `text` itself when it has none,
/// which is nearly always.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert!(matches!(printable("north é ✕"), Cow::Borrowed("north é ✕")));
        assert_eq!(
            printable("a\u{1b}[2Jb\nc\td\0\u{7f}\u{9b}"),
            "a\\u{1b}[2Jb\\nc\\td\\u{0}\\u{7f}\\u{9b}"
        );
    }
}
