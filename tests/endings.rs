//! Every ending of a behaviour is announced — a message, an observer event and a unit event —
//! however it ends: also when the game despawns its unit, inserts another behaviour over it,
//! or removes it. Its futures are dropped at once, exactly once.

mod common;

use bevy_ecs::entity::Entity;
use bevy_ecs::message::Messages;
use bevy_ecs::observer::On;
use bevy_ecs::prelude::{Commands, IntoScheduleConfigs, Res, Resource};
use common::DropCounter;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tickweave::events::UnitEvent;
use tickweave::prelude::*;
use tickweave::systems::Tick;

/// Records the endings as the observer sees them, with the tick.
#[derive(Clone, Default)]
struct Observed(Arc<Mutex<Vec<(u64, UnitId, Outcome)>>>);

impl Observed {
    fn install(sim: &mut Simulation) -> Self {
        let observed = Observed::default();
        let log = observed.clone();
        sim.world_mut()
            .add_observer(move |done: On<BehaviorFinished>, tick: Res<Tick>| {
                let done = done.event();
                log.0
                    .lock()
                    .unwrap()
                    .push((tick.get(), done.unit, done.outcome.clone()));
            });
        observed
    }

    fn take(&self) -> Vec<(u64, UnitId, Outcome)> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// The endings written as messages so far, in order.
fn messages(sim: &Simulation) -> Vec<(UnitId, Outcome)> {
    let messages = sim.world().resource::<Messages<BehaviorFinished>>();
    messages
        .iter_current_update_messages()
        .map(|done| (done.unit, done.outcome.clone()))
        .collect()
}

/// The ending events of the event log, with their tick.
fn ending_events(sim: &mut Simulation) -> Vec<(u64, UnitId, UnitEvent)> {
    sim.event_log()
        .drain()
        .filter(|e| e.event.name().starts_with("behavior_"))
        .map(|e| (e.tick, e.unit, e.event))
        .collect()
}

/// A behaviour that waits long, holding something that counts its drops.
fn waiting(drops: &Arc<AtomicUsize>) -> impl Future<Output = ()> + Send + 'static {
    let guard = DropCounter(drops.clone());
    async move {
        let _guard = guard;
        wait(100).await;
    }
}

fn sim_recording() -> Simulation {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    sim
}

#[test]
fn a_game_despawn_ends_the_behaviour_as_despawned_and_announces_it_at_once() {
    let mut sim = sim_recording();
    let observed = Observed::install(&mut sim);
    let drops = Arc::new(AtomicUsize::new(0));
    let unit = sim.spawn("u", ivec2(0, 0), waiting(&drops));
    sim.run(2);
    assert!(sim.despawn(unit));
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(observed.take(), [(2, UnitId(0), Outcome::Despawned)]);
    assert_eq!(messages(&sim), [(UnitId(0), Outcome::Despawned)]);
    sim.run(3);
    assert_eq!(drops.load(Ordering::SeqCst), 1, "dropped exactly once");
    assert_eq!(
        ending_events(&mut sim),
        [(2, UnitId(0), UnitEvent::BehaviorDespawned)]
    );
}

#[test]
fn a_unit_despawned_by_another_is_announced_in_that_act_after_the_despawn_itself() {
    let mut sim = sim_recording();
    let observed = Observed::install(&mut sim);
    let drops = Arc::new(AtomicUsize::new(0));
    sim.spawn("victim", ivec2(0, 0), waiting(&drops));
    sim.spawn("killer", ivec2(1, 0), async {
        wait(2).await;
        despawn(UnitId(0)).unwrap();
    });
    sim.run(4);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(
        observed.take(),
        [
            (3, UnitId(1), Outcome::Completed),
            (3, UnitId(0), Outcome::Despawned)
        ]
    );
    let events: Vec<_> = sim
        .event_log()
        .drain()
        .filter(|e| e.tick == 3)
        .map(|e| (e.unit, e.event))
        .collect();
    assert_eq!(
        events,
        [
            (UnitId(1), UnitEvent::WaitDone),
            (UnitId(1), UnitEvent::BehaviorCompleted),
            (UnitId(0), UnitEvent::Despawned { by: UnitId(1) }),
            (UnitId(0), UnitEvent::BehaviorDespawned),
        ]
    );
}

