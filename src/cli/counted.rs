//! A count with its noun, singular for one: `1 seed`, `0 seeds`, `2 seeds`.

/// `count` and `noun`, plural unless `count` is 1 (`noun` is singular; the plural adds `s`).
pub fn counted(count: u64, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        count => format!("{count} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "seed"), "1 seed");
        assert_eq!(counted(0, "seed"), "0 seeds");
        assert_eq!(counted(2, "file"), "2 files");
    }
}
