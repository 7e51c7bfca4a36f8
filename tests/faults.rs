//! Fault isolation: a panicking behaviour is dropped and reported; nobody else notices.

mod common;

use common::DropCounter;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tickweave::events::UnitEvent;
use tickweave::prelude::*;

/// Panics while being dropped.
struct ExplodingDrop;

impl Drop for ExplodingDrop {
    fn drop(&mut self) {
        panic!("boom on drop");
    }
}

fn quiet_panics() {
    // Keep the expected panics out of the test output.
    std::panic::set_hook(Box::new(|_| {}));
}

#[test]
fn a_panicking_behaviour_faults_alone_and_is_never_polled_again() {
    quiet_panics();
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let drops = Arc::new(AtomicUsize::new(0));
    let polls = Arc::new(AtomicUsize::new(0));
    let (guard, counter) = (DropCounter(drops.clone()), polls.clone());
    let faulty = sim.spawn("faulty", ivec2(0, 0), async move {
        let _guard = guard;
        goto(ivec2(2, 0)).await;
        counter.fetch_add(1, Ordering::SeqCst);
        label("doomed", async {
            panic!("out of ammo at {}", unit::tick())
        })
        .await;
    });
    let bystander = sim.spawn("bystander", ivec2(0, 0), goto(ivec2(5, 0)));
    sim.run(6);
    let behavior = sim.world().get::<Behavior>(faulty).unwrap();
    assert_eq!(
        behavior.outcome(),
        Some(&Outcome::Faulted("out of ammo at 3".into()))
    );
    assert_eq!(behavior.polls(), 2);
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "dropped exactly once, when it faulted"
    );
    assert_eq!(polls.load(Ordering::SeqCst), 1);
    assert!(sim.activity(faulty).unwrap().is_empty());
    assert_eq!(sim.position(faulty), Some(ivec2(2, 0)));
    assert_eq!(sim.position(bystander), Some(ivec2(5, 0)));
    assert_eq!((sim.stats().faulted, sim.stats().finished), (1, 1));
    // In the event log (and so in a trace) like any other ending, on the tick it faulted.
    let faulty_id = sim.unit_id(faulty).unwrap();
    let events: Vec<_> = sim
        .event_log()
        .drain()
        .filter(|event| event.unit == faulty_id)
        .map(|event| (event.tick, event.event))
        .collect();
    assert_eq!(
        events,
        [
            (1, UnitEvent::GotoIssued { cell: ivec2(2, 0) }),
            (3, UnitEvent::GotoArrived { cell: ivec2(2, 0) }),
            (
                3,
                UnitEvent::BehaviorFaulted {
                    message: "out of ammo at 3".into()
                }
            ),
        ]
    );
}

#[test]
fn a_panic_inside_a_unit_function_or_a_destructor_is_contained_too() {
    quiet_panics();
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    let in_filter = sim.spawn("in_filter", ivec2(0, 0), async {
        let _ = nearest(|_| panic!("bad filter"), 5);
    });
    // Its destructor panics when the cancelled future is dropped (not while unwinding, which
    // Rust turns into an abort whatever anyone does).
    let in_drop = sim.spawn("in_drop", ivec2(1, 0), async {
        let _bomb = ExplodingDrop;
        wait(100).await;
    });
    let fine = sim.spawn("fine", ivec2(9, 9), goto(ivec2(9, 12)));
    sim.run(1);
    sim.cancel(in_drop, "defused").unwrap();
    sim.run(2);
    let outcome = |unit| {
        sim.world()
            .get::<Behavior>(unit)
            .unwrap()
            .outcome()
            .cloned()
    };
    assert_eq!(
        outcome(in_filter),
        Some(Outcome::Faulted("bad filter".into()))
    );
    assert_eq!(outcome(in_drop), Some(Outcome::Cancelled("defused".into())));
    assert_eq!(sim.position(fine), Some(ivec2(9, 12)));
}

