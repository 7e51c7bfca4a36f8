//! `patrol`: walk a closed route of waypoints forever.

use glam::IVec2;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::context::NativePatrol;
use super::{context, trail};
use crate::components::{Activity, Motion};
use crate::events::{UnitEvent, emit};
use crate::systems::grid_distance;

/// A closed patrol route: at least two waypoints, each different from the next (the last
/// waypoint's next is the first).
///
/// Validation happens here, once, so a patrol can never loop inside a poll without moving.
///
/// ```
/// # use tickweave::prelude::*;
/// assert!(Route::new([ivec2(-5, 0), ivec2(5, 0)]).is_ok());
/// assert_eq!(
///     Route::new([ivec2(1, 1)]).unwrap_err().to_string(),
///     "a patrol route needs at least 2 waypoints, found 1"
/// );
/// ```
///
/// Cloning a route is cheap: the waypoints are shared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route(Arc<[IVec2]>);

/// Why a list of waypoints is not a [`Route`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// Fewer than two waypoints: there is nothing to patrol between.
    TooFewWaypoints {
        /// How many waypoints were given.
        found: usize,
    },
    /// More than [`Route::MAX_WAYPOINTS`] waypoints.
    TooManyWaypoints {
        /// How many waypoints were given.
        found: usize,
    },
    /// Waypoint `index` equals the one after it: the patrol would arrive without moving.
    RepeatedWaypoint {
        /// Index of the first of the two equal waypoints.
        index: usize,
        /// Index of the second (0 when `index` is the last waypoint).
        next: usize,
        /// The repeated cell.
        cell: IVec2,
    },
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::TooFewWaypoints { found } => {
                write!(
                    f,
                    "a patrol route needs at least 2 waypoints, found {found}"
                )
            }
            RouteError::TooManyWaypoints { found } => write!(
                f,
                "a patrol route has at most {} waypoints, found {found}",
                Route::MAX_WAYPOINTS
            ),
            RouteError::RepeatedWaypoint { index, next, cell } => write!(
                f,
                "waypoints {index} and {next} are both ({}, {}): consecutive waypoints must \
                 differ (the route is closed, so the last is followed by the first)",
                cell.x, cell.y
            ),
        }
    }
}

impl std::error::Error for RouteError {}

impl Route {
    /// The most waypoints a route may have.
    pub const MAX_WAYPOINTS: usize = u16::MAX as usize;

    /// Checks and builds a route.
    pub fn new(waypoints: impl IntoIterator<Item = IVec2>) -> Result<Self, RouteError> {
        let waypoints: Arc<[IVec2]> = waypoints.into_iter().collect();
        if waypoints.len() < 2 {
            return Err(RouteError::TooFewWaypoints {
                found: waypoints.len(),
            });
        }
        if waypoints.len() > Self::MAX_WAYPOINTS {
            return Err(RouteError::TooManyWaypoints {
                found: waypoints.len(),
            });
        }
        for index in 0..waypoints.len() {
            let next = (index + 1) % waypoints.len();
            if waypoints[index] == waypoints[next] {
                return Err(RouteError::RepeatedWaypoint {
                    index,
                    next,
                    cell: waypoints[index],
                });
            }
        }
        Ok(Route(waypoints))
    }

    /// The waypoints, in patrol order.
    pub fn waypoints(&self) -> &[IVec2] {
        &self.0
    }

    /// Identifies this route's shared waypoints (equal for clones of one route).
    pub(crate) fn id(&self) -> usize {
        Arc::as_ptr(&self.0) as *const IVec2 as usize
    }
}

impl<const N: usize> TryFrom<[IVec2; N]> for Route {
    type Error = RouteError;
    fn try_from(waypoints: [IVec2; N]) -> Result<Self, RouteError> {
        Route::new(waypoints)
    }
}

impl TryFrom<Vec<IVec2>> for Route {
    type Error = RouteError;
    fn try_from(waypoints: Vec<IVec2>) -> Result<Self, RouteError> {
        Route::new(waypoints)
    }
}

/// Walks `route` forever: a [`goto`](super::goto) to each waypoint in order, then back to the
/// first. It starts with the first waypoint, wherever the unit stands.
///
/// Reaching a waypoint and setting off for the next happen in the same tick, so no tick is lost
/// at a waypoint. A route of two waypoints is handed whole to the movement system, which turns
/// at each by itself: the behaviour is parked for good and costs no poll at all (if it is polled
/// again, say it races a timer, it picks up where the movement system got to). A longer route is
/// walked a leg at a time, like a `goto`: one poll per waypoint.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let route = Route::new([ivec2(-2, 0), ivec2(2, 0)])?;
/// let unit = sim.spawn("guard", ivec2(0, 0), patrol(route));
/// let mut xs = vec![];
/// for _ in 0..8 {
///     sim.step();
///     xs.push(sim.position(unit).unwrap().x);
/// }
/// assert_eq!(xs, [-1, -2, -1, 0, 1, 2, 1, 0]);
/// # Ok::<(), RouteError>(())
/// ```
pub fn patrol(route: Route) -> Patrol {
    Patrol { route, next: 0 }
}

/// The future returned by [`patrol`]; it never completes.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patrol {
    route: Route,
    next: usize,
}

impl Patrol {
    /// The route being patrolled.
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// Index of the waypoint the unit is walking to.
    pub fn next_waypoint(&self) -> usize {
        self.next
    }
}

impl Future for Patrol {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let id = this.route.id();
        context::with("patrol", |unit| {
            match unit.native_patrol {
                // The movement system is walking this route: catch up with it.
                Some(native) if native.route == id => this.next = usize::from(native.next),
                _ => {
                    let cell = this.route.0[this.next];
                    if unit.position == cell {
                        let index = this.next;
                        emit(unit, UnitEvent::WaypointReached { index, cell });
                        // At the waypoint: head for the next one, which differs (checked by
                        // `Route::new`), so the patrol cannot loop without moving.
                        this.next = (this.next + 1) % this.route.0.len();
                    }
                }
            }
            unit.requests.park = true;
            if Motion::patrol(&this.route, 0).is_some() {
                // Two waypoints: the movement system turns between them by itself.
                if unit.native_patrol.is_none_or(|native| native.route != id) {
                    unit.patrol_route = Some(this.route.clone());
                }
                unit.requests.move_target = None;
                unit.requests.patrol = Some(NativePatrol {
                    route: id,
                    next: this.next as u16,
                });
            } else {
                // A longer route, a leg at a time: like a `goto`, woken on arriving.
                let target = this.route.0[this.next];
                let steps = u64::from(grid_distance(unit.position, target));
                unit.requests.move_target = Some(target);
                unit.requests.wake_at = unit.requests.wake_at.min(unit.clock + steps);
            }
            trail::leaf(Activity::Patrol);
            Poll::Pending
        })
    }
}
