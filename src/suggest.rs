//! "Did you mean ...?": the known name closest to a misspelt one, for every message that
//! names something unknown (scenario files, the command line).

/// The candidate closest to `found` by edit distance (ignoring case), if it is close enough to
/// be a likely misspelling: at most a third of the longer name's characters differ (at least
/// one may). Ties go to the earliest candidate.
pub fn closest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let found_lower = found.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    let found_length = found.chars().count();
    for candidate in candidates {
        let length = candidate.chars().count();
        let allowed = (found_length.max(length) / 3).max(1);
        // Lengths further apart than the edits allowed cannot be close: skip the distance,
        // which matters when the candidates are every unit of a large file.
        if found_length.abs_diff(length) > allowed {
            continue;
        }
        let distance = edit_distance(&found_lower, &candidate.to_lowercase());
        if distance > allowed {
            continue;
        }
        if best.is_none_or(|(shortest, _)| distance < shortest) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

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
            let more = crate::scenario::thousands(more as u64);
            format!("{}, … and {more} more", listed.join(", "))
        }
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Edit distance between two strings, counted in characters: insertions, deletions,
/// substitutions and swaps of two neighbours each count 1 (optimal string alignment).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // Three rows of the distance table: two back, one back, current.
    let mut rows = vec![0; 3 * width];
    for (j, cell) in rows[width..2 * width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (older, rest) = rows.split_at_mut(width);
        let (previous, current) = rest.split_at_mut(width);
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(older[j - 2] + 1);
            }
            current[j] = best;
        }
        rows.copy_within(width.., 0);
    }
    rows[width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_of_names_is_cut() {
        assert_eq!(all_of(["a"]), "`a`");
        assert_eq!(all_of(["a", "b", "c"]), "`a`, `b` and `c`");
        let names: Vec<String> = (0..1_024).map(|n| format!("t{n}")).collect();
        let listed = all_of(names.iter().map(String::as_str));
        assert!(listed.starts_with("`t0`, `t1`, "), "{listed}");
        assert!(listed.ends_with("`t15`, … and 1,008 more"), "{listed}");
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("speed", "seed"), 1);
        assert_eq!(edit_distance("patrol", "Patrol"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("Wiat", "Wait"), 1);
    }

    #[test]
    fn only_close_names_are_suggested() {
        let names = ["Goto", "Patrol", "Wait", "Wander"];
        assert_eq!(closest("Patorl", names), Some("Patrol"));
        assert_eq!(closest("goto", names), Some("Goto"));
        assert_eq!(closest("Wiat", names), Some("Wait"));
        assert_eq!(closest("Fly", names), None);
        assert_eq!(did_you_mean("Fly", names), "");
        assert_eq!(did_you_mean("Gotoo", names), "; did you mean `Goto`?");
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(all_of(["a"]), "`a`");
        assert_eq!(all_of(["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