/// Whatever removes a behaviour whose destructor panics — the game despawning its unit, another
/// unit despawning it, a new behaviour inserted over it, the world dropped — the panic stays
/// inside: nothing unwinds out of `despawn`, `step` or the world's drop.
#[test]
fn a_destructor_that_panics_is_contained_whatever_removes_the_behaviour() {
    quiet_panics();
    let mut sim = Simulation::new(0);
    let armed = || async {
        let _bomb = ExplodingDrop;
        wait(100).await;
    };
    let by_game = sim.spawn("by_game", ivec2(0, 0), armed());
    let by_unit = sim.spawn("by_unit", ivec2(1, 0), armed());
    let replaced = sim.spawn("replaced", ivec2(2, 0), armed());
    let at_the_end = sim.spawn("at_the_end", ivec2(3, 0), armed());
    let target = sim.unit_id(by_unit).unwrap();
    sim.spawn("remover", ivec2(4, 0), async move {
        wait(1).await;
        despawn(target).expect("alive on tick 2");
    });
    sim.step();
    assert!(sim.despawn(by_game));
    sim.step(); // the remover despawns `by_unit` in Act
    assert_eq!(sim.entity(target), None);
    sim.world_mut()
        .entity_mut(replaced)
        .insert(Behavior::new(goto(ivec2(2, 3))));
    sim.run(3);
    assert_eq!(sim.position(replaced), Some(ivec2(2, 3)));
    assert_eq!(sim.state(at_the_end), Some(BehaviorState::Parked));
    drop(sim);
}

#[test]
fn a_stun_that_panics_faults_the_whole_behaviour() {
    quiet_panics();
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), goto(ivec2(9, 0)));
    sim.step();
    sim.interrupt(unit, async { panic!("bad interrupt") })
        .unwrap();
    sim.run(2);
    let behavior = sim.world().get::<Behavior>(unit).unwrap();
    assert_eq!(
        behavior.outcome(),
        Some(&Outcome::Faulted("bad interrupt".into()))
    );
    assert_eq!(sim.position(unit), Some(ivec2(1, 0)));
}

/// 10,000 patrolling units, 100 of which end at seeded ticks: by panicking, or (the control
/// run) by simply returning.
fn faulty_world(panic: bool) -> (Simulation, Vec<bevy_ecs::entity::Entity>, Vec<bool>) {
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt, SeedableRng};
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(77);
    let mut sim = Simulation::new(77);
    let mut faulty = vec![false; 10_000];
    for _ in 0..100 {
        let mut index = rng.random_range(0..10_000);
        while faulty[index] {
            index = rng.random_range(0..10_000);
        }
        faulty[index] = true;
    }
    let mut units = Vec::with_capacity(10_000);
    for (index, &is_faulty) in faulty.iter().enumerate() {
        let start = ivec2(rng.random_range(-40..=40), rng.random_range(-40..=40));
        let end = start + ivec2(rng.random_range(1..=12), rng.random_range(-5..=5));
        let route = Route::new([start, end]).unwrap();
        let ends_at = rng.random_range(2..60);
        let unit = if is_faulty {
            sim.spawn(format!("u{index}"), start, async move {
                let _ = race(patrol(route), wait(ends_at)).await;
                if panic {
                    panic!("unit {index} gives up");
                }
            })
        } else {
            sim.spawn(format!("u{index}"), start, patrol(route))
        };
        units.push(unit);
    }
    (sim, units, faulty)
}

#[test]
fn a_hundred_panics_among_ten_thousand_units_change_nothing_else() {
    quiet_panics();
    let (mut faulting, units, faulty) = faulty_world(true);
    let (mut control, control_units, _) = faulty_world(false);
    for tick in 1..=80 {
        faulting.step();
        control.step();
        for (index, (&a, &b)) in units.iter().zip(&control_units).enumerate() {
            assert_eq!(
                faulting.position(a),
                control.position(b),
                "u{index} at tick {tick}"
            );
            if !faulty[index] {
                assert_eq!(
                    faulting.state(a),
                    control.state(b),
                    "u{index} at tick {tick}"
                );
            }
        }
    }
    assert_eq!(faulting.stats().faulted, 100);
    assert_eq!(control.stats().faulted, 0);
    let faulted = units
        .iter()
        .filter(|&&unit| {
            matches!(
                faulting.world().get::<Behavior>(unit).unwrap().outcome(),
                Some(Outcome::Faulted(_))
            )
        })
        .count();
    assert_eq!(faulted, 100);
}
