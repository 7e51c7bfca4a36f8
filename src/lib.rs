#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod behaviors;
mod checksum;
pub mod components;
pub mod control;
pub mod events;
pub mod ground;
mod install;
mod outcome;
#[cfg(feature = "bevy_plugin")]
mod plugin;
pub mod prelude;
mod printable;
mod rng;
pub mod scenario;
mod scope;
mod simulation;
mod spawn;
mod suggest;
pub mod systems;
mod type_names;

pub use checksum::{Checksum, checksum};
pub use install::Tickweave;
pub use outcome::{BehaviorFinished, Outcome};
#[cfg(feature = "bevy_plugin")]
pub use plugin::TickweavePlugin;
pub use rng::SimRng;
pub use simulation::{Simulation, UnitView};
pub use spawn::spawn_unit;
