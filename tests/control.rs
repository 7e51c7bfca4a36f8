//! Control from the game — replace, cancel, pause, resume, stun — and the outcomes it reports.

mod common;

use bevy_ecs::message::Messages;
use bevy_ecs::observer::On;
use common::{activity, cells, on_x_axis};
use std::sync::{Arc, Mutex};
use tickweave::control::ControlError;
use tickweave::prelude::*;

/// Every `BehaviorFinished` message written so far that is still buffered.
fn finished_messages(sim: &Simulation) -> Vec<BehaviorFinished> {
    let messages = sim.world().resource::<Messages<BehaviorFinished>>();
    messages.iter_current_update_messages().cloned().collect()
}

fn patroller(sim: &mut Simulation) -> bevy_ecs::entity::Entity {
    let route = Route::new([ivec2(-3, 0), ivec2(3, 0)]).unwrap();
    sim.spawn("guard", ivec2(0, 0), patrol(route))
}

#[test]
fn a_stunned_patrol_stands_still_then_continues_exactly_where_it_was() {
    let mut sim = Simulation::new(0);
    let unit = patroller(&mut sim);
    sim.run(2); // at -2, heading for -3
    sim.stun(unit, 3).unwrap();
    assert_eq!(
        cells(&mut sim, unit, 8),
        // Stunned on ticks 3, 4, 5; walking again on tick 6, still toward -3 first.
        on_x_axis(&[-2, -2, -2, -2, -3, -2, -1, 0, 1])
    );
}

#[test]
fn a_patrol_stunned_on_its_way_back_resumes_toward_the_same_waypoint() {
    let mut sim = Simulation::new(0);
    let unit = patroller(&mut sim);
    sim.run(5); // reached -3 on tick 3; now at -1, heading for 3 (waypoint 1)
    sim.stun(unit, 2).unwrap();
    assert_eq!(
        cells(&mut sim, unit, 6),
        // Stunned on ticks 6 and 7; walking again on tick 8, still toward 3.
        on_x_axis(&[-1, -1, -1, 0, 1, 2, 3])
    );
}

#[test]
fn a_longer_patrol_stunned_mid_leg_resumes_toward_the_same_waypoint() {
    let mut sim = Simulation::new(0);
    let route = Route::new([ivec2(-3, 0), ivec2(3, 0), ivec2(0, 3)]).unwrap();
    let unit = sim.spawn("guard", ivec2(0, 0), patrol(route));
    sim.run(5); // reached -3 on tick 3; now at -1, heading for 3
    sim.stun(unit, 2).unwrap();
    assert_eq!(
        cells(&mut sim, unit, 8),
        // Stunned on ticks 6 and 7; then on to 3 (tick 11) and up toward (0, 3).
        [-1, -1, -1, 0, 1, 2, 3]
            .map(|x| ivec2(x, 0))
            .into_iter()
            .chain([ivec2(2, 1), ivec2(1, 2)])
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_paused_patrol_resumes_toward_the_waypoint_it_was_heading_for() {
    let mut sim = Simulation::new(0);
    let unit = patroller(&mut sim);
    sim.run(5); // at -1, heading for 3
    sim.pause(unit).unwrap();
    sim.run(3);
    sim.resume(unit).unwrap();
    assert_eq!(cells(&mut sim, unit, 3), on_x_axis(&[-1, 0, 1, 2]));
}

#[test]
fn the_activity_stack_shows_a_stun_and_then_the_resumed_patrol() {
    let mut sim = Simulation::new(0);
    let unit = patroller(&mut sim);
    sim.run(2);
    assert_eq!(activity(&sim, unit), "patrol > goto(-3,0)");
    sim.stun(unit, 2).unwrap();
    sim.step();
    assert_eq!(
        activity(&sim, unit),
        "interrupted > stunned > wait(until 5)"
    );
    sim.run(2); // tick 5: free again, it reaches -3 (and turns on the next tick)
    assert_eq!(activity(&sim, unit), "patrol > goto(-3,0)");
    sim.step();
    assert_eq!(activity(&sim, unit), "patrol > goto(3,0)");
}

#[test]
fn waits_stand_still_while_stunned() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async {
        wait(4).await; // from tick 1: would resume on tick 5
        goto(ivec2(1, 0)).await;
    });
    sim.run(2);
    sim.stun(unit, 3).unwrap(); // ticks 3, 4, 5 do not count: resumes on tick 8
    sim.run(5);
    assert_eq!(sim.position(unit), Some(ivec2(0, 0)));
    sim.step();
    assert_eq!(sim.position(unit), Some(ivec2(1, 0)));
}

