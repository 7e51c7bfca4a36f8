//! The harvest example's game: its default run ends where the example says, ore is never made
//! or lost, and the same seed plays the same game.

#[path = "../examples/harvest/game.rs"]
mod game;

use game::{CAPACITY, Cargo, Census, HOME, Hires, MAX_WORKERS};
use tickweave::events::UnitEvent;
use tickweave::prelude::*;

/// The census after each of `ticks` ticks of `sim`, tick 0 (the setup) first.
fn play(sim: &mut Simulation, ticks: u64) -> Vec<Census> {
    let mut censuses = vec![Census::take(sim)];
    for _ in 0..ticks {
        sim.step();
        censuses.push(Census::take(sim));
    }
    censuses
}

fn cargoes(sim: &mut Simulation) -> Vec<u32> {
    let world = sim.world_mut();
    world
        .query::<&Cargo>()
        .iter(world)
        .map(|cargo| cargo.0)
        .collect()
}

#[test]
fn the_default_run_delivers_all_108_ore_with_six_workers() {
    let mut sim = game::setup(7);
    let censuses = play(&mut sim, 200);
    let last = censuses.last().expect("tick 0 at least");
    assert_eq!(censuses[0].total(), 108);
    assert_eq!(last.stockpile, 108, "the example's `stockpile: 108`");
    assert_eq!(last.workers, 6, "the example's `workers: 6`");
    assert_eq!((last.deposits, last.in_ground, last.carried), (0, 0, 0));
    // Everyone stopped because the work was done, not because something failed.
    let workers: Vec<_> = sim.units().iter().map(|unit| unit.entity).collect();
    for worker in workers {
        let behavior = sim.world().get::<Behavior>(worker).expect("a worker");
        assert_eq!(behavior.outcome(), Some(&Outcome::Completed), "{worker}");
    }
    let hires = &sim.world().resource::<Hires>().0;
    assert_eq!(hires.len() as u32, MAX_WORKERS - game::FIRST_WORKERS);
    let names: Vec<String> = hires
        .iter()
        .map(|hire| {
            let entity = sim.entity(hire.hired).expect("hired workers stay");
            sim.world()
                .get::<UnitName>(entity)
                .expect("named")
                .to_string()
        })
        .collect();
    assert_eq!(names, ["w2", "w3", "w4", "w5"]);
}

#[test]
fn ore_is_only_ever_moved_never_made_or_lost() {
    for seed in 0..12 {
        let mut sim = game::setup(seed);
        let total = Census::take(&mut sim).total();
        let mut stockpile = 0;
        for tick in 1..=250 {
            sim.step();
            let census = Census::take(&mut sim);
            assert_eq!(
                census.total(),
                total,
                "seed {seed}, tick {tick}: {census:?}"
            );
            assert!(census.stockpile >= stockpile, "seed {seed}, tick {tick}");
            assert!(census.workers <= MAX_WORKERS, "seed {seed}, tick {tick}");
            stockpile = census.stockpile;
            for cargo in cargoes(&mut sim) {
                assert!(cargo <= CAPACITY, "seed {seed}, tick {tick}: cargo {cargo}");
            }
        }
    }
}

#[test]
fn workers_racing_for_the_last_ore_share_exactly_what_there_is() {
    // Three workers reach a deposit of one ore on the same tick, all see that ore, and all dig:
    // the first by unit id gets it, the others get nothing, and it is despawned once.
    let mut sim = game::setup_with(3, &[(ivec2(2, 0), 1)], 3);
    sim.record_events(true);
    sim.run(3); // they arrive on tick 2 and dig on tick 3
    let units: Vec<_> = sim.units().iter().map(|u| (u.entity, u.position)).collect();
    let world = sim.world();
    let by_id: Vec<_> = units
        .iter()
        .map(|&(unit, cell)| (cell, world.get::<Cargo>(unit).expect("a worker").0))
        .collect();
    assert_eq!(
        by_id,
        [(ivec2(2, 0), 1), (ivec2(2, 0), 0), (ivec2(2, 0), 0)]
    );
    let censuses = play(&mut sim, 20);
    for census in &censuses {
        assert_eq!(census.total(), 1, "{census:?}");
    }
    let last = censuses.last().expect("tick 0 at least");
    assert_eq!((last.deposits, last.carried, last.stockpile), (0, 0, 1));
    let failed: Vec<_> = sim
        .event_log()
        .drain()
        .filter(|logged| matches!(logged.event, UnitEvent::WriteFailed { .. }))
        .collect();
    assert!(failed.is_empty(), "no write may miss: {failed:?}");
    for unit in sim.units() {
        assert_eq!(unit.position, HOME, "{} walked home", unit.name);
        assert_eq!(unit.state, Some(BehaviorState::Finished), "{}", unit.name);
    }
}

#[test]
fn the_same_seed_plays_the_same_game() {
    let run = |seed| {
        let mut sim = game::setup(seed);
        let mut rows = vec![Census::take(&mut sim).row()];
        for _ in 0..200 {
            sim.step();
            rows.push(format!(
                "{}  {}",
                Census::take(&mut sim).row(),
                sim.checksum()
            ));
        }
        rows
    };
    let first = run(7);
    assert_eq!(first, run(7));
    assert_ne!(first, run(8), "another seed draws other deposits");
}
