//! A behaviour may run a simulation of its own — an AI looking ahead — and step it inside its
//! poll: the nested simulation runs as it would alone, and the enclosing tick carries on
//! undisturbed (its unit context, activity stack, events and signals).

mod common;

use common::activity;
use tickweave::events::UnitEvent;
use tickweave::prelude::*;

/// Where a scout starting at `from` and walking to `to` stands after `ticks` ticks of a
/// look-ahead simulation, which records its own events.
fn look_ahead(from: IVec2, to: IVec2, ticks: u64) -> (IVec2, Vec<(u64, UnitEvent)>) {
    let mut sim = Simulation::new(7);
    sim.record_events(true);
    let scout = sim.spawn("scout", from, async move {
        receive::<Go>().await;
        goto(to).await;
    });
    sim.send(Recipient::Everyone, Go);
    sim.run(ticks);
    let events = sim
        .event_log()
        .drain()
        .map(|entry| (entry.tick, entry.event))
        .collect();
    (sim.position(scout).unwrap(), events)
}

#[derive(Clone, Copy, Debug)]
struct Go;

#[test]
fn a_behaviour_steps_a_simulation_of_its_own_and_its_tick_carries_on() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let planner = sim.spawn("planner", ivec2(0, 0), async {
        label("planning", async {
            wait(1).await;
            // The scout receives the signal and sets off in its first tick: three cells.
            let (seen, events) = look_ahead(unit::position(), ivec2(5, 0), 3);
            assert_eq!(seen, ivec2(3, 0));
            assert_eq!(
                events,
                [
                    (
                        1,
                        UnitEvent::SignalReceived {
                            from: None,
                            kind: "Go",
                            sent_at: 0
                        }
                    ),
                    (1, UnitEvent::GotoIssued { cell: ivec2(5, 0) }),
                ]
            );
            goto(seen).await;
        })
        .await;
    });
    let walker = sim.spawn("walker", ivec2(0, 5), goto(ivec2(3, 5)));
    sim.run(2);
    assert_eq!(activity(&sim, planner), "planning > goto(3,0)");
    sim.run(3);
    assert_eq!(sim.position(planner), Some(ivec2(3, 0)));
    assert_eq!(sim.position(walker), Some(ivec2(3, 5)));
    let events: Vec<_> = sim
        .event_log()
        .drain()
        .map(|entry| (entry.tick, entry.unit, entry.event))
        .collect();
    assert_eq!(
        events,
        [
            (1, UnitId(0), UnitEvent::WaitStarted { ticks: 1 }),
            (1, UnitId(1), UnitEvent::GotoIssued { cell: ivec2(3, 5) }),
            (2, UnitId(0), UnitEvent::WaitDone),
            (2, UnitId(0), UnitEvent::GotoIssued { cell: ivec2(3, 0) }),
            (4, UnitId(1), UnitEvent::GotoArrived { cell: ivec2(3, 5) }),
            (4, UnitId(1), UnitEvent::BehaviorCompleted),
            (5, UnitId(0), UnitEvent::GotoArrived { cell: ivec2(3, 0) }),
            (5, UnitId(0), UnitEvent::BehaviorCompleted),
        ]
    );
}

#[test]
fn simulations_nest_two_deep_and_a_fault_inside_stays_inside() {
    let mut sim = Simulation::new(0);
    let outer = sim.spawn("outer", ivec2(0, 0), async {
        let mut middle = Simulation::new(1);
        let inner_unit = middle.spawn("middle", ivec2(0, 0), async {
            let mut innermost = Simulation::new(2);
            let faulty = innermost.spawn("faulty", ivec2(0, 0), async {
                next_tick().await;
                panic!("a bug three levels down");
            });
            let steady = innermost.spawn("steady", ivec2(0, 0), goto(ivec2(0, 2)));
            innermost.run(3);
            assert_eq!(innermost.state(faulty), Some(BehaviorState::Finished));
            assert_eq!(innermost.stats().faulted, 1);
            goto(innermost.position(steady).unwrap()).await;
        });
        middle.run(4);
        assert_eq!(middle.position(inner_unit), Some(ivec2(0, 2)));
        goto(ivec2(1, 1)).await;
    });
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    sim.run(3);
    std::panic::set_hook(previous_hook);
    assert_eq!(sim.position(outer), Some(ivec2(1, 1)));
    assert_eq!(sim.stats().faulted, 0);
}

#[test]
fn a_run_with_a_nested_simulation_is_deterministic() {
    let run = || {
        let mut sim = Simulation::new(3);
        for i in 0..4 {
            sim.spawn(format!("planner {i}"), ivec2(i, 0), async move {
                loop {
                    let here = unit::position();
                    let (seen, _) = look_ahead(here, here + ivec2(1, 3), 2);
                    goto(seen).await;
                    next_tick().await;
                }
            });
        }
        let checksums = (0..12)
            .map(|_| {
                sim.step();
                sim.checksum()
            })
            .collect::<Vec<_>>();
        assert_eq!(sim.stats().faulted, 0);
        checksums
    };
    assert_eq!(run(), run());
}
