//! Polling on several threads changes nothing: every scenario in `assets/`, and a world using
//! every kind of reach a behaviour has (sensing, random numbers, signals, despawns, tallies,
//! writes to the game's data, spawns, failures, panics, spent budgets, a stun), give the same
//! checksum after every tick, the same events in the same order and the same statistics with
//! 1, 2 and 3 threads.

use bevy_ecs::prelude::{Component, Resource};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use tickweave::behaviors::game::{Area, wander};
use tickweave::events::LoggedEvent;
use tickweave::prelude::*;
use tickweave::scenario::Scenario;
use tickweave::systems::{Executor, ExecutorStats};

/// What a run shows after each tick: its checksum, and the events of that tick in order.
#[derive(Debug, PartialEq)]
struct Tick {
    checksum: u64,
    events: Vec<LoggedEvent>,
}

/// Steps `sim` `ticks` times; every tick is polled on `threads` threads, however few units are
/// runnable.
fn play(mut sim: Simulation, threads: usize, ticks: u64) -> (Vec<Tick>, ExecutorStats) {
    sim.set_threads(threads);
    sim.world_mut()
        .resource_mut::<Executor>()
        .set_parallel_from(1);
    sim.record_events(true);
    let ticks = (0..ticks)
        .map(|_| {
            sim.step();
            Tick {
                checksum: sim.checksum().0,
                events: sim.event_log().drain().collect(),
            }
        })
        .collect();
    (ticks, sim.stats())
}

/// Runs `build`'s simulation on 1, 2 and 3 threads and asserts they agree tick by tick.
fn assert_threads_agree(what: &str, ticks: u64, build: impl Fn() -> Simulation) {
    let (serial, serial_stats) = play(build(), 1, ticks);
    assert!(serial_stats.polls > 0, "{what}: nothing was polled");
    for threads in [2, 3] {
        let (parallel, stats) = play(build(), threads, ticks);
        for (tick, (one, many)) in serial.iter().zip(&parallel).enumerate() {
            assert_eq!(one, many, "{what}, tick {}, {threads} threads", tick + 1);
        }
        assert_eq!(serial_stats, stats, "{what}, {threads} threads");
    }
}

/// Groups above this many units are cut to it, so that a debug build checks every scenario in
/// seconds: the same behaviours, laid out from the same seed, only fewer of them.
const MOST_UNITS_A_GROUP: &str = "20000";

#[test]
fn every_scenario_in_assets_plays_the_same_on_one_two_and_three_threads() {
    let mut checked = 0;
    for entry in std::fs::read_dir("assets/scenarios").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("count: 1000000", &format!("count: {MOST_UNITS_A_GROUP}"));
        let scenario = Scenario::parse(&text, &path.display().to_string()).unwrap();
        assert!(
            scenario.unit_count() <= 20_000,
            "{} is larger",
            path.display()
        );
        assert_threads_agree(&path.display().to_string(), 100, || scenario.simulation(7));
        checked += 1;
    }
    assert!(checked >= 3, "found {checked} scenarios");
}

#[derive(Resource, Default)]
struct Stockpile(u64);

#[derive(Component, Clone, Copy)]
struct Health(i32);

/// A signal between neighbours.
#[derive(Clone)]
struct Ping(u64);

/// 1,000 units (the same world as the determinism example, plus units that signal, write to
/// the game's data, spawn, fail, panic and never wait), over enough ticks that guards catch
/// and despawn, timers wake, and spawned units run.
fn kitchen_sink() -> Simulation {
    let mut sim = Simulation::new(2024);
    sim.enable_sensing();
    sim.world_mut().init_resource::<Stockpile>();
    for id in 0..1_000u64 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(id);
        let start = ivec2(rng.random_range(-35..=35), rng.random_range(-35..=35));
        let behavior = match id % 8 {
            0 => Behavior::new(wander(
                Area::new(start - ivec2(12, 12), start + ivec2(12, 12)),
                3,
            )),
            1 => Behavior::new(async move {
                loop {
                    let me = unit::team();
                    if let Some(other) = nearest(|s| s.team != me, 4) {
                        if grid_distance(other.position, unit::position()) <= 1 {
                            let _ = despawn_and_tally(other.id, "caught");
                        }
                        let _ = timeout(8, chase(other.id)).await;
                    }
                    let _ = race(goto(start + ivec2(6, -4)), wait(7)).await;
                    goto(start).await;
                }
            }),
            2 => Behavior::new(patrol(
                Route::new([start, start + ivec2(9, 5)]).expect("distinct"),
            )),
            3 => Behavior::new(async move {
                for round in 0.. {
                    let _ = send(Recipient::Unit(UnitId(id + 1)), Ping(round));
                    let heard = race(receive::<Ping>(), wait(5)).await;
                    if let Winner::First(ping) = heard {
                        tally(if ping.value.0.is_multiple_of(2) {
                            "even"
                        } else {
                            "odd"
                        });
                    }
                }
            }),
            4 => Behavior::new(async move {
                loop {
                    let Received { value, .. } = receive::<Ping>().await;
                    let _ = send(Recipient::Team(Team(0)), Ping(value.0 + id));
                    let stock = ecs::with_resource(|s: &Stockpile| s.0).unwrap_or(0);
                    let _ = ecs::modify_resource(move |s: &mut Stockpile| {
                        s.0 = s.0.wrapping_mul(31).wrapping_add(id ^ stock);
                    })
                    .await;
                    let me = unit::entity();
                    let _ = ecs::modify(me, |health: &mut Health| health.0 -= 1).await;
                    if unit::get::<Health>().is_ok_and(|health| health.0 < 0) {
                        return Err::<(), _>(format!("unit {id} wore out"));
                    }
                }
            }),
            5 => Behavior::new(async move {
                wait(id % 13).await;
                let spawned = ecs::spawn(format!("child{id}"), unit::position(), async move {
                    goto(start + ivec2(3, 3)).await
                })
                .await;
                if id % 5 == 0 {
                    panic!("unit {id} gives up after spawning {spawned:?}");
                }
                Ok::<(), String>(())
            }),
            6 if id % 24 == 6 => Behavior::new(async {
                // Never waits: spends its budget every tick.
                loop {
                    wait(0).await;
                }
            }),
            _ => Behavior::new(async move {
                let mut rng = unit::rng();
                loop {
                    let step = ivec2(rng.random_range(-1..=1), rng.random_range(-1..=1));
                    unit::set_position(unit::position() + step);
                    wait(rng.random_range(0..4)).await;
                }
            }),
        };
        sim.world_mut().spawn((
            UnitId(id),
            UnitName::from(format!("u{id}")),
            Team((id % 2) as u32),
            Position(start),
            Health(20),
            behavior,
        ));
    }
    let stunned = sim.entity(UnitId(9)).unwrap();
    sim.stun(stunned, 30).unwrap();
    sim
}

#[test]
fn a_world_using_every_reach_of_a_behaviour_plays_the_same_on_one_two_and_three_threads() {
    assert_threads_agree("the kitchen sink", 60, kitchen_sink);
}
