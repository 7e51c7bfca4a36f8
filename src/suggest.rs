//! "Did you mean ...?": the known name closest to a misspelt one, for every message that
//! names something unknown. Self-contained, so that the command line shares it without the
//! library making it public.

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
        // Optimal string alignment: insertions, deletions, substitutions and swaps of two
        // neighbours each count 1.
        let distance = strsim::osa_distance(&found_lower, &candidate.to_lowercase());
        if distance > allowed {
            continue;
        }
        if best.is_none_or(|(shortest, _)| distance < shortest) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_close_names_are_suggested() {
        let names = ["Goto", "Patrol", "Wait", "Wander"];
        assert_eq!(closest("Patorl", names), Some("Patrol"));
        assert_eq!(closest("goto", names), Some("Goto"));
        assert_eq!(closest("Wiat", names), Some("Wait"));
        assert_eq!(closest("speed", ["seed"]), Some("seed"));
        assert_eq!(closest("Fly", names), None);
        assert_eq!(closest("kitten", ["sitting"]), None);
    }
}
