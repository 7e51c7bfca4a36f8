//! The behaviour vocabulary: `async` building blocks a unit's behaviour awaits.
//!
//! Each acts on the unit whose behaviour is being polled, through the per-poll unit context.
//!
//! # Panics
//!
//! Awaiting (or calling) one anywhere else — polled by another executor, called from a
//! system — panics with a message that names the mistake. Inside a behaviour, that panic, like
//! any, faults only that behaviour.

mod chase;
pub mod ecs;
pub mod game;
mod goto;
mod join;
mod label;
mod lookout;
mod next_tick;
mod orders;
mod patrol;
mod race;
mod repeat;
mod sense;
mod signal;
mod timeout;
pub mod unit;
mod wait;
mod wait_until;

pub use crate::ground::{Route, RouteError};
pub use crate::scope::budget::POLL_BUDGET;
pub use chase::{Chase, chase};
pub use goto::{Goto, goto};
pub use join::{Join, join};
pub use label::{Label, label};
pub use lookout::{EnemyInSight, enemy_in_sight};
pub use next_tick::{NextTick, next_tick};
pub use orders::{despawn, despawn_and_tally, tally};
pub(crate) use patrol::WalkedPatrol;
pub use patrol::{Patrol, patrol};
pub use race::{Race, Winner, race};
pub use repeat::{Repeat, forever, repeat};
pub use sense::{Despawned, distance_to, nearest, nearest_enemy, position_of, units_within};
pub use signal::{Receive, Received, receive, send};
pub use timeout::{TimedOut, Timeout, timeout};
pub use wait::{Wait, wait};
pub use wait_until::{WaitUntil, wait_until};
