//! Checking a parsed file: every problem found, each located by the path to its field.

use glam::IVec2;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use super::limits::{
    MAX_COORDINATE, MAX_DEPTH, MAX_LIST, MAX_NAME, MAX_SIGHT, MAX_TICKS, MAX_UNITS,
};
use super::registry::{Arg, Args, BehaviorRegistry, ParamDecl, ParamKind};
use super::template::{Drawn, GroupPlan, random_route, stream};
use super::{
    AreaSpec, BehaviorPlan, BehaviorSpec, CellSpec, GroupSpec, NamedPlan, ParamValue, Problem,
    ScenarioFile, Times, UnitPlan,
};
use crate::behaviors::game::{Area, GuardParams};
use crate::components::Team;
use crate::ground::{Route, RouteError};
use crate::suggest::{all_of, did_you_mean};

/// What a file's parts check against, and the problems found so far.
pub(crate) struct Checker<'a> {
    registry: &'a BehaviorRegistry,
    world: Area,
    teams: &'a [String],
    /// Listed units' spawn index by name.
    units: HashMap<&'a str, usize>,
    /// Each group's name, count and the spawn index of its first unit.
    groups: Vec<(&'a str, u64, u64)>,
    problems: Vec<Problem>,
}

/// What checking a file gives: its parts, or every problem.
pub(crate) struct Checked {
    pub world: Area,
    pub units: Vec<UnitPlan>,
    pub groups: Vec<GroupPlan>,
}

/// Checks everything in `file` but its name, seed and ticks-to-run.
pub(crate) fn check<'a>(
    file: &'a ScenarioFile,
    registry: &'a BehaviorRegistry,
) -> Result<Checked, Vec<Problem>> {
    let mut checker = Checker {
        registry,
        world: Area::new(IVec2::splat(-MAX_COORDINATE), IVec2::splat(MAX_COORDINATE)),
        teams: &file.teams,
        units: HashMap::with_capacity(file.units.len()),
        groups: Vec::with_capacity(file.groups.len()),
        problems: Vec::new(),
    };
    if file.ticks > MAX_TICKS {
        checker.problem(
            "ticks",
            format!("{} is more than the limit of {MAX_TICKS} ticks", file.ticks),
        );
    }
    if let Some(world) = &file.world
        && let Some(area) = checker.area(world, "world", false)
    {
        checker.world = area;
    }
    checker.check_teams();
    checker.check_names(file);
    if file.units.is_empty() && file.groups.is_empty() {
        checker.problem(
            "units",
            "a scenario needs at least one unit: list one in `units`, or generate some in `groups`",
        );
    }
    let units: Vec<UnitPlan> = file
        .units
        .iter()
        .enumerate()
        .filter_map(|(index, unit)| {
            let path = format!("units[{index}]");
            let team = checker.team(unit.team.as_deref(), &path);
            let position = checker.cell(unit.position, &format!("{path}.position"), None);
            let behavior = checker.behavior(&unit.behavior, &format!("{path}.behavior"), 1, None);
            Some(UnitPlan {
                name: unit.name.clone(),
                team: team?,
                position: *position?.fixed()?,
                behavior: behavior?.fixed()?.clone(),
            })
        })
        .collect();
    let groups: Vec<GroupPlan> = file
        .groups
        .iter()
        .enumerate()
        .filter_map(|(index, group)| checker.group(group, index, file.seed))
        .collect();
    // In the order of the file: the settings, then unit by unit, then group by group.
    checker
        .problems
        .sort_by_key(|problem| file_order(&problem.field));
    if checker.problems.is_empty() {
        Ok(Checked {
            world: checker.world,
            units,
            groups,
        })
    } else {
        Err(checker.problems)
    }
}

