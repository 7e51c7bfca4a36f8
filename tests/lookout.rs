//! `enemy_in_sight`: a unit on the look-out is parked, costs no poll, and is woken on exactly
//! the tick its own poll would first see someone of another team; the built-in guard keeps its
//! look-out the same way. Through the public API, as a game would use it.

mod common;

use bevy_ecs::entity::Entity;
use common::activity;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::future::Future;
use std::sync::{Arc, Mutex};
use tickweave::behaviors::game;
use tickweave::prelude::*;

fn polls(sim: &Simulation, unit: Entity) -> u64 {
    sim.world().get::<Behavior>(unit).unwrap().polls()
}

#[test]
fn a_unit_on_the_look_out_parks_until_an_enemy_comes_into_sight() {
    let seen = Arc::new(Mutex::new(None));
    let noted = Arc::clone(&seen);
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    let sentry = sim.spawn_in_team("sentry", Team(0), ivec2(0, 0), async move {
        let intruder = enemy_in_sight(3).await;
        *noted.lock().unwrap() = Some((unit::tick(), intruder.id, intruder.position));
    });
    // A friend standing next to it is no enemy.
    sim.spawn_in_team("friend", Team(0), ivec2(1, 0), async {});
    // Steps west from (10, 0) from tick 1 on: at the start of tick t it stands on x = 11 - t.
    let intruder = sim.spawn_in_team("intruder", Team(1), ivec2(10, 0), async {
        goto(ivec2(-10, 0)).await;
    });
    sim.run(7);
    assert_eq!(sim.state(sentry), Some(BehaviorState::Parked));
    assert_eq!(activity(&sim, sentry), "enemy_in_sight(3)");
    assert_eq!(
        polls(&sim, sentry),
        1,
        "looked once, then Sense looked out for it"
    );
    assert_eq!(*seen.lock().unwrap(), None);
    sim.step(); // tick 8 starts with the intruder on x = 3
    let intruder_id = sim.unit_id(intruder).unwrap();
    assert_eq!(*seen.lock().unwrap(), Some((8, intruder_id, ivec2(3, 0))));
    assert_eq!(polls(&sim, sentry), 2);
    assert_eq!(sim.state(sentry), Some(BehaviorState::Finished));
}

#[test]
fn an_enemy_already_in_sight_completes_the_look_out_in_the_same_poll() {
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    sim.spawn_in_team("scout", Team(1), ivec2(2, 2), async {});
    let sentry = sim.spawn_in_team("sentry", Team(0), ivec2(0, 0), async {
        let scout = enemy_in_sight(2).await;
        goto(scout.position).await;
    });
    sim.run(2);
    assert_eq!(sim.position(sentry), Some(ivec2(2, 2)));
}

#[test]
fn a_paused_unit_on_the_look_out_stays_paused_and_looks_again_when_resumed() {
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    let sentry = sim.spawn_in_team("sentry", Team(0), ivec2(0, 0), async {
        let scout = enemy_in_sight(2).await;
        goto(scout.position).await;
    });
    sim.step();
    sim.pause(sentry).unwrap();
    sim.spawn_in_team("scout", Team(1), ivec2(2, 0), async {});
    sim.run(3);
    assert_eq!(sim.position(sentry), Some(ivec2(0, 0)));
    assert_eq!(sim.state(sentry), Some(BehaviorState::Paused));
    sim.resume(sentry).unwrap();
    sim.run(3);
    assert_eq!(sim.position(sentry), Some(ivec2(2, 0)));
}

/// What a sentry does once it sees someone: walks to where they stood, then looks out again.
async fn hunt<F: Future>(look: impl Fn() -> F) -> ! {
    loop {
        look().await;
        let Some(enemy) = nearest_enemy(unit::team(), 4) else {
            unreachable!("just seen")
        };
        goto(enemy.position).await;
        wait(1).await;
    }
}

