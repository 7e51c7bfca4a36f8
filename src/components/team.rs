//! Which side a unit is on.

use bevy_ecs::component::Component;
use std::fmt;

/// A unit's team. Signals can be sent to a whole team, and sensing filters by it.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Team(pub u32);

impl fmt::Display for Team {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "team {}", self.0)
    }
}
