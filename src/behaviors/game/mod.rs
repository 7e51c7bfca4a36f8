//! Built-in game behaviours, composed from the vocabulary: wandering and guarding.

mod guard;
mod wander;

pub use crate::ground::Area;
pub use guard::{GuardParams, guard};
pub use wander::wander;
