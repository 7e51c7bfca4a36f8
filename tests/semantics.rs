//! The tick contract of the core vocabulary, pinned tick by tick.

mod common;

use common::{DropCounter, cells, on_x_axis};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use tickweave::components::Motion;
use tickweave::prelude::*;

/// Counts how many times it is polled; `Ready` on the `ready_on`-th poll.
struct CountingFuture {
    polls: Arc<AtomicUsize>,
    ready_on: usize,
}

impl Future for CountingFuture {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        let polls = self.polls.fetch_add(1, Ordering::SeqCst) + 1;
        if polls >= self.ready_on {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

/// The seed's hand-written leaf: moves its unit one cell per poll until it is there.
struct UnitGotoFuture {
    target: IVec2,
}

impl Future for UnitGotoFuture {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        let here = unit::position();
        if here == self.target {
            Poll::Ready(())
        } else {
            unit::set_position(Position(here).step_toward(self.target).0);
            Poll::Pending
        }
    }
}

fn polls(sim: &Simulation, unit: bevy_ecs::entity::Entity) -> u64 {
    sim.world().get::<Behavior>(unit).unwrap().polls()
}

#[test]
fn goto_arrives_after_one_tick_per_cell_and_completes_on_the_next_poll() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), goto(ivec2(3, 0)));
    assert_eq!(cells(&mut sim, unit, 3), on_x_axis(&[0, 1, 2, 3]));
    assert_eq!(sim.state(unit), Some(BehaviorState::Parked)); // until its timer, next tick
    sim.step();
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
    assert_eq!(sim.position(unit), Some(ivec2(3, 0)));
    assert_eq!(
        polls(&sim, unit),
        2,
        "one poll to start, one to notice the arrival"
    );
}

#[test]
fn goto_steps_both_axes_at_once_then_the_remaining_one() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), goto(ivec2(3, -1)));
    assert_eq!(
        cells(&mut sim, unit, 4),
        [
            ivec2(0, 0),
            ivec2(1, -1),
            ivec2(2, -1),
            ivec2(3, -1),
            ivec2(3, -1)
        ]
    );
}

#[test]
fn goto_to_where_the_unit_stands_completes_in_its_first_poll() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(4, 4), goto(ivec2(4, 4)));
    sim.step();
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
    assert_eq!(polls(&sim, unit), 1);
}

#[test]
fn a_finished_goto_costs_one_poll_and_the_next_step_starts_in_that_poll() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async {
        goto(ivec2(2, 0)).await;
        goto(ivec2(0, 0)).await;
    });
    // Arrives at 2 on tick 2; tick 3's poll completes the first goto and sets off back.
    assert_eq!(cells(&mut sim, unit, 5), on_x_axis(&[0, 1, 2, 1, 0, 0]));
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
    assert_eq!(
        polls(&sim, unit),
        3,
        "start, turn at 2, notice the arrival at 0"
    );
}

#[test]
fn patrol_loses_no_tick_at_a_waypoint() {
    let mut sim = Simulation::new(0);
    let route = Route::new([ivec2(-2, 0), ivec2(1, 0)]).unwrap();
    let unit = sim.spawn("u", ivec2(0, 0), patrol(route));
    assert_eq!(
        cells(&mut sim, unit, 12),
        on_x_axis(&[0, -1, -2, -1, 0, 1, 0, -1, -2, -1, 0, 1, 0])
    );
    assert_eq!(sim.state(unit), Some(BehaviorState::Parked));
}

#[test]
fn patrol_visits_three_waypoints_in_order_and_closes_the_loop() {
    let mut sim = Simulation::new(0);
    let route = Route::new([ivec2(1, 0), ivec2(1, 2), ivec2(0, 0)]).unwrap();
    let unit = sim.spawn("u", ivec2(0, 0), patrol(route));
    assert_eq!(
        cells(&mut sim, unit, 7),
        [
            ivec2(0, 0),
            ivec2(1, 0),
            ivec2(1, 1),
            ivec2(1, 2),
            ivec2(0, 1),
            ivec2(0, 0),
            ivec2(1, 0),
            ivec2(1, 1),
        ]
    );
}

#[test]
fn a_two_waypoint_patrol_is_polled_once_and_a_longer_one_once_per_waypoint() {
    let mut sim = Simulation::new(0);
    let pair = Route::new([ivec2(-2, 0), ivec2(1, 0)]).unwrap();
    let triangle = Route::new([ivec2(1, 0), ivec2(1, 2), ivec2(0, 0)]).unwrap();
    let walked_natively = sim.spawn("pair", ivec2(0, 0), patrol(pair));
    let walked_by_legs = sim.spawn("triangle", ivec2(0, 0), patrol(triangle));
    sim.run(7); // the triangle reached (1, 0) on tick 1, (1, 2) on 3, (0, 0) on 5, (1, 0) on 6
    assert_eq!(polls(&sim, walked_natively), 1);
    // The first poll, then one on the tick after each arrival: 2, 4, 6 and 7.
    assert_eq!(polls(&sim, walked_by_legs), 5);
}

