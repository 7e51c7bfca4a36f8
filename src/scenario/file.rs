//! The scenario file schema, as serde reads and writes it.

use serde::{Deserialize, Serialize};

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
    #[serde(default)]
    pub name: Option<String>,
    /// Seed of the simulation's random number generator (default 0).
    #[serde(default)]
    pub seed: u64,
    /// How many ticks `tickweave run` runs (default 100).
    #[serde(default = "default_ticks")]
    pub ticks: u64,
    /// Team names; a unit's `team` must be one of them. Signals and sensing tell teams apart.
    #[serde(default)]
    pub teams: Vec<String>,
    /// The units, spawned in this order (so unit ids follow it).
    pub units: Vec<UnitSpec>,
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
    #[serde(default)]
    pub team: Option<String>,
    /// Starting cell.
    pub position: CellSpec,
    /// What the unit does.
    pub behavior: BehaviorSpec,
}

/// A grid cell written `(x, y)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Cell")]
pub struct CellSpec(pub i32, pub i32);

impl From<CellSpec> for glam::IVec2 {
    fn from(cell: CellSpec) -> Self {
        glam::IVec2::new(cell.0, cell.1)
    }
}

/// A built-in behaviour with its parameters.
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
}
