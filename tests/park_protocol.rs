//! `race`, `join` and `timeout` share one protocol for what their branches ask of the native
//! systems: a branch's walk and timer stand while it is pending and are withdrawn once it has
//! completed, and the behaviour parks only if every pending branch parks. Each rule is pinned
//! through all three combinators, tick by tick.
//!
//! A branch that asks for a walk and completes anyway is written with `poll_once`, as a game
//! would start something and not wait for it.

mod common;

use bevy_ecs::entity::Entity;
use common::{cells, on_x_axis};
use futures_lite::future::poll_once;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tickweave::prelude::*;

/// The ticks a behaviour noted, in order.
#[derive(Clone, Default)]
struct Ticks(Arc<Mutex<Vec<u64>>>);

impl Ticks {
    fn note(&self) {
        self.0.lock().unwrap().push(unit::tick());
    }
    fn get(&self) -> Vec<u64> {
        self.0.lock().unwrap().clone()
    }
}

/// Walks to (9, 0) for one poll and gives up on it at once.
fn start_a_walk() -> impl Future<Output = Option<()>> {
    poll_once(goto(ivec2(9, 0)))
}

fn polls(sim: &Simulation, unit: Entity) -> u64 {
    sim.world().get::<Behavior>(unit).unwrap().polls()
}

/// Spawns `combinator` (which completes in its first poll), then notes the tick twice, a tick
/// apart: the unit must stand still and resume on the very next tick.
fn completes_at_once_and_withdraws<F>(combinator: F)
where
    F: Future + Send + 'static,
{
    let ticks = Ticks::default();
    let noted = ticks.clone();
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        combinator.await;
        noted.note();
        next_tick().await;
        noted.note();
    });
    assert_eq!(cells(&mut sim, unit, 3), on_x_axis(&[0, 0, 0, 0]));
    assert_eq!(
        ticks.get(),
        [1, 2],
        "not parked on the abandoned walk's timer"
    );
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
}

#[test]
fn a_race_that_completes_withdraws_what_its_branches_asked_for() {
    completes_at_once_and_withdraws(race(start_a_walk(), wait(5)));
}

#[test]
fn a_join_that_completes_withdraws_what_its_branches_asked_for() {
    completes_at_once_and_withdraws(join(start_a_walk(), start_a_walk()));
}

#[test]
fn a_timeout_that_completes_ok_withdraws_what_its_future_asked_for() {
    completes_at_once_and_withdraws(timeout(5, start_a_walk()));
}

#[test]
fn a_timeout_that_runs_out_withdraws_what_its_future_asked_for() {
    completes_at_once_and_withdraws(timeout(0, goto(ivec2(9, 0))));
}

#[test]
fn a_join_withdraws_a_finished_branch_while_the_other_is_pending() {
    let ticks = Ticks::default();
    let noted = ticks.clone();
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        join(start_a_walk(), wait(3)).await;
        noted.note();
    });
    assert_eq!(cells(&mut sim, unit, 5), on_x_axis(&[0, 0, 0, 0, 0, 0]));
    assert_eq!(ticks.get(), [4]);
    assert_eq!(
        polls(&sim, unit),
        2,
        "parked on the wait between its two polls"
    );
}

/// Spawns `combinator` for `ticks` ticks; returns how many times it was polled and whether it
/// was parked at the end.
fn polls_of<F>(combinator: F, ticks: u64) -> (u64, BehaviorState)
where
    F: Future + Send + 'static,
{
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        combinator.await;
    });
    sim.run(ticks);
    (polls(&sim, unit), sim.state(unit).unwrap())
}

#[test]
fn a_combinator_parks_only_if_every_pending_branch_parks() {
    let never = || wait_until(|| false);
    // Every pending branch parks: one poll to start, then asleep (the wait's or the deadline's
    // timer is on tick 11).
    assert_eq!(
        polls_of(race(wait(10), goto(ivec2(20, 0))), 5),
        (1, BehaviorState::Parked)
    );
    assert_eq!(
        polls_of(join(wait(10), goto(ivec2(20, 0))), 5),
        (1, BehaviorState::Parked)
    );
    assert_eq!(
        polls_of(timeout(10, goto(ivec2(20, 0))), 5),
        (1, BehaviorState::Parked)
    );
    // One pending branch must look every tick: polled on each of the 5 ticks.
    assert_eq!(
        polls_of(race(wait(10), never()), 5),
        (5, BehaviorState::Running)
    );
    assert_eq!(
        polls_of(join(never(), wait(10)), 5),
        (5, BehaviorState::Running)
    );
    assert_eq!(
        polls_of(timeout(10, never()), 5),
        (5, BehaviorState::Running)
    );
}

#[test]
fn a_pending_combinator_keeps_its_pending_branches_walks_and_timers() {
    let ticks = Ticks::default();
    let noted = ticks.clone();
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        let _ = race(goto(ivec2(9, 0)), wait(3)).await; // the wait wins on tick 4
        noted.note();
        join(goto(ivec2(0, 0)), wait(1)).await; // both done on tick 7 (3 steps back)
        noted.note();
        let _ = timeout(2, goto(ivec2(9, 0))).await; // gives up on tick 9, after 2 steps
        noted.note();
    });
    assert_eq!(
        cells(&mut sim, unit, 10),
        on_x_axis(&[0, 1, 2, 3, 2, 1, 0, 1, 2, 2, 2])
    );
    assert_eq!(ticks.get(), [4, 7, 9]);
}

#[test]
fn a_patrol_withdrawn_after_handing_its_route_over_leaves_the_one_still_asked_for() {
    // Both patrols hand their routes over in the first poll; the race completes at once and
    // withdraws the second, so the unit walks the first.
    let east = Route::new([ivec2(3, 0), ivec2(0, 0)]).unwrap();
    let west = Route::new([ivec2(-3, 0), ivec2(0, 0)]).unwrap();
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        join(patrol(east), race(patrol(west), async {})).await;
    });
    assert_eq!(
        cells(&mut sim, unit, 8),
        on_x_axis(&[0, 1, 2, 3, 2, 1, 0, 1, 2])
    );
}
