//! "Did you mean …?": the known name closest to a mistyped one.

/// The name in `known` closest to `wanted` by edit distance, if one is close enough to be a
/// likely typo (at most a third of the longer name's characters differ).
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|name| (edit_distance(wanted, name), name))
        .filter(|&(distance, name)| {
            let longer = wanted.chars().count().max(name.chars().count());
            distance * 3 <= longer.max(3)
        })
        .min()
        .map(|(_, name)| name)
}

/// Levenshtein distance over characters, case-insensitive.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("north", "north"), 0);
        assert_eq!(edit_distance("nort", "north"), 1);
        assert_eq!(edit_distance("scuot1", "scout1"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("Scout1", "scout1"), 0);
    }

    #[test]
    fn the_closest_likely_typo_is_suggested() {
        let names = ["north", "east", "scout1", "scout2"];
        assert_eq!(closest("nrth", names), Some("north"));
        assert_eq!(closest("scout3", names), Some("scout1"));
        assert_eq!(closest("dragon", names), None);
    }
}
