//! The scenario file schema, as serde reads and writes it: what a designer writes.
//!
//! `docs/scenario-format.md` is the reference, with an example of every construct.

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A scenario file as written:
///
/// ```ron
/// Scenario(
///     name: "game_units",
///     seed: 0,
///     ticks: 30,
///     units: [
///         Unit(name: "u0", position: (0, 0), behavior: Patrol(waypoints: [(-5, 0), (5, 0)])),
///         Unit(name: "u1", position: (0, 0), behavior: Goto(target: (12, 0))),
///     ],
/// )
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Scenario", deny_unknown_fields)]
pub struct ScenarioFile {
    /// A name for summaries; defaults to the file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Seed of the simulation's random number generator and of the groups' layout (default 0).
    #[serde(default)]
    pub seed: u64,
    /// How many ticks `tickweave run` runs (default 100).
    #[serde(default = "default_ticks")]
    pub ticks: u64,
    /// The rectangle every cell the file names must lie in (default: the largest allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub world: Option<AreaSpec>,
    /// Team names; a unit's `team` must be one of them. Signals and sensing tell teams apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
    /// The units listed one by one, spawned first, in this order (so unit ids follow it).
    #[serde(default)]
    pub units: Vec<UnitSpec>,
    /// Generated groups of units, spawned after `units`, group by group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupSpec>,
}

fn default_ticks() -> u64 {
    100
}

/// One unit of a scenario file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Unit", deny_unknown_fields)]
pub struct UnitSpec {
    /// Unique name, used in output.
    pub name: String,
    /// The team's name, from the scenario's `teams`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Starting cell.
    pub position: CellSpec,
    /// What the unit does.
    pub behavior: BehaviorSpec,
}

/// `count` units made from one template, named `name0`, `name1`, ... Every `Random` cell of the
/// template is drawn from `area`, separately for each unit, from the scenario's seed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Group", deny_unknown_fields)]
pub struct GroupSpec {
    /// The units' names start with this and end with their number in the group, from 0.
    pub name: String,
    /// How many units.
    pub count: u64,
    /// The team's name, from the scenario's `teams`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Where `Random` cells are drawn from.
    pub area: AreaSpec,
    /// Starting cell of every unit (default `Random`).
    #[serde(default = "random_cell")]
    pub position: CellSpec,
    /// What each unit does; `Random` cells are drawn anew for each unit.
    pub behavior: BehaviorSpec,
}

/// A rectangle of cells between two corners (included), written `(from: (x, y), to: (x, y))`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Area", deny_unknown_fields)]
pub struct AreaSpec {
    /// One corner.
    pub from: CellSpec,
    /// The opposite corner.
    pub to: CellSpec,
}

/// A grid cell written `(x, y)`, or `Random` in a group: a cell of the group's area drawn for
/// each unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "CellText", into = "CellText")]
pub enum CellSpec {
    /// The cell `(x, y)`.
    At(i32, i32),
    /// A cell drawn at random from the group's area.
    Random,
}

/// How many times a `Repeat` runs its body: a number, or `Forever`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "TimesText", into = "TimesText")]
pub enum Times {
    /// This many times.
    Count(u64),
    /// Without end.
    Forever,
}

/// A group's units start on cells drawn at random unless told otherwise.
fn random_cell() -> CellSpec {
    CellSpec::Random
}

// How a cell and a count are written. Either is a number (or a pair) or one bare word, which
// RON reads as a unit variant: untagged enums need a variant per form, so the word is an enum
// of one variant of its own. These stay private; the public enums above are what code uses.

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(
    untagged,
    expecting = "expected a cell `(x, y)` of two whole numbers, or `Random` in a group"
)]
enum CellText {
    At(i32, i32),
    Random(RandomWord),
}

#[derive(Clone, Copy, Serialize, Deserialize)]
enum RandomWord {
    Random,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(untagged, expecting = "expected a number of times, or `Forever`")]
enum TimesText {
    Count(u64),
    Forever(ForeverWord),
}

#[derive(Clone, Copy, Serialize, Deserialize)]
enum ForeverWord {
    Forever,
}

impl From<CellText> for CellSpec {
    fn from(text: CellText) -> Self {
        match text {
            CellText::At(x, y) => CellSpec::At(x, y),
            CellText::Random(RandomWord::Random) => CellSpec::Random,
        }
    }
}

impl From<CellSpec> for CellText {
    fn from(cell: CellSpec) -> Self {
        match cell {
            CellSpec::At(x, y) => CellText::At(x, y),
            CellSpec::Random => CellText::Random(RandomWord::Random),
        }
    }
}

