//! Names: of units, of groups and of the units each group makes, and of teams; all indexed
//! once, so that checking a name or looking one up costs the same however many there are.
//!
//! A group called `p` with 20 units makes `p0` to `p19`. Its names meet another group's only
//! if one group's name starts with the other's and the rest is a number (`p1` makes `p10`, which
//! `p` makes too), so each name is compared only with the few names it starts with, through a
//! map, and with the names that start with it, through another.

use std::collections::HashMap;

use super::Checker;
use crate::components::Team;
use crate::scenario::ScenarioFile;
use crate::scenario::limits::{MAX_LIST, MAX_NAME, MAX_UNITS};
use crate::scenario::wording::{all_of, did_you_mean};

/// Every name the file gives, indexed.
pub(super) struct Names<'a> {
    file: &'a ScenarioFile,
    /// The index of the first team of each name.
    teams: HashMap<&'a str, usize>,
    /// The index of the first listed unit of each name.
    units: HashMap<&'a str, usize>,
    /// The spawn index of each group's first unit.
    first_unit: Vec<u64>,
    /// The groups of each name, in file order, by their counts: a group making the number `n`
    /// after this name is the first whose count is more than `n`.
    by_name: HashMap<&'a str, Earliest>,
    /// The groups whose names are this name and then a number, in file order, by the smallest
    /// number this name's group would need to make for the two to meet.
    extending: HashMap<&'a str, Earliest>,
}

/// Groups in file order, each with a number, and the running maximum (or minimum) of those
/// numbers: the first group whose number passes a bound is found by binary search.
#[derive(Default)]
struct Earliest {
    groups: Vec<usize>,
    running: Vec<u64>,
}

impl Earliest {
    fn add(&mut self, group: usize, value: u64, keep: fn(u64, u64) -> u64) {
        let value = self.running.last().map_or(value, |&last| keep(last, value));
        self.groups.push(group);
        self.running.push(value);
    }

    /// The first group (before `before`) whose running maximum exceeds `bound`.
    fn first_above(&self, bound: u64, before: usize) -> Option<usize> {
        let at = self.running.partition_point(|&value| value <= bound);
        self.groups.get(at).copied().filter(|&group| group < before)
    }

    /// The first group (before `before`) whose running minimum is below `bound`.
    fn first_below(&self, bound: u64, before: usize) -> Option<usize> {
        let at = self.running.partition_point(|&value| value >= bound);
        self.groups.get(at).copied().filter(|&group| group < before)
    }
}

impl<'a> Names<'a> {
    /// Indexes the names of `file`: one pass, no problems reported yet.
    pub fn index(file: &'a ScenarioFile) -> Self {
        let mut names = Names {
            file,
            teams: HashMap::with_capacity(file.teams.len().min(MAX_LIST + 1)),
            units: HashMap::with_capacity(file.units.len()),
            first_unit: Vec::with_capacity(file.groups.len()),
            by_name: HashMap::new(),
            extending: HashMap::new(),
        };
        for (index, team) in file.teams.iter().enumerate() {
            names.teams.entry(team.as_str()).or_insert(index);
        }
        for (index, unit) in file.units.iter().enumerate() {
            names.units.entry(unit.name.as_str()).or_insert(index);
        }
        let mut total = file.units.len() as u64;
        for (index, group) in file.groups.iter().enumerate() {
            names.first_unit.push(total);
            total = total.saturating_add(group.count);
            names
                .by_name
                .entry(group.name.as_str())
                .or_default()
                .add(index, group.count, u64::max);
            for (prefix, rest) in number_splits(&group.name) {
                // `prefix` + n is this group's name + k when n is `rest` + k; the smallest
                // such n is `rest` followed by 0.
                if let Some(smallest) = canonical_number(&format!("{rest}0")) {
                    names
                        .extending
                        .entry(prefix)
                        .or_default()
                        .add(index, smallest, u64::min);
                }
            }
        }
        names
    }

