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
}