impl From<TimesText> for Times {
    fn from(text: TimesText) -> Self {
        match text {
            TimesText::Count(count) => Times::Count(count),
            TimesText::Forever(ForeverWord::Forever) => Times::Forever,
        }
    }
}

impl From<Times> for TimesText {
    fn from(times: Times) -> Self {
        match times {
            Times::Count(count) => TimesText::Count(count),
            Times::Forever => TimesText::Forever(ForeverWord::Forever),
        }
    }
}

/// A behaviour expression: a built-in behaviour with its parameters, a composition of
/// behaviours, or a behaviour the game registered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Behavior", deny_unknown_fields)]
pub enum BehaviorSpec {
    /// Walk to `target`, then finish.
    Goto {
        /// The cell to walk to.
        target: CellSpec,
    },
    /// Walk the closed route through `waypoints` forever.
    Patrol {
        /// At least two, each different from the next.
        waypoints: Vec<CellSpec>,
    },
    /// Stand still for `ticks` ticks, then finish.
    Wait {
        /// How long.
        ticks: u64,
    },
    /// Patrol `waypoints`; chase a unit of another team that comes within `sight` steps until
    /// caught (despawned) or out of sight for `patience` ticks in a row; resume the patrol.
    Guard {
        /// The patrol route: at least two, each different from the next.
        waypoints: Vec<CellSpec>,
        /// How far the guard sees, in steps.
        sight: u32,
        /// Ticks in a row a chased unit may stay out of sight.
        patience: u64,
    },
    /// Walk to random cells of the rectangle between `from` and `to` (corners included),
    /// pausing 0 to `max_pause` ticks at each, forever.
    Wander {
        /// One corner.
        from: CellSpec,
        /// The opposite corner.
        to: CellSpec,
        /// The longest pause at a cell.
        #[serde(default)]
        max_pause: u64,
    },
    /// Walk after the unit named `target` until next to it (or until it is gone).
    Chase {
        /// The name of a unit of the scenario.
        target: String,
    },
    /// Each behaviour in turn, the next starting as the previous finishes.
    Sequence(Vec<BehaviorSpec>),
    /// `body` again and again, `times` times or `Forever`.
    Repeat {
        /// A number, or `Forever`.
        times: Times,
        /// What is repeated.
        body: Box<BehaviorSpec>,
    },
    /// Every branch at once; the first to finish wins and the others stop (ties go to the
    /// earliest branch).
    Race(Vec<BehaviorSpec>),
    /// Every branch at once, until all have finished.
    Join(Vec<BehaviorSpec>),
    /// `body`, given `ticks` ticks to finish; if it does not, it stops and `otherwise` (if
    /// given) runs.
    Timeout {
        /// The ticks `body` is given.
        ticks: u64,
        /// What is timed.
        body: Box<BehaviorSpec>,
        /// What runs when time is up.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        otherwise: Option<Box<BehaviorSpec>>,
    },
    /// `body`, shown as `name` in the unit's activity stack.
    Label {
        /// The name shown.
        name: String,
        /// What is labelled.
        body: Box<BehaviorSpec>,
    },
    /// A behaviour the game registered under this name, with its parameters:
    /// `Named("flee", (from: (0, 0), distance: 5))`.
    Named(String, #[serde(default)] Params),
}

/// The parameters of a `Named` behaviour, in the order written: `(name: value, ...)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, ParamValue)>);

/// One parameter value of a `Named` behaviour, as written. The registered behaviour declares
/// which kind each parameter must be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    untagged,
    expecting = "expected a parameter value: a whole number, `true` or `false`, a cell `(x, y)`, \
                 text, a list `[...]` or a behaviour (is a behaviour given here misspelt?)"
)]
pub enum ParamValue {
    /// `true` or `false`.
    Flag(bool),
    /// A whole number.
    Integer(i64),
    /// `(x, y)`.
    Cell(i32, i32),
    /// `"text"` or a bare word such as `Random`.
    Text(String),
    /// `[value, ...]`.
    List(Vec<ParamValue>),
    /// A behaviour expression.
    Behavior(Box<BehaviorSpec>),
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Params {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ParamsVisitor)
    }
}

struct ParamsVisitor;

impl<'de> Visitor<'de> for ParamsVisitor {
    type Value = Params;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("parameters `(name: value, ...)`, or `()` for none")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Params, E> {
        Ok(Params::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Params, A::Error> {
        let mut params = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            params.push((name, map.next_value()?));
        }
        Ok(Params(params))
    }
}
