//! What a game can ask of tickweave's state after installing it: whether a unit is
//! interrupted, from an ordinary query; sensing turned on and off while running; seeded random
//! numbers for its own systems; and, as a Bevy plugin, every builder option that is the
//! plugin's.

use bevy_ecs::prelude::{Query, ResMut, Resource};
use bevy_ecs::schedule::{IntoScheduleConfigs, Schedule};
use bevy_ecs::world::World;
use tickweave::SimRng;
use tickweave::control;
use tickweave::prelude::*;
use tickweave::systems::SpatialIndex;

#[derive(Resource, Default)]
struct Interrupted(Vec<bool>);

#[test]
fn an_ordinary_query_tells_whether_a_unit_is_interrupted() {
    let mut world = World::new();
    let mut schedule = Schedule::default();
    Tickweave::new().install(&mut world, &mut schedule);
    world.init_resource::<Interrupted>();
    schedule.add_systems(
        (|units: Query<&Behavior>, mut seen: ResMut<Interrupted>| {
            seen.0.extend(units.iter().map(Behavior::is_interrupted));
        })
        .in_set(TickPhase::Observe),
    );
    let unit = spawn_unit(&mut world, "u", ivec2(0, 0), wait(10));
    schedule.run(&mut world);
    control::stun(&mut world, unit, 2).unwrap();
    for _ in 0..3 {
        schedule.run(&mut world);
    }
    // Stunned for ticks 2 and 3; the poll of tick 4 ends the stun and carries on.
    assert_eq!(
        world.resource::<Interrupted>().0,
        [false, true, true, false]
    );
}

#[test]
fn sensing_turns_on_and_off_while_the_game_runs() {
    let mut world = World::new();
    let mut schedule = Schedule::default();
    Tickweave::new().install(&mut world, &mut schedule);
    let seen = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
    let log = seen.clone();
    spawn_unit(&mut world, "other", ivec2(3, 0), wait(100));
    spawn_unit(&mut world, "looker", ivec2(0, 0), async move {
        next_tick().await; // tick 1: sensing off
        next_tick().await;
        log.lock().unwrap().push(units_within(5).len()); // tick 3: on
    });
    schedule.run(&mut world);
    world.resource_mut::<SpatialIndex>().set_enabled(true);
    schedule.run(&mut world);
    schedule.run(&mut world);
    assert_eq!(
        *seen.lock().unwrap(),
        [1],
        "the other unit, three cells away"
    );
    world.resource_mut::<SpatialIndex>().set_enabled(false);
    assert!(world.resource::<SpatialIndex>().is_empty());
    assert_eq!(world.resource::<SpatialIndex>().units().count(), 0);
}

#[cfg(feature = "bevy_plugin")]
#[test]
fn the_plugin_records_events_when_asked() {
    use bevy_app::{App, Update};
    use tickweave::TickweavePlugin;
    use tickweave::events::{EventLog, UnitEvent};

    let mut app = App::new();
    app.add_plugins(TickweavePlugin::new(Update).record_events(true));
    spawn_unit(app.world_mut(), "u", ivec2(0, 0), goto(ivec2(1, 0)));
    app.update();
    app.update();
    let events: Vec<_> = app
        .world_mut()
        .resource_mut::<EventLog>()
        .drain()
        .map(|e| (e.tick, e.event))
        .collect();
    assert_eq!(
        events,
        [
            (1, UnitEvent::GotoIssued { cell: ivec2(1, 0) }),
            (2, UnitEvent::GotoArrived { cell: ivec2(1, 0) }),
            (2, UnitEvent::BehaviorCompleted),
        ]
    );
}

/// Numbers a game system draws from [`SimRng`] over `ticks` ticks of a simulation seeded with
/// `seed`, with the seed it reads back.
fn game_draws(seed: u64, ticks: usize) -> (u64, Vec<u32>) {
    use rand::RngExt;
    #[derive(Resource, Default)]
    struct Draws(Vec<u32>);
    let mut world = World::new();
    let mut schedule = Schedule::default();
    Tickweave::new()
        .seed(seed)
        .install(&mut world, &mut schedule);
    world.init_resource::<Draws>();
    schedule.add_systems(
        (|mut rng: ResMut<SimRng>, mut draws: ResMut<Draws>| {
            draws.0.push(rng.random_range(0..1000));
        })
        .in_set(TickPhase::Observe),
    );
    for _ in 0..ticks {
        schedule.run(&mut world);
    }
    let seed = world.resource::<tickweave::systems::Executor>().seed();
    (seed, world.remove_resource::<Draws>().unwrap().0)
}

#[test]
fn a_game_system_draws_the_same_numbers_from_the_same_seed() {
    let (seed, first) = game_draws(7, 20);
    assert_eq!(seed, 7);
    assert_eq!(first.len(), 20);
    assert_eq!(game_draws(7, 20).1, first);
    assert_ne!(game_draws(8, 20).1, first);
}

/// An ending the game causes between frames (a despawn) is read the next frame by a reader
/// that runs before the tick: the plugin's message buffers are updated once a frame, as every
/// other message's are, so a message lives two frames.
#[cfg(feature = "bevy_plugin")]
#[test]
fn the_plugin_keeps_endings_for_a_reader_in_the_next_frame() {
    use bevy_app::{App, PreUpdate, Update};
    use bevy_ecs::message::MessageReader;
    use tickweave::TickweavePlugin;

    #[derive(Resource, Default)]
    struct Read(Vec<(u64, Outcome)>);
    let mut app = App::new();
    app.add_plugins(TickweavePlugin::new(Update));
    app.init_resource::<Read>();
    app.add_systems(
        PreUpdate,
        |mut endings: MessageReader<BehaviorFinished>, mut read: ResMut<Read>| {
            let endings = endings.read().map(|e| (e.unit.0, e.outcome.clone()));
            read.0.extend(endings);
        },
    );
    let unit = spawn_unit(app.world_mut(), "u", ivec2(0, 0), wait(100));
    app.update();
    app.world_mut().despawn(unit);
    app.update();
    app.update();
    assert_eq!(app.world().resource::<Read>().0, [(0, Outcome::Despawned)]);
}
