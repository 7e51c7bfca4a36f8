//! `Route`: a closed patrol route, checked once when it is built.

use glam::IVec2;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

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
/// Cloning a route is cheap: two waypoints are copied, more are shared. Routes are equal if
/// their waypoints are.
#[derive(Clone)]
pub struct Route(Waypoints);

/// A route's waypoints: two in place, since most patrols have two and a million units should
/// not each allocate theirs, or more behind a shared pointer.
#[derive(Clone)]
enum Waypoints {
    /// Two waypoints, and a serial number telling this route from others with the same two (see
    /// [`Route::id`]).
    Two {
        cells: [IVec2; 2],
        serial: Serial,
    },
    Many(Arc<[IVec2]>),
}

/// The serial number of a route of two waypoints: made one after another (31 bits, wrapping,
/// never 0), and a last bit that says which of the two cells is the first waypoint, so that a
/// route handed to the movement system is its two cells, in either order, and this number (see
/// [`Route::walked`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Serial(NonZeroU32);

/// The number of the next route of two waypoints.
static NEXT_SERIAL: AtomicU32 = AtomicU32::new(1);

impl Serial {
    /// The next number, for a route whose first waypoint is `cells[0]`.
    fn next(cells: &[IVec2; 2]) -> Serial {
        let count = loop {
            let count = NEXT_SERIAL.fetch_add(1, Ordering::Relaxed) & (u32::MAX >> 1);
            if count != 0 {
                break count;
            }
        };
        let first_is_greater = pack(cells[0]) > pack(cells[1]);
        Serial(NonZeroU32::new(count << 1 | u32::from(first_is_greater)).expect("count is not 0"))
    }

    /// `a` and `b` in the route's order.
    fn order(self, a: IVec2, b: IVec2) -> [IVec2; 2] {
        if self.index_of(a, b) == 0 {
            [a, b]
        } else {
            [b, a]
        }
    }

    /// The index of `a` in the route of two waypoints numbered this whose other cell is `b`.
    #[inline]
    pub(crate) fn index_of(self, a: IVec2, b: IVec2) -> u16 {
        let first_is_greater = self.0.get() & 1 == 1;
        u16::from((pack(a) > pack(b)) != first_is_greater)
    }

    /// [`Route::id`] of the route of two waypoints numbered this through `a` and `b`, in either
    /// order: a hash of the cells alike both ways, since the number says which comes first.
    #[inline]
    pub(crate) fn route_id(self, a: IVec2, b: IVec2) -> usize {
        let (a, b) = (pack(a), pack(b));
        let mixed =
            (a.wrapping_add(b) ^ (a ^ b).rotate_left(17)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // Odd, so never the (even) address of a `Many` route's waypoints.
        (u64::from(self.0.get()) << 32 | (mixed >> 32) | 1) as usize
    }
}

/// A cell as one number, to order cells.
fn pack(cell: IVec2) -> u64 {
    (cell.x as u32 as u64) << 32 | cell.y as u32 as u64
}

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
        let mut waypoints = waypoints.into_iter();
        let (first, second) = (waypoints.next(), waypoints.next());
        if let (Some(first), Some(second)) = (first, second)
            && let Some(third) = waypoints.next()
        {
            let all = [first, second, third].into_iter().chain(waypoints);
            return Self::check(Waypoints::Many(all.collect()));
        }
        match (first, second) {
            // Clones share the serial number; routes made one after another differ.
            (Some(first), Some(second)) => Self::check(Waypoints::Two {
                cells: [first, second],
                serial: Serial::next(&[first, second]),
            }),
            _ => Err(RouteError::TooFewWaypoints {
                found: usize::from(first.is_some()),
            }),
        }
    }

    /// The route of `waypoints`, if they make one.
    fn check(waypoints: Waypoints) -> Result<Self, RouteError> {
        let route = Route(waypoints);
        let waypoints = route.waypoints();
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
        Ok(route)
    }

    /// The waypoints, in patrol order.
    pub fn waypoints(&self) -> &[IVec2] {
        match &self.0 {
            Waypoints::Two { cells, .. } => cells,
            Waypoints::Many(cells) => cells,
        }
    }

    /// The serial number of a route of two waypoints.
    pub(crate) fn serial(&self) -> Option<Serial> {
        match &self.0 {
            Waypoints::Two { serial, .. } => Some(*serial),
            Waypoints::Many(_) => None,
        }
    }

    /// The route of two waypoints numbered `serial`, whose cells are `a` and `b` in either
    /// order: what a route handed to the movement system is kept as.
    pub(crate) fn walked(serial: Serial, a: IVec2, b: IVec2) -> Route {
        Route(Waypoints::Two {
            cells: serial.order(a, b),
            serial,
        })
    }

    /// Identifies this route: equal for clones of one route, different for routes made apart
    /// (a new patrol starts from its first waypoint, a clone picks up where the unit got to).
    ///
    /// A route of more waypoints is told apart by the address of its shared waypoints; one of
    /// two, by its serial number and a 32-bit hash of its cells: two such routes are taken for
    /// one only if they were made a multiple of 2³¹ routes apart and their cells hash alike.
    pub(crate) fn id(&self) -> usize {
        match &self.0 {
            Waypoints::Two { cells, serial } => serial.route_id(cells[0], cells[1]),
            Waypoints::Many(cells) => Arc::as_ptr(cells) as *const IVec2 as usize,
        }
    }
}

impl PartialEq for Route {
    fn eq(&self, other: &Self) -> bool {
        self.waypoints() == other.waypoints()
    }
}

impl Eq for Route {}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Route").field(&self.waypoints()).finish()
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

#[cfg(test)]
mod tests {
    use super::*;
    use glam::ivec2;

    #[test]
    fn clones_are_one_route_and_routes_made_apart_are_not() {
        for cells in [
            vec![ivec2(0, 0), ivec2(3, 1)],
            vec![ivec2(0, 0), ivec2(3, 1), ivec2(2, 2)],
        ] {
            let route = Route::new(cells.clone()).expect("a route");
            let again = Route::new(cells.clone()).expect("a route");
            assert_eq!(route.waypoints(), &cells[..]);
            assert_eq!(route.clone().id(), route.id());
            assert_eq!(route, again);
            assert_ne!(route.id(), again.id());
        }
        // A route of two is its serial number and its cells in either order.
        for cells in [[ivec2(0, 0), ivec2(3, 1)], [ivec2(3, 1), ivec2(0, 0)]] {
            let route = Route::new(cells).expect("a route");
            let serial = route.serial().expect("two waypoints");
            for [a, b] in [cells, [cells[1], cells[0]]] {
                let walked = Route::walked(serial, a, b);
                assert_eq!(walked.waypoints(), &cells[..]);
                assert_eq!(walked.id(), route.id());
                assert_eq!(serial.route_id(a, b), route.id());
                assert_eq!(
                    usize::from(serial.index_of(a, b)),
                    usize::from(a != cells[0])
                );
            }
        }
        assert_eq!(std::mem::size_of::<Route>(), 24);
    }
}
