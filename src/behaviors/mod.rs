//! The behaviour vocabulary: `async` building blocks a unit's behaviour awaits.
//!
//! Each acts on the unit whose behaviour is being polled, through the per-poll unit context;
//! awaiting one anywhere else panics with a message that names the mistake.

mod context;
mod goto;
mod patrol;
pub mod unit;
mod wait;

pub(crate) use context::{UnitContext, enter};
pub use goto::{Goto, goto};
pub use patrol::{Patrol, Route, RouteError, patrol};
pub use wait::{Wait, wait};
