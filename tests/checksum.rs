//! The world checksum: the same for the same run, different for another, blind to entity order.

use tickweave::components::{Behavior, Position, UnitId, UnitName};
use tickweave::prelude::*;
use tickweave::scenario::{DEFAULT_SCENARIO, DEFAULT_SCENARIO_ORIGIN, Scenario};
use tickweave::{Checksum, checksum};

/// The checksum after each tick of the built-in skirmish (`assets/scenarios/skirmish.ron`).
fn skirmish_checksums(seed: u64, ticks: u64) -> Vec<Checksum> {
    let scenario = Scenario::parse(DEFAULT_SCENARIO, DEFAULT_SCENARIO_ORIGIN).unwrap();
    let mut sim = scenario.simulation(seed);
    let mut sums = vec![sim.checksum()];
    for _ in 0..ticks {
        sim.step();
        sums.push(sim.checksum());
    }
    sums
}

#[test]
fn the_same_seed_gives_the_same_checksum_every_tick_and_another_seed_does_not() {
    let first = skirmish_checksums(4, 300);
    assert_eq!(first, skirmish_checksums(4, 300));
    let other = skirmish_checksums(5, 300);
    assert_eq!(first[0], other[0], "tick 0 is the scenario as written");
    let diverged = first.iter().zip(&other).position(|(a, b)| a != b);
    // The scouts draw their first destination on tick 1.
    assert_eq!(diverged, Some(1));
    assert_ne!(first.last(), other.last());
}

#[test]
fn the_checksum_does_not_depend_on_entity_order() {
    let build = |reversed: bool| {
        let mut sim = Simulation::new(0);
        let world = sim.world_mut();
        if reversed {
            // Shift entity indices and spawn the units last-first, keeping their ids.
            world.spawn_empty();
        }
        let mut units = vec![(0, ivec2(0, 0)), (1, ivec2(3, 0)), (2, ivec2(0, -4))];
        if reversed {
            units.reverse();
        }
        for (id, cell) in units {
            world.spawn((
                UnitId(id),
                UnitName::from(format!("u{id}")),
                Position(cell),
                Behavior::new(goto(ivec2(5, 5))),
            ));
        }
        sim.run(3);
        checksum(sim.world())
    };
    assert_eq!(build(false), build(true));
}

#[test]
fn a_unit_that_moves_changes_the_checksum() {
    let mut sim = Simulation::new(0);
    sim.spawn("u", ivec2(0, 0), goto(ivec2(3, 0)));
    let before = sim.checksum();
    sim.step();
    assert_ne!(sim.checksum(), before);
    assert_eq!(sim.checksum(), checksum(sim.world()));
    assert!(format!("{}", sim.checksum()).starts_with("0x"));
}
