#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod behaviors;
pub mod components;
mod install;
pub mod prelude;
mod rng;
pub mod scenario;
mod simulation;
mod spawn;
pub mod systems;

pub use install::Tickweave;
pub use rng::SimRng;
pub use simulation::{Simulation, UnitView};
pub use spawn::spawn_unit;
