//! The data a unit is made of. Each file owns one component.

mod behavior;
mod motion;
mod position;
mod unit;

pub use behavior::{Behavior, BehaviorState, BoxedBehavior};
pub use motion::Motion;
pub use position::Position;
pub(crate) use unit::UnitIdAllocator;
pub use unit::{UnitId, UnitName};
