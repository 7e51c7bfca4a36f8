//! A checked scenario, ready to spawn.

use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use glam::IVec2;
use std::collections::HashSet;
use std::path::Path;

use super::{BehaviorSpec, CellSpec, Problem, ScenarioError, ScenarioFile};
use crate::Simulation;
use crate::behaviors::game::{Area, GuardParams, guard, wander};
use crate::behaviors::{Route, RouteError, goto, patrol, wait};
use crate::components::{Behavior, Position, Team, UnitName};

/// A scenario whose every unit and behaviour has been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Name for summaries.
    pub name: String,
    /// Seed of the random number generator.
    pub seed: u64,
    /// How many ticks a run lasts by default.
    pub ticks: u64,
    /// Team names; [`Team`]`(i)` is `teams[i]`.
    pub teams: Vec<String>,
    /// Units in spawn order.
    pub units: Vec<UnitPlan>,
}

/// One checked unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitPlan {
    /// Unique name.
    pub name: String,
    /// Its team, if any.
    pub team: Option<Team>,
    /// Starting cell.
    pub position: IVec2,
    /// What it does.
    pub behavior: BehaviorPlan,
}

/// A checked built-in behaviour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BehaviorPlan {
    /// [`goto`] the cell.
    Goto(IVec2),
    /// [`patrol`] the route.
    Patrol(Route),
    /// [`wait`] this many ticks.
    Wait(u64),
    /// [`guard`] with these parameters.
    Guard(GuardParams),
    /// [`wander`] in the area, pausing up to the given ticks.
    Wander(Area, u64),
}

impl BehaviorPlan {
    /// A fresh behaviour running this plan.
    pub fn to_behavior(&self) -> Behavior {
        match self {
            BehaviorPlan::Goto(target) => Behavior::new(goto(*target)),
            BehaviorPlan::Patrol(route) => Behavior::new(patrol(route.clone())),
            BehaviorPlan::Wait(ticks) => Behavior::new(wait(*ticks)),
            BehaviorPlan::Guard(params) => Behavior::new(guard(params.clone())),
            BehaviorPlan::Wander(area, max_pause) => Behavior::new(wander(*area, *max_pause)),
        }
    }

    /// Whether it reads other units (so the simulation must build the spatial index).
    pub fn needs_sensing(&self) -> bool {
        matches!(self, BehaviorPlan::Guard(_))
    }
}

