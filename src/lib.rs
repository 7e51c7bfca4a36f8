#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod behaviors;
pub mod components;
pub mod control;
mod install;
mod outcome;
pub mod prelude;
mod rng;
pub mod scenario;
mod simulation;
mod spawn;
pub mod systems;

pub use install::Tickweave;
pub use outcome::{BehaviorFinished, Outcome};
pub use rng::{SimRng, SimSeed};
pub use simulation::{Simulation, UnitView};
pub use spawn::spawn_unit;
