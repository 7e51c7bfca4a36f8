//! The tick counter.

use bevy_ecs::resource::Resource;
use bevy_ecs::system::ResMut;

/// The current tick: 0 before the first step, then 1, 2, … — each step advances it in Sense.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tick(pub u64);

/// Sense: starts a new tick.
pub(crate) fn advance_tick(mut tick: ResMut<Tick>) {
    tick.0 += 1;
}
