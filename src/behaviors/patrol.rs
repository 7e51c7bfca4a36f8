//! `patrol`: walk a closed route of waypoints forever.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::{Activity, Behavior, Motion, Walked};
use crate::events::UnitEvent;
use crate::ground::{Route, Serial, grid_distance};
use crate::scope::{NativePatrol, context, emit, trail};

/// Walks `route` forever: a [`goto`](super::goto()) to each waypoint in order, then back to the
/// first. It starts with the first waypoint, wherever the unit stands.
///
/// Reaching a waypoint and setting off for the next happen in the same tick, so no tick is lost
/// at a waypoint. A route of two waypoints is handed whole to the movement system, which turns
/// at each by itself: the behaviour is parked for good and costs no poll at all (if it is polled
/// again, say it races a timer, it picks up where the movement system got to). A longer route is
/// walked a leg at a time, like a `goto`: one poll per waypoint.
///
/// Kept across a pause in polling it — `race(enemy_in_sight(4), &mut rounds)` won by the
/// look-out, a chase, then the same `rounds` again — it goes on toward the waypoint the unit was
/// heading for when it was left, wherever the unit stands by then (if another two-waypoint
/// patrol was walked meanwhile, toward the waypoint it knew when last polled).
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
        let (walked, left) = walked_or_left(self.route.serial());
        if let Some(next) = left {
            // Polled again after a while unpolled: on from where the movement system left it.
            self.next = usize::from(next);
        }
        let native = walked.map(|walked| NativePatrol {
            route: walked.id(),
            next: walked.next(),
        });
        self.step(native)
    }
}

impl Patrol {
    /// One poll, given the patrol the movement system walks for the unit, if any.
    fn step(&mut self, native_patrol: Option<NativePatrol>) -> Poll<()> {
        let id = self.route.id();
        context::with("patrol", |unit| {
            match native_patrol {
                // The movement system is walking this route: catch up with it.
                Some(native) if native.route == id => self.next = usize::from(native.next),
                _ => {
                    let cell = self.route.waypoints()[self.next];
                    if unit.position == cell {
                        let index = self.next;
                        emit(unit, UnitEvent::WaypointReached { index, cell });
                        // At the waypoint: head for the next one, which differs (checked by
                        // `Route::new`), so the patrol cannot loop without moving.
                        self.next = (self.next + 1) % self.route.waypoints().len();
                    }
                }
            }
            unit.requests.park = true;
            if Motion::patrol(&self.route, 0).is_some() {
                // Two waypoints: the movement system turns between them by itself.
                if native_patrol.is_none_or(|native| native.route != id) {
                    unit.handed_over.push(self.route.clone());
                }
                unit.requests.move_target = None;
                unit.requests.patrol = Some(NativePatrol {
                    route: id,
                    next: self.next as u16,
                });
            } else {
                // A longer route, a leg at a time: like a `goto`, woken on arriving.
                let target = self.route.waypoints()[self.next];
                let steps = u64::from(grid_distance(unit.position, target));
                unit.requests.move_target = Some(target);
                unit.requests.wake_at = unit.requests.wake_at.min(unit.clock + steps);
            }
            trail::leaf(Activity::Patrol);
            Poll::Pending
        })
    }
}

/// A two-waypoint patrol spawned already handed to the movement system: its route is the unit's
/// [`Motion`] and its [`Behavior`]'s note of the route's serial number, not in the future, so
/// the future is empty and boxing it allocates nothing. A scenario spawns a crowd of patrols
/// this way (see `Scenario::spawn_into`).
///
/// It behaves as [`patrol`] of that route once the route is handed over, which is what every
/// poll of such a patrol after its first sees; so the unit must not spawn on the first waypoint
/// (whose arrival `patrol`'s first poll reports).
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Clone, Copy, Debug)]
pub(crate) struct WalkedPatrol;

impl WalkedPatrol {
    /// The behaviour and the motion of a unit spawned on `position` to patrol `route` this way,
    /// if it may: `route` is of two waypoints that the movement system can walk, and the unit
    /// does not stand on the first.
    pub(crate) fn spawned(route: &Route, position: glam::IVec2) -> Option<(Behavior, Motion)> {
        let motion = Motion::patrol(route, 0)?;
        (route.waypoints()[0] != position)
            .then(|| (Behavior::new(WalkedPatrol).walking(route), motion))
    }
}

impl Future for WalkedPatrol {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        // Two waypoints are copied, not shared: this allocates nothing.
        let Some(walked) = walked_patrol() else {
            panic!(
                "a patrol spawned already walked by the movement system found no route: the \
                 unit's `Motion` was changed by hand (write it through behaviours)"
            );
        };
        let native = NativePatrol {
            route: walked.id(),
            next: walked.next(),
        };
        patrol(walked.route()).step(Some(native))
    }
}

/// The patrol the movement system walks for the unit being polled, as Think began: its route,
/// and the waypoint it heads for (or will resume toward, if an interrupt pre-empted it).
fn walked_patrol() -> Option<Walked> {
    walked_or_left(None).0
}

/// [`walked_patrol`], and if the behaviour stopped asking for the route numbered `serial`
/// while the movement system walked it, the waypoint it was heading for then.
fn walked_or_left(serial: Option<Serial>) -> (Option<Walked>, Option<u16>) {
    let entity = context::with("patrol", |unit| unit.entity);
    context::with_world("patrol", |world| {
        let (Some(motion), Some(behavior)) =
            (world.get::<Motion>(entity), world.get::<Behavior>(entity))
        else {
            return (None, None);
        };
        let left = serial.and_then(|serial| behavior.left_patrol(serial));
        (behavior.walked_patrol(motion), left)
    })
}
