//! The movement a parked `goto` or `patrol` handed to the movement system.

use bevy_ecs::component::Component;
use glam::IVec2;

use crate::behaviors::Route;

/// Where the movement system steps this unit each tick, if anywhere.
///
/// A behaviour's leaf futures rebuild it on every poll (a `goto` that is dropped — the loser of a
/// race, a cancelled behaviour — simply stops asking), so it always reflects what the behaviour
/// is awaiting right now. Read it for a debug overlay; write it through behaviours, not directly.
///
/// Kept small (16 bytes): the movement system reads it for every unit every tick.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[require(PatrolRoute)]
pub struct Motion {
    pub(crate) target: Option<IVec2>,
    /// `target` is a waypoint of the [`PatrolRoute`]: on arrival, turn to the next one.
    pub(crate) patrolling: bool,
}

impl Motion {
    /// The cell this unit is walking to, if it is walking.
    pub fn target(&self) -> Option<IVec2> {
        self.target
    }

    /// True while the movement system patrols a route for this unit.
    pub fn is_patrolling(&self) -> bool {
        self.patrolling
    }

    pub(crate) fn stop(&mut self) {
        self.target = None;
        self.patrolling = false;
    }
}

/// The route the movement system patrols for this unit, if a `patrol` handed it one: on
/// reaching a waypoint it heads for the next by itself, without waking the behaviour.
///
/// Read only when a unit reaches a waypoint, so it lives apart from [`Motion`]. Kept while an
/// interrupt (a stun) pre-empts the patrol, so that the patrol resumes where it was.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct PatrolRoute {
    pub(crate) route: Option<Route>,
    /// Index of the waypoint being walked to.
    pub(crate) next: u32,
}

impl PatrolRoute {
    /// The route being patrolled, if any.
    pub fn route(&self) -> Option<&Route> {
        self.route.as_ref()
    }

    /// The waypoint being walked to, if patrolling.
    pub fn heading_for(&self) -> Option<IVec2> {
        let route = self.route.as_ref()?;
        route.waypoints().get(self.next as usize).copied()
    }
}
