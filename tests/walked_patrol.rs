//! A scenario spawns its two-waypoint patrols already handed to the movement system, with an
//! empty future; they must run exactly as `patrol` spawned by hand does, whatever the game does
//! to them.

mod common;

use bevy_ecs::entity::Entity;
use common::activity;
use tickweave::components::{Behavior, Motion};
use tickweave::events::UnitEvent;
use tickweave::prelude::*;
use tickweave::scenario::Scenario;

/// Unit 0 from a scenario file, unit 1 by hand: the same route, from the same cell.
fn twins(from: IVec2, a: IVec2, b: IVec2) -> (Simulation, Entity, Entity) {
    let text = format!(
        "Scenario(seed: 0, world: (from: (-20, -20), to: (20, 20)), units: [
            Unit(name: \"file\", position: ({}, {}),
                 behavior: Patrol(waypoints: [({}, {}), ({}, {})])),
        ])",
        from.x, from.y, a.x, a.y, b.x, b.y
    );
    let scenario = Scenario::parse(&text, "twins").expect("a valid scenario");
    let mut sim = scenario.simulation(0);
    sim.record_events(true);
    let file = sim.units()[0].entity;
    let hand = sim.spawn("hand", from, patrol(Route::new([a, b]).expect("a route")));
    (sim, file, hand)
}

fn assert_alike(sim: &Simulation, file: Entity, hand: Entity, tick: u64) {
    assert_eq!(sim.position(file), sim.position(hand), "tick {tick}");
    assert_eq!(activity(sim, file), activity(sim, hand), "tick {tick}");
    let state = |unit| sim.world().get::<Behavior>(unit).map(Behavior::state);
    assert_eq!(state(file), state(hand), "tick {tick}");
}

#[test]
fn a_scenario_patrol_runs_as_patrol_through_stuns_pauses_and_moves() {
    for (from, a, b) in [
        (ivec2(0, 0), ivec2(-3, 0), ivec2(3, 0)),
        (ivec2(0, 0), ivec2(3, 0), ivec2(-3, 0)),
        (ivec2(5, -2), ivec2(-4, 7), ivec2(6, 6)),
        // On the first waypoint: spawned as an ordinary patrol, which reports the arrival.
        (ivec2(-3, 0), ivec2(-3, 0), ivec2(3, 0)),
    ] {
        let (mut sim, file, hand) = twins(from, a, b);
        let handed = |sim: &Simulation, unit| {
            let motion = sim.world().get::<Motion>(unit).unwrap();
            let route = sim
                .world()
                .get::<Behavior>(unit)
                .unwrap()
                .patrol_route(motion);
            route.is_some()
        };
        assert_eq!(handed(&sim, file), from != a, "walked from the start");
        assert!(!handed(&sim, hand));
        for tick in 1..=60 {
            for unit in [file, hand] {
                match tick {
                    5 | 23 => sim.stun(unit, 3).unwrap(),
                    12 => sim.pause(unit).unwrap(),
                    16 => sim.resume(unit).unwrap(),
                    30 => sim.place(unit, ivec2(1, 1)).unwrap(),
                    _ => {}
                }
            }
            sim.step();
            assert_alike(&sim, file, hand, tick);
        }
        // The same waypoints reached on the same ticks, by index too.
        let reached = sim
            .event_log()
            .drain()
            .filter(|logged| matches!(logged.event, UnitEvent::WaypointReached { .. }))
            .map(|logged| (logged.unit, logged.tick, logged.event))
            .collect::<Vec<_>>();
        let of = |unit: u64| {
            let events = reached.iter().filter(move |(id, ..)| id.0 == unit);
            events
                .map(|(_, tick, event)| (*tick, event.clone()))
                .collect::<Vec<_>>()
        };
        assert!(of(0).len() >= 4, "{reached:?}");
        assert_eq!(of(0), of(1));
    }
}

#[test]
fn a_scenario_spawned_between_think_and_act_is_not_walked_before_its_first_poll() {
    use bevy_ecs::schedule::IntoScheduleConfigs;
    use bevy_ecs::world::World;
    use tickweave::systems::Tick;

    let scenario = Scenario::parse(
        "Scenario(seed: 0, world: (from: (-20, -20), to: (20, 20)), units: [
            Unit(name: \"late\", position: (0, 0), behavior: Patrol(waypoints: [(5, 0), (-5, 0)])),
        ])",
        "late",
    )
    .expect("a valid scenario");
    let mut sim = Simulation::new(0);
    sim.schedule_mut().add_systems(
        (move |world: &mut World| {
            if world.resource::<Tick>().get() == 2 {
                scenario.spawn_into(world);
            }
        })
        .after(TickPhase::Think)
        .before(TickPhase::Act),
    );
    sim.run(2);
    let late = sim.units()[0].entity;
    assert_eq!(
        sim.position(late),
        Some(ivec2(0, 0)),
        "not walked on tick 2"
    );
    sim.run(2);
    assert_eq!(sim.position(late), Some(ivec2(2, 0)));
}
