//! The movement a parked `goto` handed to the movement system.

use bevy_ecs::component::Component;
use glam::IVec2;

/// Where the movement system steps this unit each tick, if anywhere.
///
/// A behaviour's leaf futures rebuild it on every poll (a `goto` that is dropped — the loser of a
/// race, a cancelled behaviour — simply stops asking), so it always reflects what the behaviour
/// is awaiting right now. Read it for a debug overlay; write it through behaviours, not directly.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Motion {
    pub(crate) target: Option<IVec2>,
}

impl Motion {
    /// The cell this unit is walking to, if it is walking.
    pub fn target(&self) -> Option<IVec2> {
        self.target
    }
}