    /// How many units the file makes, listed and generated (saturating).
    pub fn unit_count(&self) -> u64 {
        let listed = self.file.units.len() as u64;
        let generated = self.file.groups.iter().map(|group| group.count);
        generated.fold(listed, u64::saturating_add)
    }

    /// The group and number of the generated unit called `name`, if any (the earliest group
    /// that makes it).
    pub fn generated(&self, name: &str) -> Option<(usize, u64)> {
        number_splits(name)
            .filter_map(|(prefix, rest)| {
                let number = canonical_number(rest)?;
                let group = self.by_name.get(prefix)?.first_above(number, usize::MAX)?;
                Some((group, number))
            })
            .min()
    }

    /// The earliest group before `index` that makes a name group `index` makes too, and that
    /// name.
    fn shared_with_earlier(&self, index: usize) -> Option<(usize, String)> {
        let group = &self.file.groups[index];
        let (name, count) = (group.name.as_str(), group.count);
        if count == 0 {
            return None;
        }
        let mut found: Option<(usize, String)> = None;
        let mut consider = |other: Option<usize>, example: &dyn Fn() -> String| {
            if let Some(other) = other
                && found.as_ref().is_none_or(|(earliest, _)| other < *earliest)
            {
                found = Some((other, example()));
            }
        };
        // The same name: both make `name0`.
        let same = self
            .by_name
            .get(name)
            .and_then(|groups| groups.first_above(0, index));
        consider(same, &|| format!("{name}0"));
        // A shorter name this one starts with: it makes `name0` if its count is large enough.
        for (prefix, rest) in number_splits(name) {
            if let Some(smallest) = canonical_number(&format!("{rest}0")) {
                let shorter = self
                    .by_name
                    .get(prefix)
                    .and_then(|groups| groups.first_above(smallest, index));
                consider(shorter, &|| format!("{name}0"));
            }
        }
        // A longer name that starts with this one, the number after it small enough.
        let longer = self
            .extending
            .get(name)
            .and_then(|groups| groups.first_below(count, index));
        if let Some(longer) = longer {
            let other = &self.file.groups[longer].name;
            consider(Some(longer), &|| format!("{other}0"));
        }
        found
    }
}