impl<'a> Checker<'a> {
    fn problem(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            field: field.into(),
            message: message.into(),
        });
    }

    fn check_teams(&mut self) {
        let teams = self.teams;
        if teams.len() > MAX_LIST {
            self.problem(
                "teams",
                format!(
                    "{} teams are more than the limit of {MAX_LIST}",
                    teams.len()
                ),
            );
        }
        let mut seen = HashSet::new();
        for (index, team) in teams.iter().enumerate() {
            self.name(team, &format!("teams[{index}]"), "a team");
            if !seen.insert(team.as_str()) {
                self.problem(
                    format!("teams[{index}]"),
                    format!("\"{team}\" is listed twice"),
                );
            }
        }
    }

    /// Unit and group names: unique, including every name a group generates; counts in range.
    fn check_names(&mut self, file: &'a ScenarioFile) {
        let mut total: u64 = file.units.len() as u64;
        for (index, group) in file.groups.iter().enumerate() {
            let path = format!("groups[{index}]");
            self.name(&group.name, &format!("{path}.name"), "a group");
            if group.count == 0 || group.count > MAX_UNITS {
                self.problem(
                    format!("{path}.count"),
                    format!("{} is not between 1 and {MAX_UNITS}", group.count),
                );
            }
            for (other_index, (other, other_count, _)) in self.groups.clone().iter().enumerate() {
                if let Some(example) = shared_name(other, *other_count, &group.name, group.count) {
                    self.problem(
                        format!("{path}.name"),
                        format!(
                            "the group makes the name \"{example}\", which groups[{other_index}] \
                             (\"{other}\") makes too; give the groups names that do not start \
                             alike"
                        ),
                    );
                }
            }
            self.groups.push((&group.name, group.count, total));
            total = total.saturating_add(group.count);
        }
        if total > MAX_UNITS {
            self.problem(
                "groups",
                format!("the scenario makes {total} units, more than the limit of {MAX_UNITS}"),
            );
        }
        for (index, unit) in file.units.iter().enumerate() {
            let path = format!("units[{index}].name");
            self.name(&unit.name, &path, "a unit");
            if self.units.insert(&unit.name, index).is_some() {
                self.problem(
                    path,
                    format!("\"{}\" is already the name of another unit", unit.name),
                );
            } else if let Some((group, at)) = self.group_unit(&unit.name) {
                let (name, _, _) = self.groups[group];
                self.problem(
                    path,
                    format!(
                        "\"{}\" is also the name of unit {at} of groups[{group}] (\"{name}\"); \
                         rename the unit or the group",
                        unit.name
                    ),
                );
            }
        }
    }

    /// A name: not empty, not too long.
    fn name(&mut self, name: &str, path: &str, what: &str) {
        if name.is_empty() {
            self.problem(path, format!("{what} needs a non-empty name"));
        } else if name.chars().count() > MAX_NAME {
            self.problem(
                path,
                format!(
                    "the name has {} characters, more than the limit of {MAX_NAME}",
                    name.chars().count()
                ),
            );
        }
    }

    /// The group and index within it of the generated unit called `name`, if any.
    fn group_unit(&self, name: &str) -> Option<(usize, u64)> {
        self.groups
            .iter()
            .enumerate()
            .find_map(|(group, (prefix, count, _))| {
                let index = canonical_number(name.strip_prefix(prefix)?)?;
                (index < *count).then_some((group, index))
            })
    }

    fn team(&mut self, team: Option<&str>, path: &str) -> Option<Option<Team>> {
        let Some(name) = team else {
            return Some(None);
        };
        if let Some(index) = self.teams.iter().position(|team| team == name) {
            return Some(Some(Team(index as u32)));
        }
        let message = if self.teams.is_empty() {
            format!("\"{name}\" is not a team: the scenario lists none; add `teams: [\"{name}\"]`")
        } else {
            format!(
                "\"{name}\" is not one of the scenario's teams{} (they are {})",
                did_you_mean(name, self.teams.iter().map(String::as_str)),
                all_of(self.teams.iter().map(String::as_str))
            )
        };
        self.problem(format!("{path}.team"), message);
        None
    }

    fn group(&mut self, group: &GroupSpec, index: usize, seed: u64) -> Option<GroupPlan> {
        let path = format!("groups[{index}]");
        let team = self.team(group.team.as_deref(), &path);
        let area = self.area(&group.area, &format!("{path}.area"), true);
        let random = Some(area.unwrap_or(self.world));
        let position = self.cell(group.position, &format!("{path}.position"), random);
        let behavior = self.behavior(&group.behavior, &format!("{path}.behavior"), 1, random);
        Some(GroupPlan {
            name: group.name.clone(),
            count: group.count,
            team: team?,
            area: area?,
            stream: stream(seed, &group.name),
            position: position?,
            behavior: behavior?,
        })
    }

    /// An area: fixed corners inside the world (or, for the world itself, inside the limits).
    fn area(&mut self, area: &AreaSpec, path: &str, in_world: bool) -> Option<Area> {
        let mut corner = |cell: CellSpec, field: &str| -> Option<IVec2> {
            let path = format!("{path}.{field}");
            match cell {
                CellSpec::Random(_) => {
                    self.problem(path, "an area's corners are cells `(x, y)`, not `Random`");
                    None
                }
                CellSpec::At(x, y) if in_world => self.inside(IVec2::new(x, y), &path),
                CellSpec::At(x, y) => {
                    let cell = IVec2::new(x, y);
                    if cell.abs().max_element() > MAX_COORDINATE {
                        self.problem(
                            path,
                            format!(
                                "({x}, {y}) is beyond the limit: coordinates run from \
                                 -{MAX_COORDINATE} to {MAX_COORDINATE}"
                            ),
                        );
                        return None;
                    }
                    Some(cell)
                }
            }
        };
        let from = corner(area.from, "from");
        let to = corner(area.to, "to");
        Some(Area::new(from?, to?))
    }

    /// A fixed cell inside the world.
    fn inside(&mut self, cell: IVec2, path: &str) -> Option<IVec2> {
        if self.world.contains(cell) {
            return Some(cell);
        }
        let (min, max) = (self.world.min, self.world.max);
        self.problem(
            path,
            format!(
                "({}, {}) is outside the world, which runs from ({}, {}) to ({}, {})",
                cell.x, cell.y, min.x, min.y, max.x, max.y
            ),
        );
        None
    }

    /// A cell inside the world, or `Random` where `random` (a group's area) allows it.
    fn cell(&mut self, cell: CellSpec, path: &str, random: Option<Area>) -> Option<Drawn<IVec2>> {
        match cell {
            CellSpec::At(x, y) => self.inside(IVec2::new(x, y), path).map(Drawn::Fixed),
            CellSpec::Random(_) if random.is_some() => Some(Drawn::random_cell()),
            CellSpec::Random(_) => {
                self.problem(
                    path,
                    "`Random` is only allowed in a group (`groups: [...]`); write a cell `(x, y)`",
                );
                None
            }
        }
    }

    fn ticks(&mut self, ticks: u64, path: &str, least: u64) -> Option<u64> {
        if (least..=MAX_TICKS).contains(&ticks) {
            return Some(ticks);
        }
        self.problem(
            path,
            format!("{ticks} is not between {least} and {MAX_TICKS}"),
        );
        None
    }

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
        self.problem(path, message);
        false
    }

    /// A closed patrol route; `Random` waypoints are drawn to differ from their neighbours.
    fn route(
        &mut self,
        waypoints: &[CellSpec],
        path: &str,
        random: Option<Area>,
    ) -> Option<Drawn<Route>> {
        if waypoints.len() > MAX_LIST {
            self.problem(
                path,
                format!(
                    "{} waypoints are more than the limit of {MAX_LIST}",
                    waypoints.len()
                ),
            );
            return None;
        }
        let cells: Vec<Option<Drawn<IVec2>>> = waypoints
            .iter()
            .enumerate()
            .map(|(index, cell)| self.cell(*cell, &format!("{path}[{index}]"), random))
            .collect();
        let cells: Vec<Drawn<IVec2>> = cells.into_iter().collect::<Option<_>>()?;
        let fixed: Vec<Option<IVec2>> = cells.iter().map(|cell| cell.fixed().copied()).collect();
        if fixed.iter().all(Option::is_some) {
            return match Route::new(fixed.into_iter().flatten()) {
                Ok(route) => Some(Drawn::Fixed(route)),
                Err(error) => {
                    self.problem(path, error.to_string());
                    None
                }
            };
        }
        // Some are random: only the fixed neighbours can clash for sure.
        let mut ok = true;
        if fixed.len() < 2 {
            self.problem(
                path,
                RouteError::TooFewWaypoints { found: fixed.len() }.to_string(),
            );
            ok = false;
        }
        for index in 0..fixed.len() {
            let next = (index + 1) % fixed.len();
            if let (Some(cell), Some(after)) = (fixed[index], fixed[next])
                && cell == after
                && index != next
            {
                self.problem(
                    path,
                    RouteError::RepeatedWaypoint { index, next, cell }.to_string(),
                );
                ok = false;
            }
        }
        let area = random.unwrap_or(self.world);
        let size = (area.max - area.min + IVec2::ONE).as_i64vec2();
        if size.x * size.y < 3 {
            self.problem(
                path,
                "`Random` waypoints need a group area of at least 3 cells, so that each can \
                 differ from both of its neighbours",
            );
            ok = false;
        }
        ok.then(|| random_route(fixed))
    }

    /// A behaviour expression, `depth` deep (1 for a unit's own behaviour).
    fn behavior(
        &mut self,
        spec: &BehaviorSpec,
        path: &str,
        depth: usize,
        random: Option<Area>,
    ) -> Option<Drawn<BehaviorPlan>> {
        if depth > MAX_DEPTH {
            self.problem(
                path,
                format!(
                    "behaviours nest more than {MAX_DEPTH} deep here; flatten them, e.g. with \
                     one `Sequence([...])` for many steps"
                ),
            );
            return None;
        }
        let inner = depth + 1;
        match spec {
            BehaviorSpec::Goto { target } => Some(
                self.cell(*target, &format!("{path}.Goto.target"), random)?
                    .map(BehaviorPlan::Goto),
            ),
            BehaviorSpec::Patrol { waypoints } => Some(
                self.route(waypoints, &format!("{path}.Patrol.waypoints"), random)?
                    .map(BehaviorPlan::Patrol),
            ),
            BehaviorSpec::Wait { ticks } => Some(Drawn::Fixed(BehaviorPlan::Wait(self.ticks(
                *ticks,
                &format!("{path}.Wait.ticks"),
                0,
            )?))),
            BehaviorSpec::Guard {
                waypoints,
                sight,
                patience,
            } => {
                let route = self.route(waypoints, &format!("{path}.Guard.waypoints"), random);
                let sight = if *sight > MAX_SIGHT {
                    self.problem(
                        format!("{path}.Guard.sight"),
                        format!("{sight} is more than the limit of {MAX_SIGHT} steps"),
                    );
                    None
                } else {
                    Some(*sight)
                };
                let patience = self.ticks(*patience, &format!("{path}.Guard.patience"), 0);
                let (sight, patience) = (sight?, patience?);
                Some(route?.map(move |route| {
                    BehaviorPlan::Guard(GuardParams {
                        route,
                        sight,
                        patience,
                    })
                }))
            }
            BehaviorSpec::Wander {
                from,
                to,
                max_pause,
            } => {
                let from = self.cell(*from, &format!("{path}.Wander.from"), random);
                let to = self.cell(*to, &format!("{path}.Wander.to"), random);
                let max_pause = self.ticks(*max_pause, &format!("{path}.Wander.max_pause"), 0)?;
                Some(
                    Drawn::all(vec![from?, to?]).map(move |ends| {
                        BehaviorPlan::Wander(Area::new(ends[0], ends[1]), max_pause)
                    }),
                )
            }
            BehaviorSpec::Chase { target } => {
                let index = self.unit_index(target, &format!("{path}.Chase.target"))?;
                Some(Drawn::Fixed(BehaviorPlan::Chase(index)))
            }
            BehaviorSpec::Sequence(steps) => {
                let path = format!("{path}.Sequence");
                let steps = self.branches(steps, &path, 1, "steps", inner, random)?;
                Some(steps.map(BehaviorPlan::Sequence))
            }
            BehaviorSpec::Race(branches) => {
                let path = format!("{path}.Race");
                let branches = self.branches(branches, &path, 2, "branches", inner, random)?;
                Some(branches.map(BehaviorPlan::Race))
            }
            BehaviorSpec::Join(branches) => {
                let path = format!("{path}.Join");
                let branches = self.branches(branches, &path, 2, "branches", inner, random)?;
                Some(branches.map(BehaviorPlan::Join))
            }
            BehaviorSpec::Repeat { times, body } => {
                let times = match times {
                    Times::Count(times) => Some(Some(self.ticks(
                        *times,
                        &format!("{path}.Repeat.times"),
                        1,
                    )?)),
                    Times::Forever(_) => Some(None),
                };
                let body = self.behavior(body, &format!("{path}.Repeat.body"), inner, random);
                let times = times?;
                Some(body?.map(move |body| BehaviorPlan::Repeat(times, Box::new(body))))
            }
            BehaviorSpec::Timeout {
                ticks,
                body,
                otherwise,
            } => {
                let ticks = self.ticks(*ticks, &format!("{path}.Timeout.ticks"), 1);
                let body = self.behavior(body, &format!("{path}.Timeout.body"), inner, random);
                let otherwise = match otherwise {
                    Some(otherwise) => Some(self.behavior(
                        otherwise,
                        &format!("{path}.Timeout.otherwise"),
                        inner,
                        random,
                    )?),
                    None => None,
                };
                let (ticks, body) = (ticks?, body?);
                let parts: Vec<Drawn<BehaviorPlan>> =
                    std::iter::once(body).chain(otherwise).collect();
                Some(Drawn::all(parts).map(move |mut parts| {
                    let otherwise = (parts.len() > 1).then(|| Box::new(parts.remove(1)));
                    BehaviorPlan::Timeout {
                        ticks,
                        body: Box::new(parts.remove(0)),
                        otherwise,
                    }
                }))
            }
            BehaviorSpec::Label { name, body } => {
                self.name(name, &format!("{path}.Label.name"), "a label");
                let body = self.behavior(body, &format!("{path}.Label.body"), inner, random)?;
                let name = intern(name);
                Some(body.map(move |body| BehaviorPlan::Label(name, Box::new(body))))
            }
            BehaviorSpec::Named(name, params) => self.named(name, &params.0, path, inner, random),
        }
    }

    fn branches(
        &mut self,
        specs: &[BehaviorSpec],
        path: &str,
        least: usize,
        what: &str,
        depth: usize,
        random: Option<Area>,
    ) -> Option<Drawn<Vec<BehaviorPlan>>> {
        if !self.list_length(specs.len(), path, least, what) {
            return None;
        }
        let plans: Vec<Option<Drawn<BehaviorPlan>>> = specs
            .iter()
            .enumerate()
            .map(|(index, spec)| self.behavior(spec, &format!("{path}[{index}]"), depth, random))
            .collect();
        Some(Drawn::all(plans.into_iter().collect::<Option<Vec<_>>>()?))
    }

    /// The spawn index of the unit called `name`.
    fn unit_index(&mut self, name: &str, path: &str) -> Option<u64> {
        if let Some(index) = self.units.get(name) {
            return Some(*index as u64);
        }
        if let Some((group, at)) = self.group_unit(name) {
            return Some(self.groups[group].2 + at);
        }
        let suggestion = did_you_mean(name, self.units.keys().copied());
        self.problem(path, format!("no unit is called \"{name}\"{suggestion}"));
        None
    }

    fn named(
        &mut self,
        name: &str,
        params: &[(String, ParamValue)],
        path: &str,
        depth: usize,
        random: Option<Area>,
    ) -> Option<Drawn<BehaviorPlan>> {
        let path = format!("{path}.Named(\"{name}\")");
        let Some(behavior) = self.registry.get(name).cloned() else {
            let message = if self.registry.names().next().is_none() {
                format!(
                    "no behaviour is registered as \"{name}\": `Named` runs a behaviour the game \
                     registered, and none is"
                )
            } else {
                format!(
                    "no behaviour is registered as \"{name}\"{} (registered: {})",
                    did_you_mean(name, self.registry.names()),
                    all_of(self.registry.names())
                )
            };
            self.problem(path, message);
            return None;
        };
        let decls = behavior.params();
        let declared = || all_of(decls.iter().map(|decl| decl.name));
        let mut ok = true;
        let mut seen = HashSet::new();
        for (param, _) in params {
            if !seen.insert(param.as_str()) {
                self.problem(
                    format!("{path}.{param}"),
                    format!("`{param}` is given twice"),
                );
                ok = false;
            } else if !decls.iter().any(|decl| decl.name == param) {
                let message = if decls.is_empty() {
                    format!("`{name}` takes no parameters; remove `{param}`")
                } else {
                    format!(
                        "`{name}` has no parameter `{param}`{} (its parameters are {})",
                        did_you_mean(param, decls.iter().map(|decl| decl.name)),
                        declared()
                    )
                };
                self.problem(format!("{path}.{param}"), message);
                ok = false;
            }
        }
        let mut args: Vec<Drawn<Arg>> = Vec::with_capacity(decls.len());
        for decl in decls {
            let given = params.iter().find(|(param, _)| param == decl.name);
            match (given, &decl.default) {
                (Some((_, value)), _) => {
                    let path = format!("{path}.{}", decl.name);
                    match self.arg(decl, value, &path, depth, random) {
                        Some(arg) => args.push(arg),
                        None => ok = false,
                    }
                }
                (None, Some(default)) => args.push(Drawn::Fixed(default.clone())),
                (None, None) => {
                    self.problem(
                        path.clone(),
                        format!(
                            "`{name}` needs the parameter `{}` ({})",
                            decl.name,
                            decl.kind.describe()
                        ),
                    );
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        let names: Vec<&'static str> = decls.iter().map(|decl| decl.name).collect();
        let behavior_name = name.to_owned();
        Some(Drawn::all(args).map(move |args| {
            BehaviorPlan::Named(NamedPlan {
                behavior: behavior.clone(),
                args: Args::new(
                    behavior_name.clone(),
                    names.iter().copied().zip(args).collect(),
                ),
            })
        }))
    }

    fn arg(
        &mut self,
        decl: &ParamDecl,
        value: &ParamValue,
        path: &str,
        depth: usize,
        random: Option<Area>,
    ) -> Option<Drawn<Arg>> {
        let limit = MAX_TICKS as i64;
        match (decl.kind, value) {
            (ParamKind::Integer, ParamValue::Integer(value))
                if (-limit..=limit).contains(value) =>
            {
                Some(Drawn::Fixed(Arg::Integer(*value)))
            }
            (ParamKind::Count, ParamValue::Integer(value)) if (0..=limit).contains(value) => {
                Some(Drawn::Fixed(Arg::Count(*value as u64)))
            }
            (ParamKind::Integer | ParamKind::Count, ParamValue::Integer(value)) => {
                let least = if decl.kind == ParamKind::Count {
                    0
                } else {
                    -limit
                };
                self.problem(path, format!("{value} is not between {least} and {limit}"));
                None
            }
            (ParamKind::Flag, ParamValue::Flag(value)) => Some(Drawn::Fixed(Arg::Flag(*value))),
            (ParamKind::Text, ParamValue::Text(value)) => {
                Some(Drawn::Fixed(Arg::Text(value.clone())))
            }
            (ParamKind::Cell, value) if as_cell(value).is_some() => {
                let cell = as_cell(value)?;
                Some(self.cell(cell, path, random)?.map(Arg::Cell))
            }
            (ParamKind::Cells, ParamValue::List(items))
                if items.iter().all(|item| as_cell(item).is_some()) =>
            {
                if !self.list_length(items.len(), path, 0, "cells") {
                    return None;
                }
                let cells: Vec<Option<Drawn<IVec2>>> = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.cell(as_cell(item)?, &format!("{path}[{index}]"), random)
                    })
                    .collect();
                Some(Drawn::all(cells.into_iter().collect::<Option<Vec<_>>>()?).map(Arg::Cells))
            }
            (ParamKind::Behavior, ParamValue::Behavior(spec)) => Some(
                self.behavior(spec, path, depth, random)?
                    .map(|plan| Arg::Behavior(Box::new(plan))),
            ),
            (kind, value) => {
                self.problem(
                    path,
                    format!("expected {}, found {}", kind.describe(), describe(value)),
                );
                None
            }
        }
    }
}

