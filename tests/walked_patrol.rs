//! A scenario spawns its two-waypoint patrols already handed to the movement system, with an
//! empty future; they must run exactly as `patrol` spawned by hand does, whatever the game does
//! to them.

mod common;

use bevy_ecs::entity::Entity;
use common::activity;
use tickweave::components::{Behavior, PatrolRoute};
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
        (ivec2(5, -2), ivec2(-4, 7), ivec2(6, 6)),
        // On the first waypoint: spawned as an ordinary patrol, which reports the arrival.
        (ivec2(-3, 0), ivec2(-3, 0), ivec2(3, 0)),
    ] {
        let (mut sim, file, hand) = twins(from, a, b);
        let handed = |sim: &Simulation, unit| {
            let route = sim.world().get::<PatrolRoute>(unit).unwrap().route();
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
    }
}
