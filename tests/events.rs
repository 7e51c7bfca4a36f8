//! The transitions a unit goes through, as the event log records them and as `tracing` reports
//! them, side by side with its activity stack.

mod common;

use common::{activity, spawn_errand};
use tickweave::events::UnitEvent;
use tickweave::prelude::*;

/// The events recorded since the last call, as (tick, unit id, event).
fn drain(sim: &mut Simulation) -> Vec<(u64, u64, UnitEvent)> {
    sim.event_log()
        .drain()
        .map(|logged| (logged.tick, logged.unit.0, logged.event))
        .collect()
}

#[test]
fn the_seed_scenario_reports_each_arrival_on_the_tick_its_behaviour_notices_it() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let route = Route::new([ivec2(-5, 0), ivec2(5, 0)]).unwrap();
    sim.spawn("u0", ivec2(0, 0), patrol(route));
    sim.spawn("u1", ivec2(0, 0), goto(ivec2(12, 0)));
    sim.run(30);
    let waypoint = |index, x| UnitEvent::WaypointReached {
        index,
        cell: ivec2(x, 0),
    };
    assert_eq!(
        drain(&mut sim),
        [
            (1, 1, UnitEvent::GotoIssued { cell: ivec2(12, 0) }),
            (6, 0, waypoint(0, -5)),
            (13, 1, UnitEvent::GotoArrived { cell: ivec2(12, 0) }),
            (13, 1, UnitEvent::BehaviorCompleted),
            (16, 0, waypoint(1, 5)),
            (26, 0, waypoint(0, -5)),
        ]
    );
}

#[test]
fn nothing_is_recorded_unless_asked() {
    let mut sim = Simulation::new(0);
    sim.spawn("u1", ivec2(0, 0), goto(ivec2(2, 0)));
    sim.run(5);
    assert!(!sim.event_log().is_recording());
    assert!(sim.event_log().entries().is_empty());
}

/// A race, then a stun, then a cancel: what the unit awaits and what it reports, tick by tick.
#[test]
fn a_race_a_stun_and_a_cancel_show_in_the_activity_stack_and_the_events() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let unit = spawn_errand(&mut sim);
    sim.step();
    assert_eq!(
        activity(&sim, unit),
        "errand > race > goto(5,0) | wait(until 3)"
    );
    assert_eq!(
        drain(&mut sim),
        [
            (1, 0, UnitEvent::GotoIssued { cell: ivec2(5, 0) }),
            (1, 0, UnitEvent::WaitStarted { ticks: 2 }),
        ]
    );
    sim.run(2); // the wait wins on tick 3: the walk to (5,0) is dropped
    assert_eq!(activity(&sim, unit), "errand > goto(0,3)");
    assert_eq!(
        drain(&mut sim),
        [
            (3, 0, UnitEvent::WaitDone),
            (3, 0, UnitEvent::GotoIssued { cell: ivec2(0, 3) }),
        ]
    );
    sim.stun(unit, 2).unwrap();
    sim.step();
    assert_eq!(
        activity(&sim, unit),
        "interrupted > stunned > wait(until 6)"
    );
    assert_eq!(
        drain(&mut sim),
        [
            (3, 0, UnitEvent::Interrupted),
            (4, 0, UnitEvent::WaitStarted { ticks: 2 }),
        ]
    );
    sim.run(2); // the stun ends on tick 6 and the walk goes on
    assert_eq!(activity(&sim, unit), "errand > goto(0,3)");
    assert_eq!(drain(&mut sim), [(6, 0, UnitEvent::WaitDone)]);
    sim.cancel(unit, "recalled").unwrap();
    assert_eq!(activity(&sim, unit), "");
    assert_eq!(
        drain(&mut sim),
        [(
            6,
            0,
            UnitEvent::BehaviorCancelled {
                reason: "recalled".into()
            }
        )]
    );
}

#[derive(Clone, Debug, PartialEq)]
struct Alarm;

#[test]
fn signals_chases_and_despawns_are_reported_by_the_unit_they_happen_to() {
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    sim.record_events(true);
    let prey = sim.spawn("prey", ivec2(4, 0), async {
        receive::<Alarm>().await;
        wait(100).await;
    });
    let prey_id = sim.unit_id(prey).unwrap();
    sim.spawn("hunter", ivec2(0, 0), async move {
        send(Recipient::Unit(prey_id), Alarm).unwrap();
        chase(prey_id).await.unwrap();
        despawn_and_tally(prey_id, "caught").unwrap();
    });
    sim.run(5);
    assert_eq!(
        drain(&mut sim),
        [
            (
                1,
                1,
                UnitEvent::SignalSent {
                    to: Recipient::Unit(prey_id),
                    kind: "Alarm"
                }
            ),
            (1, 1, UnitEvent::ChaseStarted { target: prey_id }),
            (
                2,
                0,
                UnitEvent::SignalReceived {
                    from: Some(UnitId(1)),
                    kind: "Alarm",
                    sent_at: 1
                }
            ),
            (2, 0, UnitEvent::WaitStarted { ticks: 100 }),
            // Adjacent at the end of tick 3; the chase notices on tick 4.
            (4, 1, UnitEvent::ChaseCaught { target: prey_id }),
            (4, 1, UnitEvent::BehaviorCompleted),
            (4, 0, UnitEvent::Despawned { by: UnitId(1) }),
            (4, 0, UnitEvent::BehaviorDespawned),
            (4, 1, UnitEvent::Tally { name: "caught" }),
        ]
    );
}

#[test]
fn pause_and_resume_are_reported() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let unit = sim.spawn("u", ivec2(0, 0), wait(10));
    sim.step();
    sim.pause(unit).unwrap();
    sim.run(2);
    sim.resume(unit).unwrap();
    let events: Vec<UnitEvent> = drain(&mut sim).into_iter().map(|(.., e)| e).collect();
    assert_eq!(
        events,
        [
            UnitEvent::WaitStarted { ticks: 10 },
            UnitEvent::Paused,
            UnitEvent::Resumed
        ]
    );
}
