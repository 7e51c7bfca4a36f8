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
/// Kept small (20 bytes) because the movement system reads it for every unit every tick; a
/// patrol also keeps the waypoint after its target here, so that turning at a waypoint of a
/// two-waypoint route touches nothing else.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[require(PatrolRoute)]
pub struct Motion {
    pub(crate) target: IVec2,
    /// While patrolling: the waypoint after `target`.
    pub(crate) after: IVec2,
    /// While patrolling: the index of `target` in the route (at most [`Route::MAX_WAYPOINTS`]).
    /// While an interrupt pre-empts a patrol: the index the patrol resumes from.
    pub(crate) next: u16,
    pub(crate) mode: MotionMode,
}

/// What the movement system does with a unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum MotionMode {
    /// Nothing.
    #[default]
    Idle,
    /// Walk to `target`, then wake the behaviour.
    Walk,
    /// Patrol a two-waypoint route: at `target`, swap it with `after`.
    PatrolPair,
    /// Patrol the [`PatrolRoute`]: at `target`, head for `after` and look up the one after it.
    PatrolRoute,
}

impl Motion {
    /// The cell this unit is walking to, if it is walking.
    pub fn target(&self) -> Option<IVec2> {
        (self.mode != MotionMode::Idle).then_some(self.target)
    }

    /// True while the movement system patrols a route for this unit.
    pub fn is_patrolling(&self) -> bool {
        matches!(self.mode, MotionMode::PatrolPair | MotionMode::PatrolRoute)
    }

    pub(crate) fn stop(&mut self) {
        self.mode = MotionMode::Idle;
    }

    /// Walk to `target` (or stand still for `None`).
    pub(crate) fn walk(target: Option<IVec2>) -> Motion {
        match target {
            Some(target) => Motion {
                target,
                after: target,
                next: 0,
                mode: MotionMode::Walk,
            },
            None => Motion::default(),
        }
    }

    /// Patrol `route`, heading for its waypoint `next`.
    pub(crate) fn patrol(route: &Route, next: u16) -> Motion {
        let waypoints = route.waypoints();
        let next = usize::from(next) % waypoints.len();
        Motion {
            target: waypoints[next],
            after: waypoints[(next + 1) % waypoints.len()],
            next: next as u16,
            mode: if waypoints.len() == 2 {
                MotionMode::PatrolPair
            } else {
                MotionMode::PatrolRoute
            },
        }
    }
}

/// The route the movement system patrols for this unit, if a `patrol` handed it one: on
/// reaching a waypoint it heads for the next by itself, without waking the behaviour.
///
/// Read (never written) by the movement system only when a unit turns at a waypoint of a route
/// longer than two, so it lives apart from [`Motion`]. Kept while an interrupt (a stun)
/// pre-empts the patrol, so that the patrol resumes where it was.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct PatrolRoute {
    pub(crate) route: Option<Route>,
}

impl PatrolRoute {
    /// The route being patrolled, if any.
    pub fn route(&self) -> Option<&Route> {
        self.route.as_ref()
    }
}
