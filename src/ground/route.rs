//! `Route`: a closed patrol route, checked once when it is built.

use glam::IVec2;
use std::fmt;
use std::sync::Arc;

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
#[non_exhaustive]
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