impl Checker<'_> {
    /// The teams: within the limit, each named, none twice. Past the limit, only that is said.
    pub(super) fn check_teams(&mut self, teams: &[String]) {
        if teams.len() > MAX_LIST {
            self.problem(
                "teams".into(),
                format!(
                    "{} teams are more than the limit of {MAX_LIST}",
                    teams.len()
                ),
            );
            return;
        }
        for (index, team) in teams.iter().enumerate() {
            self.name(team, format!("teams[{index}]"), "a team");
            if self.names.teams.get(team.as_str()) != Some(&index) {
                self.problem(
                    format!("teams[{index}]"),
                    format!("\"{team}\" is listed twice"),
                );
            }
        }
    }

    /// A listed unit's name: valid, its own, and made by no group.
    pub(super) fn check_unit_name(&mut self, index: usize, name: &str) {
        let path = format!("units[{index}].name");
        self.name(name, path.clone(), "a unit");
        if self.names.units.get(name) != Some(&index) {
            self.problem(
                path,
                format!("\"{name}\" is already the name of another unit"),
            );
        } else if let Some((group, at)) = self.names.generated(name) {
            let group_name = &self.names.file.groups[group].name;
            self.problem(
                path,
                format!(
                    "\"{name}\" is also the name of unit {at} of groups[{group}] \
                     (\"{group_name}\"); rename the unit or the group"
                ),
            );
        }
    }

    /// A group's name and count: valid, and no name made by an earlier group too.
    pub(super) fn check_group_name(&mut self, index: usize, name: &str, count: u64) {
        let path = format!("groups[{index}]");
        let valid = self.name(name, format!("{path}.name"), "a group");
        if count == 0 || count > MAX_UNITS {
            self.problem(
                format!("{path}.count"),
                format!("{count} is not between 1 and {MAX_UNITS}"),
            );
        } else if valid {
            self.check_made_names(&path, name, count);
        }
        if let Some((other, example)) = self.names.shared_with_earlier(index) {
            let other_name = &self.names.file.groups[other].name;
            self.problem(
                format!("{path}.name"),
                format!(
                    "the group makes the name \"{example}\", which groups[{other}] \
                     (\"{other_name}\") makes too; give the groups names that do not start alike"
                ),
            );
        }
    }

    /// The names a group of `count` units makes are unit names too: the longest, its last
    /// unit's (`p` and the number `count - 1`), must be within the limit.
    fn check_made_names(&mut self, path: &str, name: &str, count: u64) {
        let digits = (count - 1).to_string().len();
        let length = name.chars().count() + digits;
        if length > MAX_NAME {
            self.problem(
                format!("{path}.name"),
                format!(
                    "the group's last unit would be called \"{name}{}\", {length} characters, \
                     more than the limit of {MAX_NAME} for a unit's name; shorten the group's \
                     name to {} characters",
                    count - 1,
                    MAX_NAME - digits
                ),
            );
        }
    }

    /// The team called `name` (`Some(None)` for none given), or a problem at `path.team`.
    pub(super) fn team(&mut self, team: Option<&str>, path: &str) -> Option<Option<Team>> {
        let Some(name) = team else {
            return Some(None);
        };
        if let Some(&index) = self.names.teams.get(name) {
            return Some(Some(Team(index as u32)));
        }
        let teams = &self.names.file.teams;
        self.problem_with(format!("{path}.team"), || {
            if teams.is_empty() {
                format!(
                    "\"{name}\" is not a team: the scenario lists none; add `teams: [\"{name}\"]`"
                )
            } else {
                format!(
                    "\"{name}\" is not one of the scenario's teams{} (they are {})",
                    did_you_mean(name, teams.iter().map(String::as_str)),
                    all_of(teams.iter().map(String::as_str))
                )
            }
        });
        None
    }

    /// The spawn index of the unit called `name`, listed or generated.
    pub(super) fn unit_index(&mut self, name: &str, path: String) -> Option<u64> {
        if let Some(&index) = self.names.units.get(name) {
            return Some(index as u64);
        }
        if let Some((group, at)) = self.names.generated(name) {
            return Some(self.names.first_unit[group] + at);
        }
        let file = self.names.file;
        self.problem_with(path, || {
            let listed = file.units.iter().map(|unit| unit.name.as_str());
            let suggestion = did_you_mean(name, listed);
            // A group that would make it with more units: say which names it does make.
            let made = number_splits(name)
                .find_map(|(prefix, rest)| {
                    canonical_number(rest)?;
                    let group = file.groups.iter().position(|group| group.name == prefix)?;
                    let names = made_names(prefix, file.groups[group].count);
                    Some(format!("; groups[{group}] (\"{prefix}\") makes {names}"))
                })
                .unwrap_or_default();
            format!("no unit is called \"{name}\"{suggestion}{made}")
        });
        None
    }
}

/// The names a group makes, said briefly: `p0`, `p0 and p1`, `p0 to p9`.
fn made_names(prefix: &str, count: u64) -> String {
    match count {
        0 => "no units".into(),
        1 => format!("only {prefix}0"),
        2 => format!("only {prefix}0 and {prefix}1"),
        _ => format!("only {prefix}0 to {prefix}{}", count - 1),
    }
}

/// The ways `name` splits into a prefix and a non-empty run of digits ending it, shortest
/// digits first; only runs of up to 20 digits (a `u64` has no more).
fn number_splits(name: &str) -> impl Iterator<Item = (&str, &str)> {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    (1..=digits.min(20)).map(move |length| name.split_at(name.len() - length))
}

