//! A checked scenario, ready to spawn.

use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use glam::IVec2;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use super::check::{Checked, check};
use super::limits::MAX_FILE_BYTES;
use super::{BehaviorPlan, BehaviorRegistry, GroupPlan, ScenarioError, ScenarioFile};
use crate::Simulation;
use crate::behaviors::WalkedPatrol;
use crate::behaviors::game::Area;
use crate::components::{Behavior, Motion, Position, Team, UnitId, UnitName};
use crate::systems::{Executor, UnitIndex};

/// A scenario whose every unit and behaviour has been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Name for summaries.
    pub name: String,
    /// Seed of the random number generator.
    pub seed: u64,
    /// How many ticks a run lasts by default.
    pub ticks: u64,
    /// The rectangle every cell of the file lies in.
    pub world: Area,
    /// Team names; [`Team`]`(i)` is `teams[i]`.
    pub teams: Vec<String>,
    /// The listed units, in spawn order; they are spawned first.
    pub units: Vec<UnitPlan>,
    /// The generated groups, spawned after the listed units, group by group.
    pub groups: Vec<GroupPlan>,
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

impl Scenario {
    /// Reads and checks the scenario file at `path`, with the built-in behaviours only.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        Self::load_with(path, &BehaviorRegistry::new())
    }

    /// Reads and checks the scenario file at `path`; `Named` behaviours come from `registry`.
    pub fn load_with(path: &Path, registry: &BehaviorRegistry) -> Result<Self, ScenarioError> {
        let read = |source| ScenarioError::Read {
            path: path.to_path_buf(),
            source,
        };
        // One byte past the limit tells a file at the limit from a larger one, without reading
        // more of a huge (or endless) file.
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(read)?;
        Self::parse_bytes_with(&bytes, &path.display().to_string(), registry)
    }

    /// Checks a scenario given as bytes; `origin` names it in errors (usually the file path).
    pub fn parse_bytes(bytes: &[u8], origin: &str) -> Result<Self, ScenarioError> {
        Self::parse_bytes_with(bytes, origin, &BehaviorRegistry::new())
    }

    /// [`parse_bytes`](Self::parse_bytes), with `Named` behaviours from `registry`.
    pub fn parse_bytes_with(
        bytes: &[u8],
        origin: &str,
        registry: &BehaviorRegistry,
    ) -> Result<Self, ScenarioError> {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(ScenarioError::TooLarge {
                origin: origin.to_owned(),
            });
        }
        Self::check_with(ScenarioFile::parse_bytes(bytes, origin)?, origin, registry)
    }

    /// Checks a scenario given as RON text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ScenarioError> {
        Self::parse_with(text, origin, &BehaviorRegistry::new())
    }

    /// [`parse`](Self::parse), with `Named` behaviours from `registry`.
    pub fn parse_with(
        text: &str,
        origin: &str,
        registry: &BehaviorRegistry,
    ) -> Result<Self, ScenarioError> {
        Self::check_with(ScenarioFile::parse(text, origin)?, origin, registry)
    }

    /// Checks a parsed scenario file, reporting every problem found.
    pub fn check(file: ScenarioFile, origin: &str) -> Result<Self, ScenarioError> {
        Self::check_with(file, origin, &BehaviorRegistry::new())
    }

    /// [`check`](Self::check), with `Named` behaviours from `registry`.
    pub fn check_with(
        file: ScenarioFile,
        origin: &str,
        registry: &BehaviorRegistry,
    ) -> Result<Self, ScenarioError> {
        let Checked {
            world,
            units,
            groups,
        } = check(&file, registry).map_err(|problems| ScenarioError::Invalid {
            origin: origin.to_owned(),
            problems,
        })?;
        Ok(Scenario {
            name: file.name.unwrap_or_else(|| file_stem(origin)),
            seed: file.seed,
            ticks: file.ticks,
            world,
            teams: file.teams,
            units,
            groups,
        })
    }

    /// How many units it spawns: the listed ones and every group's.
    pub fn unit_count(&self) -> u64 {
        self.units.len() as u64 + self.groups.iter().map(|group| group.count).sum::<u64>()
    }

    /// The memory its units will need once spawned, in bytes, as estimated (from its counts
    /// and behaviours) when it was checked; at most
    /// [`MAX_MEMORY`](super::limits::MAX_MEMORY). A program that runs several simulations of
    /// it at once (`tickweave sweep`) needs this much for each.
    pub fn memory_estimate(&self) -> u64 {
        super::budget::estimate(&self.units, &self.groups)
    }

    /// Every unit in spawn order, the groups' drawn as they are asked for.
    pub fn all_units(&self) -> impl Iterator<Item = UnitPlan> + '_ {
        self.units
            .iter()
            .cloned()
            .chain(self.groups.iter().flat_map(GroupPlan::units))
    }

    /// For each behaviour used (a node of a behaviour expression, by the name a file writes:
    /// `Patrol`, `Sequence`, a registered name), how many units use it.
    pub fn behavior_counts(&self) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        let mut add = |plan: &BehaviorPlan, units: u64| {
            let mut kinds = Vec::new();
            plan.visit(&mut |node| kinds.push(node.kind().to_owned()));
            kinds.sort();
            kinds.dedup();
            for kind in kinds {
                *counts.entry(kind).or_insert(0) += units;
            }
        };
        for unit in &self.units {
            add(&unit.behavior, 1);
        }
        for group in &self.groups {
            // Every unit of a group has the same behaviours; only cells differ.
            add(&group.unit(0).behavior, group.count);
        }
        counts
    }

    /// Spawns every unit into a world where tickweave is installed, in order: the listed units,
    /// then each group's. Returns their entities in that order.
    pub fn spawn_into(&self, world: &mut World) -> Vec<Entity> {
        let first = world
            .get_resource::<UnitIndex>()
            .map_or(UnitId(0), UnitIndex::next_id);
        let mut entities = Vec::with_capacity(self.unit_count() as usize);
        if let Some(mut index) = world.get_resource_mut::<UnitIndex>() {
            index.reserve(self.unit_count() as usize);
        }
        // Between ticks, a two-waypoint patrol is handed to the movement system as it spawns.
        // Spawned while a tick is under way, after Think, it would be walked before its first
        // poll: it spawns as `patrol` does.
        let mut walked_at_spawn = false;
        if let Some(mut executor) = world.get_resource_mut::<Executor>() {
            executor.queue.reserve(self.unit_count() as usize);
            walked_at_spawn = !executor.mid_tick;
        }
        let spawned = |plan, position| spawned_behavior(plan, position, first, walked_at_spawn);
        for unit in &self.units {
            let (behavior, motion) = spawned(unit.behavior.clone(), unit.position);
            let mut entity = world.spawn((
                UnitName::from(&unit.name),
                Position(unit.position),
                behavior,
                motion,
            ));
            if let Some(team) = unit.team {
                entity.insert(team);
            }
            entities.push(entity.id());
        }
        for group in &self.groups {
            // Named in place, never through a `String`: a million units are spawned at once.
            let bundle = move |index: u64| {
                let (position, behavior) = group.draw(index);
                let (behavior, motion) = spawned(behavior, position);
                (
                    UnitName::numbered(&group.name, index),
                    Position(position),
                    behavior,
                    motion,
                )
            };
            // One batch per group: its units share an archetype, so each is written in place.
            let indices = 0..group.count;
            match group.team {
                Some(team) => {
                    entities.extend(world.spawn_batch(indices.map(|index| (bundle(index), team))))
                }
                None => entities.extend(world.spawn_batch(indices.map(bundle))),
            }
        }
        entities
    }

    /// Whether any behaviour reads other units.
    pub fn needs_sensing(&self) -> bool {
        self.units.iter().any(|unit| unit.behavior.needs_sensing())
            || self
                .groups
                .iter()
                .any(|group| group.unit(0).behavior.needs_sensing())
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

/// The behaviour a unit spawned on `position` runs `plan` with, and its motion. If `walked`, a
/// two-waypoint patrol is handed to the movement system as it spawns: its future is then empty
/// (no allocation, 48 bytes a unit fewer), and it runs as `patrol` would.
fn spawned_behavior(
    plan: BehaviorPlan,
    position: IVec2,
    first: UnitId,
    walked: bool,
) -> (Behavior, Motion) {
    if walked
        && let BehaviorPlan::Patrol(route) = &plan
        && let Some(spawned) = WalkedPatrol::spawned(route, position)
    {
        return spawned;
    }
    (
        Behavior::from_boxed(plan.into_future(first)),
        Motion::idle(),
    )
}

fn file_stem(origin: &str) -> String {
    Path::new(origin)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| origin.to_owned())
}