/// Where a field's problems come in a report: by section of the file, then by item.
fn file_order(field: &str) -> (u8, usize) {
    let section = field.split(['.', '[']).next().unwrap_or_default();
    let rank = match section {
        "ticks" => 0,
        "world" => 1,
        "teams" => 2,
        "units" => 3,
        _ => 4,
    };
    let index = field
        .strip_prefix(section)
        .and_then(|rest| rest.strip_prefix('['))
        .and_then(|rest| rest.split(']').next())
        .and_then(|index| index.parse().ok())
        .unwrap_or(usize::MAX);
    (rank, index)
}

/// A parameter value read as a cell: `(x, y)`, or the word `Random`.
fn as_cell(value: &ParamValue) -> Option<CellSpec> {
    match value {
        ParamValue::Cell(x, y) => Some(CellSpec::At(*x, *y)),
        ParamValue::Text(word) if word == "Random" => Some(CellSpec::random()),
        _ => None,
    }
}

/// How a parameter value reads in messages.
fn describe(value: &ParamValue) -> String {
    match value {
        ParamValue::Flag(value) => format!("`{value}`"),
        ParamValue::Integer(value) => format!("the number {value}"),
        ParamValue::Cell(x, y) => format!("the cell ({x}, {y})"),
        ParamValue::Text(text) => format!("the text \"{text}\""),
        ParamValue::List(items) => format!("a list of {} items", items.len()),
        ParamValue::Behavior(_) => "a behaviour".into(),
    }
}

