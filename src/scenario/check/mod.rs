//! Checking a parsed file: every problem found, in the order of the file, each located by the
//! path to its field.
//!
//! The file is walked once, top to bottom, so the report comes out in the order of the file
//! without sorting. One concern a file: `names` (unit, group and team names, indexed so that
//! every look-up costs the same however many there are), `cells` (cells, areas and routes),
//! `behaviors` (behaviour expressions), `named` (the arguments of a registered behaviour),
//! `problems` (the report, bounded) and `labels` (label names kept for the program's life).

mod behaviors;
mod cells;
mod labels;
mod named;
mod names;
mod problems;

use glam::IVec2;

use super::budget;
use super::limits::{MAX_COORDINATE, MAX_LIST, MAX_MEMORY, MAX_NAME, MAX_TICKS, MAX_UNITS};
use super::registry::BehaviorRegistry;
use super::template::{GroupPlan, stream};
use super::{Problem, ScenarioFile, UnitPlan};
use crate::behaviors::game::Area;
use names::Names;
use problems::Problems;

pub(crate) use problems::thousands;

/// What a file's parts check against, and the problems found so far.
pub(crate) struct Checker<'a> {
    registry: &'a BehaviorRegistry,
    world: Area,
    names: Names<'a>,
    problems: Problems,
}

/// What checking a file gives: its parts, or every problem.
pub(crate) struct Checked {
    pub world: Area,
    pub units: Vec<UnitPlan>,
    pub groups: Vec<GroupPlan>,
}

/// Checks everything in `file` but its seed.
pub(crate) fn check<'a>(
    file: &'a ScenarioFile,
    registry: &'a BehaviorRegistry,
) -> Result<Checked, Vec<Problem>> {
    let mut checker = Checker {
        registry,
        world: Area::new(IVec2::splat(-MAX_COORDINATE), IVec2::splat(MAX_COORDINATE)),
        names: Names::index(file),
        problems: Problems::default(),
    };
    if let Some(name) = &file.name {
        checker.name(name, "name".into(), "the scenario");
    }
    if file.ticks > MAX_TICKS {
        checker.problem(
            "ticks".into(),
            format!("{} is more than the limit of {MAX_TICKS} ticks", file.ticks),
        );
    }
    if let Some(world) = &file.world
        && let Some(area) = checker.area(world, "world", false)
    {
        checker.world = area;
    }
    checker.check_teams(&file.teams);
    let mut units = Vec::with_capacity(file.units.len());
    for (index, unit) in file.units.iter().enumerate() {
        let path = format!("units[{index}]");
        checker.check_unit_name(index, &unit.name);
        let team = checker.team(unit.team.as_deref(), &path);
        let position = checker.cell(unit.position, &format!("{path}.position"), None);
        let behavior = checker.behavior(&unit.behavior, &format!("{path}.behavior"), 1, None);
        if let (Some(team), Some(position), Some(behavior)) = (team, position, behavior)
            && let (Some(position), Some(behavior)) = (position.fixed(), behavior.fixed())
        {
            units.push(UnitPlan {
                name: unit.name.clone(),
                team,
                position: *position,
                behavior: behavior.clone(),
            });
        }
    }
    if file.units.is_empty() && file.groups.is_empty() {
        checker.problem(
            "units".into(),
            "a scenario needs at least one unit: list one in `units`, or generate some in `groups`",
        );
    }
    let mut groups = Vec::with_capacity(file.groups.len());
    for (index, group) in file.groups.iter().enumerate() {
        let path = format!("groups[{index}]");
        checker.check_group_name(index, &group.name, group.count);
        let team = checker.team(group.team.as_deref(), &path);
        let area = checker.area(&group.area, &format!("{path}.area"), true);
        let random = Some(area.unwrap_or(checker.world));
        let position = checker.cell(group.position, &format!("{path}.position"), random);
        let behavior = checker.behavior(&group.behavior, &format!("{path}.behavior"), 1, random);
        if let (Some(team), Some(area), Some(position), Some(behavior)) =
            (team, area, position, behavior)
        {
            groups.push(GroupPlan {
                name: group.name.clone(),
                count: group.count,
                team,
                area,
                stream: stream(file.seed, &group.name),
                position,
                behavior,
            });
        }
    }
    let total = checker.names.unit_count();
    if total > MAX_UNITS {
        checker.problem(
            "groups".into(),
            format!("the scenario makes {total} units, more than the limit of {MAX_UNITS}"),
        );
    } else {
        // Over the parts that checked: what the others would add can only make it more.
        checker.check_memory(file, &units, &groups);
    }
    if checker.problems.is_empty() {
        Ok(Checked {
            world: checker.world,
            units,
            groups,
        })
    } else {
        Err(checker.problems.finish())
    }
}

