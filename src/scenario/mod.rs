//! Scenario files: units, generated groups of units and their behaviours, in RON.
//!
//! A file is parsed into [`ScenarioFile`] (the serde schema: what a designer writes), then
//! checked into a [`Scenario`] (what the simulator runs). A syntax error names the file, line
//! and column and shows the line; a problem of meaning names the path to the field
//! (`units[3].behavior.Patrol.waypoints`); a misspelt name comes with the closest known one.
//! Behaviours a game adds are registered in a [`BehaviorRegistry`] and written
//! `Named("name", (...))`. `docs/scenario-format.md` describes the format and its
//! [`limits`].

mod behavior;
mod budget;
mod check;
mod error;
mod file;
pub mod limits;
mod plan;
mod registry;
mod syntax;
mod template;
mod wording;

pub use behavior::{BehaviorPlan, NamedPlan};
pub use error::{Problem, ScenarioError};
pub use file::{
    AreaSpec, BehaviorSpec, CellSpec, GroupSpec, ParamValue, Params, ScenarioFile, Times, UnitSpec,
};
pub use plan::{Scenario, UnitPlan};
pub use registry::{Arg, Args, BehaviorRegistry, NamedBehavior, ParamDecl, ParamKind};
pub use template::GroupPlan;

pub(crate) use check::thousands;

/// The format reference; compiled here so that its Rust examples run as doctests.
#[doc = include_str!("../../docs/scenario-format.md")]
#[cfg(doctest)]
pub struct ScenarioFormat;

/// The scenario `tickweave run` uses when given none: a skirmish between guards and scouts.
pub const DEFAULT_SCENARIO: &str = include_str!("../../assets/scenarios/skirmish.ron");

/// The name under which [`DEFAULT_SCENARIO`] appears in messages.
pub const DEFAULT_SCENARIO_ORIGIN: &str = "skirmish.ron (built in)";
