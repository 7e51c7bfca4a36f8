//! Cancelling or despawning a unit at any await point drops its future exactly once, in that
//! tick, and leaves nothing behind.

mod common;

use common::DropCounter;

use bevy_ecs::entity::Entity;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tickweave::components::Motion;
use tickweave::prelude::*;

#[derive(Clone)]
struct Never;

type Body = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Each built-in, awaited so that it is still pending on tick 3.
fn awaits(target: UnitId) -> Vec<(&'static str, Body)> {
    let route = Route::new([ivec2(-9, 0), ivec2(9, 0)]).unwrap();
    vec![
        ("goto", Box::pin(goto(ivec2(50, 0)))),
        ("patrol", Box::pin(patrol(route))),
        ("wait", Box::pin(wait(50))),
        ("wait_until", Box::pin(wait_until(|| false))),
        (
            "receive",
            Box::pin(async {
                receive::<Never>().await;
            }),
        ),
        (
            "race",
            Box::pin(async {
                let _ = race(wait(50), goto(ivec2(0, 50))).await;
            }),
        ),
        (
            "join",
            Box::pin(async {
                let _ = join(wait(50), goto(ivec2(0, 50))).await;
            }),
        ),
        (
            "timeout",
            Box::pin(async {
                let _ = timeout(50, goto(ivec2(0, 50))).await;
            }),
        ),
        (
            "chase",
            Box::pin(async move {
                let _ = chase(target).await;
            }),
        ),
        ("label", Box::pin(label("step", wait(50)))),
    ]
}

/// A simulation with a far-away chase target and one unit awaiting `body`, at tick 2.
fn unit_awaiting(name: &str, body: Body, drops: &Arc<AtomicUsize>) -> (Simulation, Entity) {
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    sim.spawn("target", ivec2(90, 90), wait(1_000));
    let guard = DropCounter(drops.clone());
    let unit = sim.spawn(name, ivec2(0, 0), async move {
        let _guard = guard;
        body.await;
    });
    sim.run(2);
    (sim, unit)
}

#[test]
fn cancelling_at_every_await_point_drops_once_and_clears_everything() {
    for (name, body) in awaits(UnitId(0)) {
        let drops = Arc::new(AtomicUsize::new(0));
        let (mut sim, unit) = unit_awaiting(name, body, &drops);
        assert!(
            !sim.activity(unit).unwrap().is_empty(),
            "{name}: busy before the cancel"
        );
        let polls = sim.world().get::<Behavior>(unit).unwrap().polls();
        sim.cancel(unit, "test").unwrap();
        assert_eq!(drops.load(Ordering::SeqCst), 1, "{name}: dropped at once");
        assert!(sim.activity(unit).unwrap().is_empty(), "{name}");
        assert_eq!(
            sim.world().get::<Motion>(unit).unwrap().target(),
            None,
            "{name}"
        );
        let before = sim.position(unit);
        sim.run(5);
        assert_eq!(sim.position(unit), before, "{name}: stands still");
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "{name}: never dropped again"
        );
        let polls_after = sim.world().get::<Behavior>(unit).unwrap().polls();
        assert_eq!(polls_after, polls, "{name}: never polled again");
    }
}

#[test]
fn despawning_at_every_await_point_drops_once() {
    for (name, body) in awaits(UnitId(0)) {
        let drops = Arc::new(AtomicUsize::new(0));
        let (mut sim, unit) = unit_awaiting(name, body, &drops);
        assert!(sim.despawn(unit));
        assert_eq!(drops.load(Ordering::SeqCst), 1, "{name}: dropped at once");
        sim.run(5);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "{name}: never dropped again"
        );
        assert_eq!(sim.units().len(), 1, "{name}: only the target is left");
    }
}

#[test]
fn stunning_at_every_await_point_then_cancelling_drops_both_once() {
    for (name, body) in awaits(UnitId(0)) {
        let drops = Arc::new(AtomicUsize::new(0));
        let (mut sim, unit) = unit_awaiting(name, body, &drops);
        let stun_drops = Arc::new(AtomicUsize::new(0));
        let stun_guard = DropCounter(stun_drops.clone());
        sim.interrupt(unit, async move {
            let _guard = stun_guard;
            wait(10).await;
        })
        .unwrap();
        sim.run(2);
        sim.cancel(unit, "test").unwrap();
        assert_eq!(
            (
                drops.load(Ordering::SeqCst),
                stun_drops.load(Ordering::SeqCst)
            ),
            (1, 1),
            "{name}"
        );
        assert!(sim.activity(unit).unwrap().is_empty(), "{name}");
    }
}
