//! The data a unit is made of. Each file owns one component.

mod activity;
mod behavior;
mod motion;
mod position;
mod team;
mod unit;

pub use activity::{Activity, ActivityFrame, ActivityStack};
pub use behavior::{Behavior, BehaviorOutput, BehaviorState, BoxedBehavior};
pub(crate) use behavior::{Detached, Walked, panic_message};
pub use motion::Motion;
pub use position::{Position, same_cell};
pub use team::Team;
pub(crate) use unit::decimal;
pub use unit::{UnitId, UnitName};