impl Checker<'_> {
    /// The memory the units will need, estimated before any is spawned, within the budget.
    fn check_memory(&mut self, file: &ScenarioFile, units: &[UnitPlan], groups: &[GroupPlan]) {
        let needed = budget::estimate(units, groups);
        if budget::fits(needed) {
            return;
        }
        let field = if file.groups.is_empty() {
            "units"
        } else {
            "groups"
        };
        let total = thousands(self.names.unit_count());
        self.problem(
            field.into(),
            format!(
                "the scenario would need about {} of memory for its {total} units, more than \
                 the budget of {}; make fewer units, or give them simpler behaviours (each \
                 branch of a Race or Join runs at once; `Random` cells give each unit its own \
                 copy of the plan)",
                gigabytes(needed),
                gigabytes(MAX_MEMORY)
            ),
        );
    }

    /// Reports a problem whose message costs little to make.
    fn problem(&mut self, field: String, message: impl Into<String>) {
        self.problems.push(field, || message.into());
    }

    /// Reports a problem whose message is made only if it is shown (a did-you-mean search).
    fn problem_with(&mut self, field: String, message: impl FnOnce() -> String) {
        self.problems.push(field, message);
    }

    /// A name: not empty, not too long, and without control characters, which would act on
    /// the terminal that shows the name (an escape, a line break) rather than show. True if it
    /// is valid.
    fn name(&mut self, name: &str, path: String, what: &str) -> bool {
        let control = name.chars().enumerate().find(|(_, c)| c.is_control());
        if name.is_empty() {
            self.problem(path, format!("{what} needs a non-empty name"));
            false
        } else if name.chars().count() > MAX_NAME {
            self.problem(
                path,
                format!(
                    "the name has {} characters, more than the limit of {MAX_NAME}",
                    name.chars().count()
                ),
            );
            false
        } else if let Some((at, c)) = control {
            self.problem(
                path,
                format!(
                    "the name has a control character (`{}`, character {}): a name may hold \
                     no line breaks, tabs, escapes or other control characters",
                    c.escape_default(),
                    at + 1
                ),
            );
            false
        } else {
            true
        }
    }

    /// A number of ticks from `least` to the limit.
    fn ticks(&mut self, ticks: u64, path: String, least: u64) -> Option<u64> {
        if (least..=MAX_TICKS).contains(&ticks) {
            return Some(ticks);
        }
        self.problem(
            path,
            format!("{ticks} is not between {least} and {MAX_TICKS}"),
        );
        None
    }

    /// A list's length from `least` to the limit.
    fn list_length(&mut self, length: usize, path: &str, least: usize, what: &str) -> bool {
        if (least..=MAX_LIST).contains(&length) {
            return true;
        }
        let message = if length < least {
            let what = if least == 1 {
                what.trim_end_matches('s')
            } else {
                what
            };
            format!("needs at least {least} {what}, found {length}")
        } else {
            format!("{length} {what} are more than the limit of {MAX_LIST}")
        };
        self.problem(path.to_owned(), message);
        false
    }
}

/// Bytes as gigabytes with one decimal: `7.2 GB`.
fn gigabytes(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / 1e9)
}