#[test]
fn the_grids_far_corner_is_walked_to_and_patrolled_like_any_cell() {
    let mut sim = Simulation::new(0);
    let corner = IVec2::MIN;
    let walker = sim.spawn("walker", corner + ivec2(2, 1), async move {
        goto(corner).await;
        wait(2).await;
    });
    let route = Route::new([corner, corner + ivec2(2, 0)]).unwrap();
    let patroller = sim.spawn("patroller", corner + ivec2(1, 0), patrol(route));
    assert_eq!(
        cells(&mut sim, walker, 5),
        [(2, 1), (1, 0), (0, 0), (0, 0), (0, 0), (0, 0)].map(|(x, y)| corner + ivec2(x, y))
    );
    assert_eq!(
        cells(&mut sim, patroller, 5),
        [0, 1, 2, 1, 0, 1].map(|x| corner + ivec2(x, 0))
    );
}

#[test]
fn degenerate_routes_are_rejected_with_the_reason() {
    assert_eq!(
        Route::new([]).unwrap_err(),
        RouteError::TooFewWaypoints { found: 0 }
    );
    let error = Route::new([ivec2(1, 0), ivec2(2, 0), ivec2(1, 0)]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "waypoints 2 and 0 are both (1, 0): consecutive waypoints must differ (the route is \
         closed, so the last is followed by the first)"
    );
    assert!(Route::new([ivec2(3, 3), ivec2(3, 3)]).is_err());
    assert!(Route::new([ivec2(0, 0), ivec2(1, 0), ivec2(0, 0), ivec2(2, 0)]).is_ok());
}

#[test]
fn wait_resumes_exactly_n_ticks_after_its_first_poll() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async {
        wait(0).await; // tick 1, no time passes
        goto(ivec2(1, 0)).await; // steps on tick 1, noticed on tick 2
        wait(1).await; // tick 2 → resumes on tick 3
        goto(ivec2(2, 0)).await; // steps on tick 3, noticed on tick 4
        wait(3).await; // tick 4 → resumes on tick 7
        goto(ivec2(3, 0)).await; // steps on tick 7
    });
    assert_eq!(
        cells(&mut sim, unit, 8),
        on_x_axis(&[0, 1, 1, 2, 2, 2, 2, 3, 3])
    );
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
    // Polls on ticks 1, 2, 3, 4, 7, 8: none while waiting or walking.
    assert_eq!(polls(&sim, unit), 6);
}

#[test]
fn a_hand_written_leaf_is_polled_every_tick() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn(
        "u",
        ivec2(0, 0),
        UnitGotoFuture {
            target: ivec2(3, 0),
        },
    );
    assert_eq!(cells(&mut sim, unit, 5), on_x_axis(&[0, 1, 2, 3, 3, 3]));
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
    assert_eq!(
        polls(&sim, unit),
        4,
        "ticks 1 to 3 move; tick 4 finds it there"
    );
}

#[test]
fn a_leaf_that_never_parks_is_polled_on_every_tick() {
    let mut sim = Simulation::new(0);
    let count = Arc::new(AtomicUsize::new(0));
    sim.spawn(
        "u",
        ivec2(0, 0),
        CountingFuture {
            polls: count.clone(),
            ready_on: usize::MAX,
        },
    );
    sim.run(25);
    assert_eq!(count.load(Ordering::SeqCst), 25);
}

#[test]
fn a_finished_behaviour_is_never_polled_again() {
    let mut sim = Simulation::new(0);
    let count = Arc::new(AtomicUsize::new(0));
    let unit = sim.spawn(
        "u",
        ivec2(0, 0),
        CountingFuture {
            polls: count.clone(),
            ready_on: 3,
        },
    );
    sim.run(3);
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
    sim.run(50);
    assert_eq!(count.load(Ordering::SeqCst), 3);
    assert_eq!(sim.stats().polls, 3);
}

