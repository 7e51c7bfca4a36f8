//! Scenario files: units, their starting cells and built-in behaviours, in RON.
//!
//! A file is parsed into [`ScenarioFile`] (the serde schema: what a designer writes), then
//! checked into a [`Scenario`] (what the simulator runs): every error names the file and, for
//! syntax, the line and column; for meaning, the path to the field.

mod error;
mod file;
mod plan;

pub use error::{Problem, ScenarioError};
pub use file::{BehaviorSpec, CellSpec, ScenarioFile, UnitSpec};
pub use plan::{BehaviorPlan, Scenario, UnitPlan};

/// The scenario `tickweave run` uses when given none: a skirmish between guards and scouts.
pub const DEFAULT_SCENARIO: &str = include_str!("../../assets/scenarios/skirmish.ron");

/// The name under which [`DEFAULT_SCENARIO`] appears in messages.
pub const DEFAULT_SCENARIO_ORIGIN: &str = "skirmish.ron (built in)";
