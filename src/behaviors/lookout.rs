//! `enemy_in_sight`: await a unit of another team coming within sight, parked meanwhile.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{nearest_enemy, unit};
use crate::components::Activity;
use crate::ground::Sighting;
use crate::scope::{budget, context, trail};

/// Completes with the nearest unit of another team within `radius` steps (as
/// [`nearest_enemy`] finds it, with the unit's own team) as soon as there is one: at once if
/// there is one now, else on the first tick one stands that close when the tick starts.
///
/// The behaviour is parked meanwhile: Sense looks out for it once per tick, right after it
/// takes the tick's snapshot, and wakes it when someone comes into sight. Looking costs what
/// the units near it do; a unit keeping watch is not polled. Race it against what the unit does
/// while it waits, such as a patrol:
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// sim.enable_sensing();
/// let route = Route::new(vec![ivec2(0, 0), ivec2(3, 0)]).expect("two waypoints");
/// let sentry = sim.spawn_in_team("sentry", Team(0), ivec2(0, 0), async move {
///     if let Winner::Second(intruder) = race(patrol(route), enemy_in_sight(2)).await {
///         goto(intruder.position).await;
///     }
/// });
/// sim.spawn_in_team("intruder", Team(1), ivec2(5, 1), async {});
/// sim.run(3); // 5, 4 and 3 steps away at the start of ticks 1 to 3
/// assert_eq!(sim.position(sentry), Some(ivec2(3, 0)));
/// sim.run(2); // tick 4 starts with it 2 steps away: the race ends, and it walks over
/// assert_eq!(sim.position(sentry), Some(ivec2(5, 1)));
/// ```
///
/// # Panics
///
/// As [`nearest_enemy`]: outside a behaviour's poll, or with sensing off.
pub fn enemy_in_sight(radius: u32) -> EnemyInSight {
    EnemyInSight { radius }
}

/// The future returned by [`enemy_in_sight`].
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnemyInSight {
    radius: u32,
}

impl Future for EnemyInSight {
    type Output = Sighting;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Sighting> {
        let team = unit::team();
        if let Some(enemy) = nearest_enemy(team, self.radius) {
            if !budget::complete_await("enemy_in_sight") {
                return Poll::Pending; // the poll's budget is spent
            }
            return Poll::Ready(enemy);
        }
        context::with("enemy_in_sight", |unit| unit.look_out(team, self.radius));
        trail::leaf(Activity::Lookout {
            radius: self.radius,
        });
        Poll::Pending
    }
}
