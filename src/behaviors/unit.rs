//! Read and move the unit whose behaviour is being polled, from a hand-written future.
//!
//! These are the escape hatch for leaf futures written by hand, like a `Future` that moves its
//! unit one cell per poll and returns `Pending` until it arrives: such a future is simply polled
//! every tick. Each function panics when called outside a behaviour poll.
//!
//! ```
//! use std::future::Future;
//! use std::pin::Pin;
//! use std::task::{Context, Poll};
//! use tickweave::prelude::*;
//!
//! /// Walks east one cell per poll, `cells` times.
//! struct WalkEast { cells: u32 }
//!
//! impl Future for WalkEast {
//!     type Output = ();
//!     fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
//!         if self.cells == 0 {
//!             return Poll::Ready(());
//!         }
//!         self.cells -= 1;
//!         unit::set_position(unit::position() + IVec2::X);
//!         Poll::Pending
//!     }
//! }
//!
//! let mut sim = Simulation::new(0);
//! let walker = sim.spawn("walker", ivec2(0, 0), WalkEast { cells: 3 });
//! sim.run(2);
//! assert_eq!(sim.position(walker), Some(ivec2(2, 0)));
//! ```

use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use glam::IVec2;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

use super::ecs::{self, ReadError};
use crate::components::{Team, UnitId};
use crate::scope::{context, view};

/// The stable id of the unit being polled.
pub fn id() -> UnitId {
    context::with("unit::id", |unit| unit.id)
}

/// The entity of the unit being polled.
pub fn entity() -> Entity {
    context::with("unit::entity", |unit| unit.entity)
}

/// The current tick (the first step of a simulation is tick 1; tick 0 is the initial state).
pub fn tick() -> u64 {
    context::with("unit::tick", |unit| unit.tick)
}

/// Where the unit being polled stands.
pub fn position() -> IVec2 {
    context::with("unit::position", |unit| unit.position)
}

/// Moves the unit being polled to `cell` at once (written back when the poll ends).
pub fn set_position(cell: IVec2) {
    context::with("unit::set_position", |unit| unit.position = cell);
}

/// A clone of the polled unit's own component `C`, as it stood when Think began (see
/// [`ecs`] for the rules, and for other entities and resources).
pub fn get<C: Component + Clone>() -> Result<C, ReadError> {
    ecs::get::<C>(entity())
}

/// The team of the unit being polled, if it has one (as it stood when Think began).
pub fn team() -> Option<Team> {
    let entity = entity();
    context::with_world("unit::team", |world| world.get::<Team>(entity).copied())
}

/// A random number generator for the unit being polled, seeded from the simulation's seed and
/// the unit's id: the same seed gives the same numbers, whatever order units are polled in.
///
/// Each call starts the same sequence again, so create it once at the top of a behaviour and
/// keep it (it lives in the behaviour's future).
pub fn rng() -> Xoshiro256PlusPlus {
    let id = context::with("unit::rng", |unit| unit.id);
    let seed = view::with("unit::rng", |view| view.seed);
    // `seed_from_u64` scrambles its input, so a simple mix of the two keeps streams apart.
    Xoshiro256PlusPlus::seed_from_u64(seed ^ id.0.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}