#[test]
fn a_finished_behaviour_drops_its_future_at_once() {
    let mut sim = Simulation::new(0);
    let drops = Arc::new(AtomicUsize::new(0));
    let guard = DropCounter(drops.clone());
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        let _guard = guard;
        goto(ivec2(1, 0)).await;
    });
    sim.run(1);
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    sim.run(1);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    sim.despawn(unit);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn despawning_a_unit_drops_its_future_exactly_once() {
    let mut sim = Simulation::new(0);
    let drops = Arc::new(AtomicUsize::new(0));
    let guard = DropCounter(drops.clone());
    let route = Route::new([ivec2(-5, 0), ivec2(5, 0)]).unwrap();
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        let _guard = guard;
        patrol(route).await;
    });
    let bystander = sim.spawn("v", ivec2(0, 0), goto(ivec2(9, 0)));
    sim.run(3);
    assert!(sim.despawn(unit));
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    sim.run(20);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(sim.position(bystander), Some(ivec2(9, 0)));
}

#[test]
fn replacing_a_behaviour_drops_the_old_one_and_stops_its_walk() {
    let mut sim = Simulation::new(0);
    let drops = Arc::new(AtomicUsize::new(0));
    let guard = DropCounter(drops.clone());
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        let _guard = guard;
        goto(ivec2(10, 0)).await;
    });
    sim.run(2);
    sim.world_mut()
        .entity_mut(unit)
        .insert(Behavior::new(async { wait(2).await }));
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(sim.world().get::<Motion>(unit).unwrap().target(), None);
    assert_eq!(cells(&mut sim, unit, 4), on_x_axis(&[2, 2, 2, 2, 2]));
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
}

#[test]
fn removing_a_behaviour_stops_the_unit() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), goto(ivec2(10, 0)));
    sim.run(2);
    sim.world_mut().entity_mut(unit).remove::<Behavior>();
    sim.run(3);
    assert_eq!(sim.position(unit), Some(ivec2(2, 0)));
}

#[test]
fn a_unit_spawned_later_is_first_polled_on_the_next_tick() {
    let mut sim = Simulation::new(0);
    sim.run(5);
    let unit = sim.spawn("late", ivec2(0, 0), async {
        assert_eq!(unit::tick(), 6);
        goto(ivec2(1, 0)).await;
    });
    assert_eq!(cells(&mut sim, unit, 1), on_x_axis(&[0, 1]));
}

#[test]
fn unit_ids_follow_spawn_order() {
    let mut sim = Simulation::new(0);
    let first = sim.spawn("a", ivec2(0, 0), wait(1));
    let second = sim.spawn("b", ivec2(0, 0), wait(1));
    let id = |unit| *sim.world().get::<UnitId>(unit).unwrap();
    assert_eq!((id(first), id(second)), (UnitId(0), UnitId(1)));
    sim.despawn(first);
    let third = sim.spawn("c", ivec2(0, 0), wait(1));
    assert_eq!(*sim.world().get::<UnitId>(third).unwrap(), UnitId(2));
}

#[test]
fn units_are_read_through_a_shared_borrow_even_before_any_spawn() {
    assert!(Simulation::new(0).units().is_empty());
    let mut sim = Simulation::new(0);
    sim.spawn("a", ivec2(1, 2), wait(3));
    sim.step();
    let sim = &sim;
    let (units, checksum) = (sim.units(), sim.checksum());
    assert_eq!(units.len(), 1);
    assert_eq!((units[0].name, units[0].position), ("a", ivec2(1, 2)));
    assert_eq!(units[0].doing().to_string(), "wait(until 4)");
    assert_eq!(checksum, sim.checksum());
}

#[test]
fn a_unit_id_set_by_hand_must_be_free_and_may_be_the_last() {
    let mut sim = Simulation::new(0);
    let first = sim.world_mut().spawn((UnitId(3), UnitName::from("a"))).id();
    let twin = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        sim.world_mut().spawn((UnitId(3), UnitName::from("b")));
    }));
    let message = *twin
        .expect_err("a second unit #3 is refused")
        .downcast::<String>()
        .unwrap();
    assert!(
        message.contains(&format!(
            "which is live unit {first}'s: a unit's id must be unique"
        )),
        "{message}"
    );
    // The highest id there is leaves none for the next unit, which is refused by name.
    sim.world_mut()
        .spawn((UnitId(u64::MAX - 1), UnitName::from("last")));
    let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        sim.spawn("next", ivec2(0, 0), wait(1));
    }));
    let message = *next
        .expect_err("no id is left")
        .downcast::<String>()
        .unwrap();
    assert!(
        message.starts_with("no unit id is left to give entity"),
        "{message}"
    );
}

#[test]
fn awaiting_a_behaviour_function_outside_a_poll_names_the_mistake() {
    let panic = std::panic::catch_unwind(|| futures_lite::future::block_on(goto(ivec2(1, 1))))
        .expect_err("goto outside a poll must panic");
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("`goto` was used outside a behaviour poll"),
        "{message}"
    );
    let panic = std::panic::catch_unwind(unit::position).expect_err("no unit outside a poll");
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("`unit::position` was used outside a behaviour poll"),
        "{message}"
    );
}
