//! The movement a parked `goto` or `patrol` handed to the movement system.

use bevy_ecs::component::Component;
use glam::IVec2;

use super::same_cell;
use crate::ground::Route;

/// Where the movement system steps this unit each tick, if anywhere.
///
/// A behaviour's leaf futures rebuild it on every poll (a `goto` that is dropped — the loser of a
/// race, a cancelled behaviour — simply stops asking), so it always reflects what the behaviour
/// is awaiting right now. Read it for a debug overlay; write it through behaviours, not directly.
///
/// It is the two cells of the hand-written patrol state (16 bytes), because the movement system
/// reads it for every unit every tick: the target, and what comes after it —
///
/// - a patrol between two waypoints: the other waypoint, which it turns to by itself (the
///   route is these two cells and a number its [`Behavior`](super::Behavior) keeps: see
///   [`Behavior::patrol_route`](super::Behavior::patrol_route));
/// - a walk (`goto`, `chase`, a longer patrol's leg): the target again, where it stops;
/// - standing still: a reserved value that is neither.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Motion {
    pub(crate) target: IVec2,
    pub(crate) then: IVec2,
}

impl Default for Motion {
    fn default() -> Self {
        Motion::idle()
    }
}

impl Motion {
    /// `then` of a unit standing still. A walk to this cell (the grid's far corner) is stored
    /// with `then` one cell off; a patrol through it is not handed to the movement system.
    pub(crate) const IDLE: IVec2 = IVec2::MIN;

    /// The cell this unit is walking to, if it is walking.
    pub fn target(&self) -> Option<IVec2> {
        (!self.is_idle()).then_some(self.target)
    }

    /// True while the movement system patrols between two waypoints for this unit.
    pub fn is_patrolling(&self) -> bool {
        !self.stops_at_target()
    }

    /// True if the unit stands once on `target` (a walk's end, or standing still) rather than
    /// turning to `then` (a patrol). The corner's walk has `then` one cell off.
    #[inline]
    pub(crate) fn stops_at_target(&self) -> bool {
        same_cell(self.then, self.target) || same_cell(self.target, Self::IDLE)
    }

    /// True while the unit stands still.
    #[inline]
    pub(crate) fn is_idle(&self) -> bool {
        same_cell(self.then, Self::IDLE)
    }

    /// Stand still.
    pub(crate) const fn idle() -> Motion {
        Motion {
            target: Self::IDLE,
            then: Self::IDLE,
        }
    }

    /// Walk to `target` and stop there (or stand still for `None`).
    pub(crate) fn walk(target: Option<IVec2>) -> Motion {
        match target {
            // Stopping is `then == target`, except at the corner `IDLE` itself, where `then` sits
            // one cell off (see `stops_at_target`).
            Some(Self::IDLE) => Motion {
                target: Self::IDLE,
                then: Self::IDLE + IVec2::X,
            },
            Some(target) => Motion {
                target,
                then: target,
            },
            None => Motion::idle(),
        }
    }

    /// Patrol a two-waypoint `route`, heading for its waypoint `next` (0 or 1). `None` if the
    /// route cannot be patrolled by the movement system alone: longer, or through the corner.
    pub(crate) fn patrol(route: &Route, next: u16) -> Option<Motion> {
        let &[first, second] = route.waypoints() else {
            return None;
        };
        if first == Self::IDLE || second == Self::IDLE {
            return None;
        }
        let (target, then) = if next == 0 {
            (first, second)
        } else {
            (second, first)
        };
        Some(Motion { target, then })
    }

    pub(crate) fn stop(&mut self) {
        *self = Motion::idle();
    }
}