impl Scenario {
    /// Reads and checks the scenario file at `path`.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let bytes = std::fs::read(path).map_err(|source| ScenarioError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse_bytes(&bytes, &path.display().to_string())
    }

    /// Checks a scenario given as bytes; `origin` names it in errors (usually the file path).
    pub fn parse_bytes(bytes: &[u8], origin: &str) -> Result<Self, ScenarioError> {
        let text = std::str::from_utf8(bytes).map_err(|error| {
            let valid = &bytes[..error.valid_up_to()];
            // The prefix is valid UTF-8 by definition of `valid_up_to`.
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = line_and_column(valid);
            ScenarioError::NotUtf8 {
                origin: origin.to_owned(),
                line,
                column,
            }
        })?;
        Self::parse(text, origin)
    }

    /// Checks a scenario given as RON text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ScenarioError> {
        if text.trim().is_empty() {
            return Err(ScenarioError::Syntax {
                origin: origin.to_owned(),
                line: 1,
                column: 1,
                message: "the file is empty; a scenario looks like `Scenario(units: [...])`".into(),
            });
        }
        let file: ScenarioFile =
            ron_options()
                .from_str(text)
                .map_err(|error| ScenarioError::Syntax {
                    origin: origin.to_owned(),
                    line: error.span.start.line,
                    column: error.span.start.col,
                    message: error.code.to_string(),
                })?;
        Self::check(file, origin)
    }

    /// Checks a parsed scenario file, reporting every problem found.
    pub fn check(file: ScenarioFile, origin: &str) -> Result<Self, ScenarioError> {
        let mut problems = Vec::new();
        let mut names = HashSet::new();
        let mut teams = HashSet::new();
        for (index, team) in file.teams.iter().enumerate() {
            if !teams.insert(team.as_str()) {
                problems.push(Problem {
                    field: format!("teams[{index}]"),
                    message: format!("\"{team}\" is listed twice"),
                });
            }
        }
        let mut units = Vec::with_capacity(file.units.len());
        if file.units.is_empty() {
            problems.push(Problem {
                field: "units".into(),
                message: "a scenario needs at least one unit".into(),
            });
        }
        for (index, unit) in file.units.into_iter().enumerate() {
            if unit.name.is_empty() {
                problems.push(Problem {
                    field: format!("units[{index}].name"),
                    message: "a unit needs a non-empty name".into(),
                });
            } else if !names.insert(unit.name.clone()) {
                problems.push(Problem {
                    field: format!("units[{index}].name"),
                    message: format!("\"{}\" is already the name of another unit", unit.name),
                });
            }
            let team = match &unit.team {
                None => None,
                Some(name) => match file.teams.iter().position(|team| team == name) {
                    Some(team) => Some(Team(team as u32)),
                    None => {
                        problems.push(Problem {
                            field: format!("units[{index}].team"),
                            message: format!(
                                "\"{name}\" is not one of the scenario's teams ({})",
                                quoted_list(&file.teams)
                            ),
                        });
                        None
                    }
                },
            };
            let route = |waypoints: Vec<CellSpec>, variant: &str, problems: &mut Vec<Problem>| {
                Route::new(waypoints.into_iter().map(IVec2::from)).map_err(|error: RouteError| {
                    problems.push(Problem {
                        field: format!("units[{index}].behavior.{variant}.waypoints"),
                        message: error.to_string(),
                    });
                })
            };
            let behavior = match unit.behavior {
                BehaviorSpec::Goto { target } => Some(BehaviorPlan::Goto(target.into())),
                BehaviorSpec::Wait { ticks } => Some(BehaviorPlan::Wait(ticks)),
                BehaviorSpec::Patrol { waypoints } => route(waypoints, "Patrol", &mut problems)
                    .ok()
                    .map(BehaviorPlan::Patrol),
                BehaviorSpec::Guard {
                    waypoints,
                    sight,
                    patience,
                } => route(waypoints, "Guard", &mut problems).ok().map(|route| {
                    BehaviorPlan::Guard(GuardParams {
                        route,
                        sight,
                        patience,
                    })
                }),
                BehaviorSpec::Wander {
                    from,
                    to,
                    max_pause,
                } => Some(BehaviorPlan::Wander(
                    Area::new(from.into(), to.into()),
                    max_pause,
                )),
            };
            if let Some(behavior) = behavior {
                units.push(UnitPlan {
                    name: unit.name,
                    team,
                    position: unit.position.into(),
                    behavior,
                });
            }
        }
        if !problems.is_empty() {
            return Err(ScenarioError::Invalid {
                origin: origin.to_owned(),
                problems,
            });
        }
        Ok(Scenario {
            name: file.name.unwrap_or_else(|| file_stem(origin)),
            seed: file.seed,
            ticks: file.ticks,
            teams: file.teams,
            units,
        })
    }

    /// Spawns every unit into a world where tickweave is installed, in file order.
    pub fn spawn_into(&self, world: &mut World) -> Vec<Entity> {
        self.units
            .iter()
            .map(|unit| {
                let mut entity = world.spawn((
                    UnitName(unit.name.clone()),
                    Position(unit.position),
                    unit.behavior.to_behavior(),
                ));
                if let Some(team) = unit.team {
                    entity.insert(team);
                }
                entity.id()
            })
            .collect()
    }

    /// Whether any behaviour reads other units.
    pub fn needs_sensing(&self) -> bool {
        self.units.iter().any(|unit| unit.behavior.needs_sensing())
    }

    /// A new simulation seeded with `seed` holding this scenario's units, with sensing on if a
    /// behaviour needs it.
    pub fn simulation(&self, seed: u64) -> Simulation {
        let mut simulation = Simulation::new(seed);
        if self.needs_sensing() {
            simulation.enable_sensing();
        }
        self.spawn_into(simulation.world_mut());
        simulation
    }
}

/// The RON dialect of scenario files: `Some(..)` may be left out around optional values.
pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

fn quoted_list(names: &[String]) -> String {
    if names.is_empty() {
        return "it lists none; add `teams: [...]`".into();
    }
    names
        .iter()
        .map(|name| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn file_stem(origin: &str) -> String {
    Path::new(origin)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| origin.to_owned())
}

/// 1-based line and column just past the end of `text`.
fn line_and_column(text: &str) -> (usize, usize) {
    let line = text.matches('\n').count() + 1;
    let last_line = text.rsplit('\n').next().unwrap_or_default();
    (line, last_line.chars().count() + 1)
}
