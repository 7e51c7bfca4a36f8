//! The seed's two-unit example reproduces its table exactly, from Rust and from the scenario.

mod common;

use common::{GAME_UNITS_U0, GAME_UNITS_U1};
use std::path::Path;
use tickweave::prelude::*;
use tickweave::scenario::Scenario;

#[test]
fn written_in_rust_it_reproduces_the_seed_table() {
    let mut sim = Simulation::new(0);
    let route = Route::new([ivec2(-5, 0), ivec2(5, 0)]).unwrap();
    let u0 = sim.spawn("u0", ivec2(0, 0), patrol(route));
    let u1 = sim.spawn("u1", ivec2(0, 0), goto(ivec2(12, 0)));
    let (mut xs0, mut xs1) = (vec![], vec![]);
    for tick in 0..=30 {
        if tick > 0 {
            sim.step();
        }
        let (c0, c1) = (sim.position(u0).unwrap(), sim.position(u1).unwrap());
        assert_eq!((c0.y, c1.y), (0, 0), "y stays 0 at tick {tick}");
        xs0.push(c0.x);
        xs1.push(c1.x);
    }
    assert_eq!(xs0, GAME_UNITS_U0);
    assert_eq!(xs1, GAME_UNITS_U1);
}

#[test]
fn the_scenario_file_reproduces_the_seed_table() {
    let scenario = Scenario::load(Path::new("assets/scenarios/game_units.ron")).unwrap();
    assert_eq!(scenario.ticks, 30);
    let mut sim = scenario.simulation(scenario.seed);
    for tick in 0..=30 {
        if tick > 0 {
            sim.step();
        }
        let cells: Vec<(String, IVec2)> = sim
            .units()
            .iter()
            .map(|unit| (unit.name.to_owned(), unit.position))
            .collect();
        assert_eq!(
            cells,
            [
                ("u0".to_owned(), ivec2(GAME_UNITS_U0[tick], 0)),
                ("u1".to_owned(), ivec2(GAME_UNITS_U1[tick], 0)),
            ],
            "tick {tick}"
        );
    }
}

#[test]
fn u1_finishes_on_the_tick_after_it_arrives_and_nothing_is_polled_while_walking() {
    let mut sim = Simulation::new(0);
    let route = Route::new([ivec2(-5, 0), ivec2(5, 0)]).unwrap();
    let u0 = sim.spawn("u0", ivec2(0, 0), patrol(route));
    let u1 = sim.spawn("u1", ivec2(0, 0), goto(ivec2(12, 0)));
    sim.run(12);
    assert_eq!(sim.position(u1), Some(ivec2(12, 0)));
    assert_eq!(sim.state(u1), Some(BehaviorState::Parked)); // its timer wakes it on tick 13
    sim.step();
    assert_eq!(sim.state(u1), Some(BehaviorState::Finished));
    sim.run(17);
    // u1: the first poll and the one that notices the arrival. u0: only the first poll — the
    // movement system walks the whole route and turns at each waypoint by itself.
    let polls = |unit| sim.world().get::<Behavior>(unit).unwrap().polls();
    assert_eq!((polls(u0), polls(u1)), (1, 2));
    assert_eq!(sim.stats().polls, 3);
    assert_eq!(sim.stats().finished, 1);
}