/// The number `text` writes without leading zeros (`"0"`, `"17"`; not `"017"` or `""`).
fn canonical_number(text: &str) -> Option<u64> {
    let canonical = !text.is_empty()
        && text.bytes().all(|byte| byte.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if canonical { text.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{AreaSpec, BehaviorSpec, CellSpec, GroupSpec};

    #[test]
    fn numbers_are_canonical() {
        assert_eq!(canonical_number("0"), Some(0));
        assert_eq!(canonical_number("17"), Some(17));
        assert_eq!(canonical_number("017"), None);
        assert_eq!(canonical_number(""), None);
        assert_eq!(canonical_number("1a"), None);
    }

    fn groups_file(groups: &[(&str, u64)]) -> ScenarioFile {
        let mut file = ScenarioFile::parse("Scenario()", "test").unwrap();
        file.groups = groups
            .iter()
            .map(|(name, count)| GroupSpec {
                name: (*name).into(),
                count: *count,
                team: None,
                area: AreaSpec {
                    from: CellSpec::At(0, 0),
                    to: CellSpec::At(1, 1),
                },
                position: CellSpec::Random,
                behavior: BehaviorSpec::Wait { ticks: 1 },
            })
            .collect();
        file
    }

    /// For the second group: the first it shares a name with, and the name.
    fn shared(a: (&str, u64), b: (&str, u64)) -> Option<String> {
        let file = groups_file(&[a, b]);
        let names = Names::index(&file);
        names.shared_with_earlier(1).map(|(_, name)| name)
    }

    #[test]
    fn groups_share_names_only_when_their_numbers_meet() {
        assert_eq!(shared(("p", 5), ("p", 1)).as_deref(), Some("p0"));
        // p10 is made by both "p" (11 units) and "p1".
        assert_eq!(shared(("p", 11), ("p1", 1)).as_deref(), Some("p10"));
        assert_eq!(shared(("p1", 1), ("p", 11)).as_deref(), Some("p10"));
        assert_eq!(shared(("p", 10), ("p1", 1)), None);
        assert_eq!(shared(("p", 1000), ("p0", 5)), None);
        assert_eq!(shared(("p", 1000), ("q", 5)), None);
        assert_eq!(shared(("p", 1000), ("px", 5)), None);
        assert_eq!(shared(("p", 1000), ("p12", 5)).as_deref(), Some("p120"));
        assert_eq!(shared(("p12", 5), ("p", 121)).as_deref(), Some("p120"));
        assert_eq!(shared(("p12", 5), ("p", 120)), None);
    }

    #[test]
    fn each_group_is_reported_with_the_earliest_it_meets() {
        // Many groups of one name: each meets the first, found without comparing all pairs.
        let groups: Vec<(&str, u64)> = std::iter::repeat_n(("g", 1), 100_000).collect();
        let file = groups_file(&groups);
        let names = Names::index(&file);
        assert_eq!(names.shared_with_earlier(0), None);
        assert_eq!(names.shared_with_earlier(99_999), Some((0, "g0".into())));
        // A short name after many longer ones meets the first that it would make.
        let file = groups_file(&[("g5", 3), ("g10", 3), ("g1", 3), ("g", 100)]);
        let names = Names::index(&file);
        assert_eq!(names.shared_with_earlier(3), Some((0, "g50".into())));
    }

    #[test]
    fn generated_names_are_found_by_their_group() {
        let file = groups_file(&[("p", 20), ("p1", 5), ("q7", 3)]);
        let names = Names::index(&file);
        assert_eq!(names.generated("p3"), Some((0, 3)));
        assert_eq!(names.generated("p13"), Some((0, 13)));
        assert_eq!(names.generated("p14"), Some((0, 14)));
        assert_eq!(names.generated("p20"), None);
        assert_eq!(names.generated("p14x"), None);
        assert_eq!(names.generated("q72"), Some((2, 2)));
        assert_eq!(names.generated("q73"), None);
        assert_eq!(names.generated("p03"), None);
    }
}
