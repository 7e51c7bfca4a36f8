//! Fault isolation: a panicking behaviour is dropped and reported; nobody else notices.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tickweave::components::ActivityStack;
use tickweave::prelude::*;

/// Counts its drops.
struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

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
    assert!(sim.world().get::<ActivityStack>(faulty).unwrap().is_empty());
    assert_eq!(sim.position(faulty), Some(ivec2(2, 0)));
    assert_eq!(sim.position(bystander), Some(ivec2(5, 0)));
    assert_eq!((sim.stats().faulted, sim.stats().finished), (1, 1));
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
