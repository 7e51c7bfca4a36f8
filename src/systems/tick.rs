//! The tick counter.

use bevy_ecs::resource::Resource;

/// The current tick: 0 before the first step, then 1, 2, … — each step advances it in Sense.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tick(pub u64);