/// Sentries patrolling while they look out, and wanderers of another team, with every sentry
/// looking either with `enemy_in_sight` or by hand every tick; the units' cells tick by tick
/// and the sentries' polls.
///
/// Now and then someone turns up next to a sentry other than by walking: a wanderer that jumps
/// (`unit::set_position`), one the game places, one whose `Position` the game writes, a new
/// wanderer spawned, a friend who changes team. A look-out that counts on units walking a step
/// a tick must still see each on the tick it arrives.
fn skirmish(parked: bool) -> (Vec<Vec<IVec2>>, u64) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let cell =
        |rng: &mut Xoshiro256PlusPlus| ivec2(rng.random_range(-40..40), rng.random_range(-40..40));
    let mut sim = Simulation::new(3);
    sim.enable_sensing();
    let mut sentries = Vec::new();
    for _ in 0..20 {
        let at = cell(&mut rng);
        let route = Route::new(vec![cell(&mut rng), cell(&mut rng)])
            .unwrap_or_else(|_| Route::new(vec![ivec2(0, 0), ivec2(1, 1)]).unwrap());
        let behavior = async move {
            hunt(|| {
                let route = route.clone();
                async move {
                    if parked {
                        let _ = race(patrol(route), enemy_in_sight(4)).await;
                    } else {
                        let looking = wait_until(|| nearest_enemy(unit::team(), 4).is_some());
                        let _ = race(patrol(route), looking).await;
                    }
                }
            })
            .await
        };
        sentries.push(sim.spawn_in_team("sentry", Team(0), at, behavior));
    }
    let mut wanderers = Vec::new();
    for _ in 0..12 {
        let (at, to) = (cell(&mut rng), cell(&mut rng));
        wanderers.push(sim.spawn_in_team("wanderer", Team(1), at, async move {
            loop {
                goto(to).await;
                goto(-to).await;
            }
        }));
    }
    // Jumps from afar to a cell next to the first sentry's start, a while into the run.
    let beside = sim.position(sentries[0]).unwrap() + ivec2(3, -2);
    sim.spawn_in_team("jumper", Team(1), ivec2(300, 300), async move {
        wait(37).await;
        unit::set_position(beside);
        wait(1).await;
        unit::set_position(ivec2(300, 300));
    });
    let friend = sim.spawn_in_team("friend", Team(0), ivec2(-300, 0), async {});
    let mut ticks = Vec::new();
    for tick in 0..120 {
        let next_to = |sim: &Simulation, sentry: usize| {
            sim.position(sentries[sentry % sentries.len()]).unwrap() + ivec2(-3, 4)
        };
        match tick {
            20 => sim.place(wanderers[0], next_to(&sim, 1)).unwrap(),
            50 => {
                let at = next_to(&sim, 2);
                sim.world_mut().get_mut::<Position>(wanderers[1]).unwrap().0 = at;
            }
            65 => {
                let at = next_to(&sim, 3);
                sim.spawn_in_team("newcomer", Team(1), at, async {});
            }
            80 => {
                let at = next_to(&sim, 4);
                sim.place(friend, at).unwrap();
            }
            90 => {
                sim.world_mut().entity_mut(friend).insert(Team(1));
            }
            _ => {}
        }
        sim.step();
        ticks.push(sim.units().iter().map(|unit| unit.position).collect());
    }
    let polled = sentries.iter().map(|&sentry| polls(&sim, sentry)).sum();
    (ticks, polled)
}

#[test]
fn parked_on_the_look_out_a_sentry_does_what_one_looking_every_tick_does() {
    let (parked, parked_polls) = skirmish(true);
    let (looking, looking_polls) = skirmish(false);
    assert_eq!(parked, looking);
    assert!(
        parked_polls * 3 < looking_polls,
        "parked: {parked_polls} polls, looking every tick: {looking_polls}"
    );
}

#[test]
fn a_guard_that_sights_someone_just_after_turning_resumes_toward_the_next_waypoint() {
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    let route = Route::new(vec![ivec2(0, 0), ivec2(5, 0)]).unwrap();
    let params = game::GuardParams {
        route,
        sight: 2,
        patience: 3,
    };
    let guard = sim.spawn_in_team("guard", Team(0), ivec2(0, 0), game::guard(params));
    // On (5, 0) at the start of tick 6, it turns there and steps back to (4, 0).
    sim.run(6);
    assert_eq!(sim.position(guard), Some(ivec2(4, 0)));
    // Seen at the start of tick 7: a step to (4, 1), the catch on tick 8.
    sim.spawn_in_team("intruder", Team(1), ivec2(4, 2), async {});
    let path: Vec<IVec2> = (0..6)
        .map(|_| {
            sim.step();
            sim.position(guard).unwrap()
        })
        .collect();
    assert_eq!(sim.tallies().get("caught"), 1);
    // From tick 9 on its way to (0, 0), the waypoint it was heading for, not back to (5, 0),
    // which it had just left.
    assert_eq!(
        path,
        [
            ivec2(4, 1),
            ivec2(4, 1),
            ivec2(3, 0),
            ivec2(2, 0),
            ivec2(1, 0),
            ivec2(0, 0)
        ]
    );
}
