//! A `goto` reports its arrival on the tick after its unit got to the target, also when the
//! unit got there early: moved by its own behaviour (`unit::set_position`) or placed by the
//! game (`control::place`). A raw write of `Position` is noticed when the walk's timer wakes it.

use bevy_ecs::prelude::{Commands, IntoScheduleConfigs, Res};
use tickweave::control::ControlCommands;
use tickweave::events::UnitEvent;
use tickweave::prelude::*;
use tickweave::systems::Tick;

/// The unit's walk events, with their tick.
fn walk_events(sim: &mut Simulation) -> Vec<(u64, UnitEvent)> {
    sim.event_log()
        .drain()
        .filter(|e| e.event.name().starts_with("goto_") || e.event.name() == "behavior_completed")
        .map(|e| (e.tick, e.event))
        .collect()
}

fn arrived(tick: u64, x: i32) -> (u64, UnitEvent) {
    (tick, UnitEvent::GotoArrived { cell: ivec2(x, 0) })
}

fn walker(sim: &mut Simulation) -> bevy_ecs::entity::Entity {
    sim.record_events(true);
    sim.spawn("walker", ivec2(0, 0), async {
        goto(ivec2(10, 0)).await;
    })
}

const ISSUED: (u64, UnitEvent) = (
    1,
    UnitEvent::GotoIssued {
        cell: IVec2::new(10, 0),
    },
);

#[test]
fn moved_onto_its_target_by_its_own_behaviour_it_arrives_on_the_next_tick() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let unit = sim.spawn("jumper", ivec2(0, 0), async {
        join(goto(ivec2(10, 0)), async {
            wait(2).await;
            unit::set_position(ivec2(10, 0)); // on tick 3
        })
        .await;
    });
    sim.run(3);
    assert_eq!(sim.position(unit), Some(ivec2(10, 0)));
    sim.run(2);
    assert_eq!(
        walk_events(&mut sim),
        [ISSUED, arrived(4, 10), (4, UnitEvent::BehaviorCompleted)]
    );
}

#[test]
fn placed_on_its_target_between_ticks_it_arrives_on_the_next_tick() {
    let mut sim = Simulation::new(0);
    let unit = walker(&mut sim);
    sim.run(3);
    sim.place(unit, ivec2(10, 0)).unwrap();
    sim.run(3);
    assert_eq!(
        walk_events(&mut sim),
        [ISSUED, arrived(4, 10), (4, UnitEvent::BehaviorCompleted)]
    );
}

#[test]
fn placed_by_a_system_between_think_and_act_it_arrives_on_the_next_tick() {
    let mut sim = Simulation::new(0);
    let unit = walker(&mut sim);
    sim.schedule_mut().add_systems(
        (move |mut commands: Commands, tick: Res<Tick>| {
            if tick.get() == 3 {
                commands.entity(unit).place(ivec2(10, 0));
            }
        })
        .after(TickPhase::Think)
        .before(TickPhase::Act),
    );
    sim.run(3);
    // Act of tick 3 still walked it as Think decided; then it was placed.
    assert_eq!(sim.position(unit), Some(ivec2(10, 0)));
    sim.run(3);
    assert_eq!(
        walk_events(&mut sim),
        [ISSUED, arrived(4, 10), (4, UnitEvent::BehaviorCompleted)]
    );
}

#[test]
fn placed_closer_it_walks_on_from_there_and_arrives_when_it_gets_there() {
    let mut sim = Simulation::new(0);
    let unit = walker(&mut sim);
    sim.run(2);
    sim.place(unit, ivec2(7, 0)).unwrap();
    // Three steps from (7,0): on tick 3 it re-plans and steps; on (10,0) after tick 5.
    sim.run(4);
    assert_eq!(sim.position(unit), Some(ivec2(10, 0)));
    assert_eq!(
        walk_events(&mut sim),
        [ISSUED, arrived(6, 10), (6, UnitEvent::BehaviorCompleted)]
    );
}

#[test]
fn a_raw_write_of_its_position_is_noticed_when_the_walks_timer_wakes_it() {
    let mut sim = Simulation::new(0);
    let unit = walker(&mut sim);
    sim.run(3);
    sim.world_mut().get_mut::<Position>(unit).unwrap().0 = ivec2(10, 0);
    sim.run(8);
    // Ten steps from tick 1: the timer wakes it on tick 11, as if it had walked.
    assert_eq!(
        walk_events(&mut sim),
        [ISSUED, arrived(11, 10), (11, UnitEvent::BehaviorCompleted)]
    );
    assert_eq!(sim.position(unit), Some(ivec2(10, 0)));
}

#[test]
fn placing_something_that_is_not_a_unit_is_an_error() {
    let mut sim = Simulation::new(0);
    let thing = sim.world_mut().spawn_empty().id();
    assert_eq!(
        sim.place(thing, ivec2(1, 1)),
        Err(tickweave::control::ControlError::NoBehavior(thing))
    );
}