#[test]
fn inserting_over_a_running_behaviour_ends_it_as_replaced() {
    let mut sim = sim_recording();
    let observed = Observed::install(&mut sim);
    let drops = Arc::new(AtomicUsize::new(0));
    let unit = sim.spawn("u", ivec2(0, 0), waiting(&drops));
    sim.run(2);
    sim.world_mut()
        .entity_mut(unit)
        .insert(Behavior::new(goto(ivec2(0, 2))));
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(observed.take(), [(2, UnitId(0), Outcome::Replaced)]);
    sim.run(3);
    assert_eq!(sim.position(unit), Some(ivec2(0, 2)));
    assert_eq!(observed.take(), [(5, UnitId(0), Outcome::Completed)]);
    assert_eq!(
        ending_events(&mut sim),
        [
            (2, UnitId(0), UnitEvent::BehaviorReplaced),
            (5, UnitId(0), UnitEvent::BehaviorCompleted)
        ]
    );
}

#[test]
fn replace_through_control_is_announced_once_as_replaced() {
    let mut sim = sim_recording();
    let observed = Observed::install(&mut sim);
    let unit = sim.spawn("u", ivec2(0, 0), wait(100));
    sim.step();
    sim.replace(unit, wait(100)).unwrap();
    assert_eq!(observed.take(), [(1, UnitId(0), Outcome::Replaced)]);
}

#[test]
fn removing_a_running_behaviour_ends_it_as_removed() {
    let mut sim = sim_recording();
    let observed = Observed::install(&mut sim);
    let drops = Arc::new(AtomicUsize::new(0));
    let unit = sim.spawn("u", ivec2(0, 0), waiting(&drops));
    sim.step();
    sim.world_mut().entity_mut(unit).remove::<Behavior>();
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(observed.take(), [(1, UnitId(0), Outcome::Removed)]);
    assert_eq!(messages(&sim), [(UnitId(0), Outcome::Removed)]);
    assert_eq!(
        ending_events(&mut sim),
        [(1, UnitId(0), UnitEvent::BehaviorRemoved)]
    );
    sim.run(2);
    assert_eq!(sim.position(unit), Some(ivec2(0, 0)));
}

#[test]
fn a_behaviour_that_already_ended_is_not_announced_again_when_its_unit_goes() {
    let mut sim = sim_recording();
    let observed = Observed::install(&mut sim);
    let done = sim.spawn("done", ivec2(0, 0), async {});
    let cancelled = sim.spawn("cancelled", ivec2(1, 0), wait(100));
    let removed = sim.spawn("removed", ivec2(2, 0), async {});
    sim.step();
    sim.cancel(cancelled, "enough").unwrap();
    assert_eq!(
        observed.take(),
        [
            (1, UnitId(0), Outcome::Completed),
            (1, UnitId(2), Outcome::Completed),
            (1, UnitId(1), Outcome::Cancelled("enough".into())),
        ]
    );
    sim.despawn(done);
    sim.despawn(cancelled);
    sim.world_mut().entity_mut(removed).remove::<Behavior>();
    sim.world_mut()
        .entity_mut(removed)
        .insert(Behavior::new(async {}));
    sim.step();
    assert_eq!(observed.take(), [(2, UnitId(2), Outcome::Completed)]);
}

/// What a game's systems do to units, through `Commands`.
#[derive(Resource, Default)]
struct Doomed {
    despawn: Option<Entity>,
    remove: Option<Entity>,
    replace: Option<Entity>,
}

#[test]
fn endings_caused_by_a_games_commands_are_announced_when_the_commands_apply() {
    let mut sim = sim_recording();
    let observed = Observed::install(&mut sim);
    let drops = Arc::new(AtomicUsize::new(0));
    let despawned = sim.spawn("despawned", ivec2(0, 0), waiting(&drops));
    let removed = sim.spawn("removed", ivec2(1, 0), waiting(&drops));
    let replaced = sim.spawn("replaced", ivec2(2, 0), waiting(&drops));
    sim.world_mut().insert_resource(Doomed {
        despawn: Some(despawned),
        remove: Some(removed),
        replace: Some(replaced),
    });
    sim.schedule_mut().add_systems(
        (|mut commands: Commands, tick: Res<Tick>, doomed: Res<Doomed>| {
            if tick.get() != 2 {
                return;
            }
            commands.entity(doomed.despawn.unwrap()).despawn();
            commands.entity(doomed.remove.unwrap()).remove::<Behavior>();
            commands
                .entity(doomed.replace.unwrap())
                .insert(Behavior::new(async {}));
        })
        .after(TickPhase::Think)
        .before(TickPhase::Act),
    );
    sim.run(3);
    assert_eq!(drops.load(Ordering::SeqCst), 3);
    assert_eq!(
        observed.take(),
        [
            (2, UnitId(0), Outcome::Despawned),
            (2, UnitId(1), Outcome::Removed),
            (2, UnitId(2), Outcome::Replaced),
            (3, UnitId(2), Outcome::Completed),
        ]
    );
}
