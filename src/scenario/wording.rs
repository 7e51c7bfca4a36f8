//! How scenario messages word a suggestion or a list of names.

use crate::suggest::closest;

/// `" (did you mean `name`?)"` for the closest candidate, or nothing.
pub(crate) fn did_you_mean<'a>(
    found: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    closest(found, candidates)
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}

/// The most names [`all_of`] lists; past it, the rest are counted.
const LISTED: usize = 16;

/// `` `a`, `b` and `c` ``; past [`LISTED`] names, `` `a`, `b`, … and 1,008 more ``, so that a
/// message stays one short line however many names there are.
pub(crate) fn all_of<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut names = names.into_iter();
    let listed: Vec<String> = names
        .by_ref()
        .take(LISTED)
        .map(|name| format!("`{name}`"))
        .collect();
    let more = names.count();
    match listed.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some(_) if more > 0 => {
            let more = super::thousands(more as u64);
            format!("{}, … and {more} more", listed.join(", "))
        }
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_prose_and_long_ones_are_cut() {
        assert_eq!(all_of(["a"]), "`a`");
        assert_eq!(all_of(["a", "b", "c"]), "`a`, `b` and `c`");
        let names: Vec<String> = (0..1_024).map(|n| format!("t{n}")).collect();
        let listed = all_of(names.iter().map(String::as_str));
        assert!(listed.starts_with("`t0`, `t1`, "), "{listed}");
        assert!(listed.ends_with("`t15`, … and 1,008 more"), "{listed}");
    }

    #[test]
    fn a_suggestion_is_offered_only_for_a_close_name() {
        let names = ["Goto", "Patrol", "Wait", "Wander"];
        assert_eq!(did_you_mean("Fly", names), "");
        assert_eq!(did_you_mean("Gotoo", names), "; did you mean `Goto`?");
    }
}