#[test]
fn a_paused_unit_is_not_polled_does_not_move_and_its_waits_stand_still() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async {
        goto(ivec2(2, 0)).await; // arrives on tick 2
        wait(3).await; // from tick 3
        goto(ivec2(5, 0)).await;
    });
    sim.run(1);
    sim.pause(unit).unwrap();
    let polls = sim.world().get::<Behavior>(unit).unwrap().polls();
    sim.run(4);
    assert_eq!(sim.position(unit), Some(ivec2(1, 0)));
    assert_eq!(sim.state(unit), Some(BehaviorState::Paused));
    assert_eq!(sim.world().get::<Behavior>(unit).unwrap().polls(), polls);
    sim.resume(unit).unwrap(); // polled again on tick 6
    sim.run(1);
    assert_eq!(sim.position(unit), Some(ivec2(2, 0)));
    sim.run(1); // tick 7: the goto completes, the wait starts: resumes on tick 10
    sim.pause(unit).unwrap();
    sim.run(10);
    sim.resume(unit).unwrap(); // tick 17: the wait has 2 of its 3 ticks left
    assert_eq!(cells(&mut sim, unit, 4), on_x_axis(&[2, 2, 2, 3, 4]));
}

#[test]
fn cancel_drops_the_behaviour_and_reports_the_reason() {
    let mut sim = Simulation::new(0);
    let unit = patroller(&mut sim);
    let id = sim.unit_id(unit).unwrap();
    let observed = Arc::new(Mutex::new(vec![]));
    let seen = observed.clone();
    sim.world_mut()
        .add_observer(move |finished: On<BehaviorFinished>| {
            seen.lock().unwrap().push(finished.event().clone());
        });
    sim.run(2);
    sim.cancel(unit, "recalled").unwrap();
    let expected = BehaviorFinished {
        entity: unit,
        unit: id,
        outcome: Outcome::Cancelled("recalled".into()),
    };
    assert_eq!(*observed.lock().unwrap(), std::slice::from_ref(&expected));
    assert_eq!(finished_messages(&sim), [expected]);
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
    assert!(sim.activity(unit).unwrap().is_empty());
    assert_eq!(cells(&mut sim, unit, 3), on_x_axis(&[-2, -2, -2, -2]));
    assert_eq!(sim.cancel(unit, "again"), Err(ControlError::Finished(unit)));
}

#[test]
fn a_completed_behaviour_is_announced_at_the_end_of_its_tick() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), goto(ivec2(1, 0)));
    let id = sim.unit_id(unit).unwrap();
    sim.run(1);
    assert!(finished_messages(&sim).is_empty());
    sim.run(1);
    assert_eq!(
        finished_messages(&sim),
        [BehaviorFinished {
            entity: unit,
            unit: id,
            outcome: Outcome::Completed,
        }]
    );
}

#[test]
fn replace_ends_the_old_behaviour_as_replaced_and_runs_the_new_one_next_tick() {
    let mut sim = Simulation::new(0);
    let unit = patroller(&mut sim);
    sim.run(2);
    sim.replace(unit, goto(ivec2(-2, 4))).unwrap();
    let outcomes: Vec<Outcome> = finished_messages(&sim)
        .into_iter()
        .map(|m| m.outcome)
        .collect();
    assert_eq!(outcomes, [Outcome::Replaced]);
    assert_eq!(
        cells(&mut sim, unit, 5),
        [
            ivec2(-2, 0),
            ivec2(-2, 1),
            ivec2(-2, 2),
            ivec2(-2, 3),
            ivec2(-2, 4),
            ivec2(-2, 4),
        ]
    );
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
}

#[test]
fn controlling_something_that_is_not_a_unit_is_an_error() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async {});
    sim.despawn(unit);
    assert_eq!(sim.pause(unit), Err(ControlError::NoBehavior(unit)));
    assert_eq!(sim.stun(unit, 2), Err(ControlError::NoBehavior(unit)));
    assert_eq!(
        ControlError::NoBehavior(unit).to_string(),
        format!("entity {unit} is not a unit with a behaviour")
    );
}
