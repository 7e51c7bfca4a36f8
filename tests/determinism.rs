//! Determinism: the same seed gives the same run, tick for tick, whatever the spawn order; a
//! behaviour that reads state from outside the simulation is caught within two ticks.

use bevy_ecs::entity::Entity;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::path::Path;
use std::sync::atomic::{AtomicI32, Ordering};
use tickweave::behaviors::game::{Area, wander};
use tickweave::prelude::*;
use tickweave::scenario::Scenario;

/// Per-tick checksums of the skirmish run with `seed`.
fn skirmish_checksums(seed: u64, ticks: u64) -> Vec<u64> {
    let scenario = Scenario::load(Path::new("assets/scenarios/skirmish.ron")).unwrap();
    let mut sim = scenario.simulation(seed);
    (0..ticks)
        .map(|_| {
            sim.step();
            sim.checksum().0
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_checksum_every_tick_and_another_seed_does_not() {
    let first = skirmish_checksums(4, 300);
    assert_eq!(first, skirmish_checksums(4, 300));
    let other = skirmish_checksums(5, 300);
    let diverged = first.iter().zip(&other).position(|(a, b)| a != b);
    assert!(diverged.is_some_and(|tick| tick < 10), "{diverged:?}");
}

/// 400 units with explicit ids (wanderers that draw from `unit::rng`, guards that sense and
/// chase, patrols), spawned in the order given.
fn mixed_world(order: &[u64]) -> Simulation {
    let mut sim = Simulation::new(11);
    sim.enable_sensing();
    for &id in order {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(id);
        let start = ivec2(rng.random_range(-30..=30), rng.random_range(-30..=30));
        let team = Team((id % 2) as u32);
        let behavior = match id % 3 {
            0 => Behavior::new(wander(
                Area::new(start - ivec2(8, 8), start + ivec2(8, 8)),
                2,
            )),
            1 => Behavior::new(async move {
                // Chase the nearest unit of the other team when it is close; otherwise roam.
                loop {
                    let me = unit::team();
                    if let Some(other) = nearest(|s| s.team != me, 5) {
                        let _ = timeout(6, chase(other.id)).await;
                    }
                    let _ = race(goto(start + ivec2(3, -2)), wait(4)).await;
                    goto(start).await;
                }
            }),
            _ => {
                let route = Route::new([start, start + ivec2(5, 3)]).unwrap();
                Behavior::new(patrol(route))
            }
        };
        sim.world_mut().spawn((
            UnitId(id),
            UnitName::from(format!("u{id}")),
            team,
            Position(start),
            behavior,
        ));
    }
    sim
}

#[test]
fn spawning_in_another_order_changes_nothing() {
    let ids: Vec<u64> = (0..400).collect();
    let mut shuffled = ids.clone();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(99);
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.random_range(0..=i));
    }
    let mut in_order = mixed_world(&ids);
    let mut permuted = mixed_world(&shuffled);
    for tick in 1..=200 {
        in_order.step();
        permuted.step();
        assert_eq!(in_order.checksum(), permuted.checksum(), "tick {tick}");
    }
}

/// Steps two worlds side by side; returns the first tick their checksums differ.
fn first_divergence(a: &mut Simulation, b: &mut Simulation, ticks: u64) -> Option<u64> {
    (1..=ticks).find(|_| {
        a.step();
        b.step();
        a.checksum() != b.checksum()
    })
}

/// A world of walkers, plus (if `leaky`) one whose walk depends on a counter outside the
/// simulation, shared by both twins.
fn twin(leaky: bool, counter: &'static AtomicI32) -> (Simulation, Entity) {
    let mut sim = Simulation::new(3);
    for i in 0..50 {
        let route = Route::new([ivec2(i, 0), ivec2(i, 9)]).unwrap();
        sim.spawn(format!("walker{i}"), ivec2(i, 0), patrol(route));
    }
    let odd = sim.spawn("odd", ivec2(0, 0), async move {
        loop {
            let step = if leaky {
                counter.fetch_add(1, Ordering::SeqCst) % 3
            } else {
                1
            };
            unit::set_position(unit::position() + ivec2(step, 0));
            next_tick().await;
        }
    });
    (sim, odd)
}

#[test]
fn lockstep_twins_agree_and_a_leak_from_outside_is_caught_within_two_ticks() {
    static CLEAN: AtomicI32 = AtomicI32::new(0);
    let (mut a, _) = twin(false, &CLEAN);
    let (mut b, _) = twin(false, &CLEAN);
    assert_eq!(first_divergence(&mut a, &mut b, 500), None);

    static SHARED: AtomicI32 = AtomicI32::new(0);
    let (mut a, _) = twin(true, &SHARED);
    let (mut b, _) = twin(true, &SHARED);
    let caught = first_divergence(&mut a, &mut b, 500);
    assert!(caught.is_some_and(|tick| tick <= 2), "caught at {caught:?}");
}