/// The number `text` writes without leading zeros (`"0"`, `"17"`; not `"017"` or `""`).
fn canonical_number(text: &str) -> Option<u64> {
    let canonical = !text.is_empty()
        && text.bytes().all(|byte| byte.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if canonical { text.parse().ok() } else { None }
}

/// A name both groups make, if any: group `a` makes `a0..a{count_a}`, group `b` likewise.
fn shared_name(a: &str, count_a: u64, b: &str, count_b: u64) -> Option<String> {
    let (short, short_count, long, long_count) = if a.len() <= b.len() {
        (a, count_a, b, count_b)
    } else {
        (b, count_b, a, count_a)
    };
    let rest = long.strip_prefix(short)?;
    if rest.is_empty() {
        return (short_count > 0 && long_count > 0).then(|| format!("{short}0"));
    }
    // `long` + k is `short` + rest + k; the smallest such number is rest + "0".
    let smallest = canonical_number(&format!("{rest}0"))?;
    (smallest < short_count && long_count > 0).then(|| format!("{long}0"))
}

/// A label name that lives as long as the program, stored once however often it is used.
fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = names.get(name) {
        return known;
    }
    let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(name);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_canonical() {
        assert_eq!(canonical_number("0"), Some(0));
        assert_eq!(canonical_number("17"), Some(17));
        assert_eq!(canonical_number("017"), None);
        assert_eq!(canonical_number(""), None);
        assert_eq!(canonical_number("1a"), None);
    }

    #[test]
    fn groups_share_names_only_when_their_numbers_meet() {
        assert_eq!(shared_name("p", 5, "p", 1).as_deref(), Some("p0"));
        // p10 is made by both "p" (11 units) and "p1".
        assert_eq!(shared_name("p", 11, "p1", 1).as_deref(), Some("p10"));
        assert_eq!(shared_name("p1", 1, "p", 11).as_deref(), Some("p10"));
        assert_eq!(shared_name("p", 10, "p1", 1), None);
        assert_eq!(shared_name("p", 1000, "p0", 5), None);
        assert_eq!(shared_name("p", 1000, "q", 5), None);
        assert_eq!(shared_name("p", 1000, "px", 5), None);
    }

    #[test]
    fn labels_are_interned() {
        let a = intern(&String::from("flee"));
        let b = intern(&String::from("flee"));
        assert!(std::ptr::eq(a, b));
    }
}
