//! `guard`: patrol a route; chase an enemy that comes into sight; return to the patrol.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::behaviors::{
    Despawned, Patrol, Route, TimedOut, Winner, chase, despawn_and_tally, distance_to, label,
    nearest_enemy, next_tick, patrol, race, tally, timeout, unit, wait,
};
use crate::components::{Team, UnitId};
use crate::scope::context;

/// What a [`guard`] does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardParams {
    /// The route it patrols.
    pub route: Route,
    /// How far it sees, in steps.
    pub sight: u32,
    /// How many ticks in a row a chased enemy may stay out of sight before the guard gives up.
    pub patience: u64,
}

/// Patrols `route`; when a unit of another team comes within `sight`, chases it, racing the
/// chase against losing sight of it for `patience` ticks in a row. A chasing guard runs two
/// steps, then catches its breath for a tick, so a target that runs straight away escapes. A
/// caught unit (adjacent) is despawned. Then the guard resumes its patrol exactly where it left
/// it.
///
/// Tallies (see [`Tallies`](crate::systems::Tallies)): `caught` when a target is removed,
/// `escaped` when it stays out of sight too long, `lost` when someone else got it first.
/// Needs sensing.
pub async fn guard(params: GuardParams) {
    let GuardParams {
        route,
        sight,
        patience,
    } = params;
    let mut rounds = patrol(route);
    label("guard", async move {
        let team = unit::team();
        loop {
            let target = PatrolUntilSighted {
                patrol: &mut rounds,
                team,
                sight,
            }
            .await;
            let pursuit = race(run_down(target), lose_sight(target, sight, patience));
            match label("pursue", pursuit).await {
                Winner::First(Ok(())) => {
                    // Gone already (another guard got it this tick): nothing to remove.
                    let _ = despawn_and_tally(target, "caught");
                    // The catch takes the rest of the tick: the target stays in this tick's
                    // snapshot until Act removes it, so looking again now would see it again.
                    next_tick().await;
                }
                Winner::First(Err(_)) => tally("lost"),
                Winner::Second(()) => tally("escaped"),
            }
        }
    })
    .await;
}

/// Chases `target` in bursts of two steps with a tick's rest between them.
async fn run_down(target: UnitId) -> Result<(), Despawned> {
    loop {
        match timeout(2, chase(target)).await {
            Ok(result) => return result,
            Err(TimedOut { .. }) => label("catching breath", wait(1)).await,
        }
    }
}

/// Completes once `target` has been more than `sight` steps away (or gone) for `patience`
/// ticks in a row.
async fn lose_sight(target: UnitId, sight: u32, patience: u64) {
    label("losing sight", async {
        let mut unseen = 0;
        loop {
            match distance_to(target) {
                Ok(distance) if distance <= sight => unseen = 0,
                _ => unseen += 1,
            }
            if unseen >= patience.max(1) {
                return;
            }
            next_tick().await;
        }
    })
    .await;
}

/// Walks the patrol until a unit of another team is within sight; yields the nearest one.
///
/// `race(enemy_in_sight(sight), patrol)` without the race's frame on the activity stack: it
/// looks before walking on every poll, and while the patrol is parked, Sense looks out for it
/// every tick and wakes it when someone comes into sight.
struct PatrolUntilSighted<'a> {
    patrol: &'a mut Patrol,
    team: Option<Team>,
    sight: u32,
}

impl Future for PatrolUntilSighted<'_> {
    type Output = UnitId;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<UnitId> {
        if let Some(enemy) = nearest_enemy(self.team, self.sight) {
            return Poll::Ready(enemy.id);
        }
        let poll = Pin::new(&mut *self.patrol).poll(cx);
        let (team, sight) = (self.team, self.sight);
        context::with("guard", |unit| {
            if unit.requests.park {
                unit.look_out(team, sight);
            }
        });
        poll.map(|()| unreachable!("a patrol never ends"))
    }
}
