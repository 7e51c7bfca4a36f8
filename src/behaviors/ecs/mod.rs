//! The game's own data, from inside a behaviour: read any component or resource, and change the
//! world through commands applied in Act.
//!
//! | | what it sees or does | when |
//! |---|---|---|
//! | [`get`], [`with`], [`has`] | a component of any entity (the unit's own: [`unit::entity`](super::unit::entity)) | as the world stood when Think began |
//! | [`resource`], [`with_resource`] | a resource | as the world stood when Think began |
//! | [`query`], [`query_filtered`] | a read-only `Query` over every entity | as the world stood when Think began |
//! | [`read()`] | the whole world, read only | as the world stood when Think began |
//! | [`insert`], [`remove`], [`modify`] | a component of any entity | in Act of this tick |
//! | [`modify_resource`], [`insert_resource`] | a resource | in Act of this tick |
//! | [`write_message`], [`trigger`] | a Bevy `Message`, an observer `Event` | in Act of this tick |
//! | [`spawn`], [`spawn_with`] | a new unit with a behaviour (first polled on the next tick) | in Act of this tick |
//! | [`despawn`] | any entity (a unit's behaviour is dropped) | in Act of this tick |
//! | [`apply`] | anything: a closure given `&mut World`, whose result the handle gives back | in Act of this tick |
//!
//! **Reads** never see a write of the same tick, whoever made it and whatever order units are
//! polled in: every unit reads the same world. A missing entity, component or resource is an
//! `Err(`[`ReadError`]`)`, never a panic. tickweave's own state that changes while Think polls
//! ([`Behavior`](crate::components::Behavior) with its activity stack,
//! [`Motion`](crate::components::Motion), the [`Executor`](crate::systems::Executor) and the
//! [`EventLog`](crate::events::EventLog)) is refused: read it between ticks. A unit's own cell
//! is [`unit::position`](super::unit::position) (which sees the unit's own moves at once); its
//! `Position` component, like everyone's, is where it stood when Think began.
//!
//! **Writes** are commands. Each is applied in Act of the tick it was made in, after the
//! movement system: by the unit id of the unit that made it, then in the order it made them —
//! never in poll order or entity order, so the same seed gives the same world. Each returns a
//! handle: drop it, or `.await` it to learn on the next tick whether the write was applied (an
//! `Err(`[`WriteError`]`)` if, say, its entity was gone by then); [`spawn`]'s handle gives the
//! new unit's id and entity. A write that fails is also reported as a
//! [`WriteFailed`](crate::events::UnitEvent::WriteFailed) event; it never panics.
//!
//! Writes allocate (each boxes its change); reads do not.
//!
//! ```
//! use bevy_ecs::prelude::*;
//! use tickweave::prelude::*;
//!
//! #[derive(Component, Clone, Copy, Debug, PartialEq)]
//! struct Cargo(u32);
//! #[derive(Resource, Default)]
//! struct Stockpile(u32);
//!
//! let mut sim = Simulation::new(0);
//! sim.world_mut().init_resource::<Stockpile>();
//! let porter = sim.spawn("porter", ivec2(0, 0), async {
//!     let me = unit::entity();
//!     ecs::insert(me, Cargo(5)); // in Act of tick 1
//!     next_tick().await;
//!     let Cargo(load) = ecs::get::<Cargo>(me)?; // tick 2: 5
//!     goto(ivec2(2, 0)).await;
//!     ecs::modify_resource::<Stockpile>(move |stock| stock.0 += load).await?;
//!     ecs::remove::<Cargo>(me);
//!     Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
//! });
//! sim.run(6);
//! assert_eq!(sim.world().resource::<Stockpile>().0, 5);
//! assert_eq!(sim.world().get::<Cargo>(porter), None);
//! assert_eq!(sim.world().get::<Behavior>(porter).unwrap().outcome(), Some(&Outcome::Completed));
//! ```

mod read;
mod reply;
mod write;

pub use crate::scope::WriteError;
pub use read::{ReadError, get, has, query, query_filtered, read, resource, with, with_resource};
pub use reply::{Applied, Pending, Spawned, Spawning};
pub use write::{
    apply, despawn, insert, insert_resource, modify, modify_resource, remove, spawn, spawn_with,
    trigger, write_message,
};
