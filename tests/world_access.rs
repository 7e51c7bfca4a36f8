//! World access from behaviours, through the public API only, the way a game uses it.
//!
//! - Reads (`unit::get`, `ecs::get`/`with`/`has`, `ecs::resource`/`with_resource`, `ecs::read`)
//!   of the unit's own components, of other entities and units, and of resources, with the exact
//!   `ReadError` for what is missing or refused (tickweave's own state, which changes while
//!   Think polls); what `ecs::read`'s raw world shows of that state, the same whatever the spawn
//!   order since Think polls in unit-id order.
//! - Snapshot semantics: every read of a tick sees the world as Think began, whichever unit is
//!   polled first.
//! - Every kind of write (insert, remove, modify, modify_resource, insert_resource,
//!   write_message, trigger, spawn, spawn_with, despawn): applied in Act, its handle resolving on
//!   the next tick.
//! - Failed writes: the exact `WriteError` to whoever awaits, a `WriteFailed` event, never a
//!   panic out of `step`.
//! - Behaviours returning `Result`: `Outcome::Failed` with the error's text, announced as a
//!   message, an observer event, a statistic and an event.
//! - Writes apply by unit id, then in the order issued, whatever the spawn order; a small game
//!   using every kind of access plays the same in two differently laid-out worlds.

mod common;

use bevy_ecs::entity::Entity;
use bevy_ecs::event::{EntityEvent, Event};
use bevy_ecs::message::{Message, MessageRegistry, Messages};
use bevy_ecs::observer::On;
use bevy_ecs::prelude::{Component, Res, ResMut, Resource};
use bevy_ecs::world::World;
use common::{DropCounter, activity};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use tickweave::Checksum;
use tickweave::behaviors::ecs::{ReadError, Spawned, WriteError};
use tickweave::components::Motion;
use tickweave::events::{EventLog, UnitEvent};
use tickweave::prelude::*;
use tickweave::systems::{Executor, Tick};

// ---------------------------------------------------------------------------------------------
// The game's own types.

#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
struct Ore(u32);

#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
struct Health(i32);

#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
struct Cargo(u32);

#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Stockpile(u32);

/// Unit ids, in the order their writes were applied.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
struct Ledger(Vec<u64>);

/// Never inserted: reading it fails.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
struct Treasury(u32);

#[derive(Message, Clone, Debug, PartialEq, Eq)]
struct Alarm {
    from: UnitId,
    tick: u64,
    nth: u32,
}

/// Never registered: writing it fails.
#[derive(Message, Clone, Debug, PartialEq, Eq)]
struct Whisper;

/// A global observer event.
#[derive(Event, Clone, Copy, Debug, PartialEq, Eq)]
struct Bell(u64);

/// An observer event aimed at one entity.
#[derive(EntityEvent, Clone, Copy, Debug, PartialEq, Eq)]
struct Struck {
    entity: Entity,
    by: UnitId,
}

// ---------------------------------------------------------------------------------------------
// Reads.

#[test]
fn a_behaviour_reads_its_own_components_with_unit_get_ecs_get_with_and_has() {
    /// What the unit reads of itself on one tick.
    #[derive(Debug, PartialEq)]
    struct Own {
        tick: u64,
        health: Result<Health, ReadError>,
        via_entity: Result<Health, ReadError>,
        doubled: Result<i32, ReadError>,
        has_health: bool,
        has_cargo: bool,
        cargo: Result<Cargo, ReadError>,
        name: Result<UnitName, ReadError>,
        cell: Result<Position, ReadError>,
    }
    let mut sim = Simulation::new(0);
    let seen = Log::new();
    let log = seen.clone();
    let medic = sim.spawn("medic", ivec2(2, 3), async move {
        for _ in 0..2 {
            let me = unit::entity();
            log.push(Own {
                tick: unit::tick(),
                health: unit::get::<Health>(),
                via_entity: ecs::get::<Health>(me),
                doubled: ecs::with(me, |health: &Health| health.0 * 2),
                has_health: ecs::has::<Health>(me),
                has_cargo: ecs::has::<Cargo>(me),
                cargo: unit::get::<Cargo>(),
                name: ecs::get::<UnitName>(me),
                cell: ecs::get::<Position>(me),
            });
            next_tick().await;
        }
    });
    sim.world_mut().entity_mut(medic).insert(Health(7));
    sim.step();
    sim.world_mut().entity_mut(medic).insert(Health(4)); // the game heals between ticks
    sim.step();
    let no_cargo = Err(ReadError::NoComponent {
        entity: medic,
        component: "Cargo",
    });
    let own = |tick, health: i32| Own {
        tick,
        health: Ok(Health(health)),
        via_entity: Ok(Health(health)),
        doubled: Ok(health * 2),
        has_health: true,
        has_cargo: false,
        cargo: no_cargo,
        name: Ok(UnitName::from("medic")),
        cell: Ok(Position(ivec2(2, 3))),
    };
    assert_eq!(seen.take(), [own(1, 7), own(2, 4)]);
}

#[test]
fn a_behaviour_reads_a_non_unit_entity_as_the_game_changes_it_between_ticks() {
    let mut sim = Simulation::new(0);
    let deposit = sim.world_mut().spawn(Ore(30)).id();
    let seen = Log::new();
    let log = seen.clone();
    sim.spawn("miner", ivec2(0, 0), async move {
        for _ in 0..4 {
            log.push((
                unit::tick(),
                ecs::get::<Ore>(deposit),
                ecs::with(deposit, |ore: &Ore| ore.0 + 1),
                ecs::has::<Ore>(deposit),
            ));
            next_tick().await;
        }
    });
    sim.step();
    sim.world_mut().entity_mut(deposit).insert(Ore(25));
    sim.step();
    sim.world_mut().entity_mut(deposit).remove::<Ore>();
    sim.step();
    sim.world_mut().despawn(deposit);
    sim.step();
    let no_ore = ReadError::NoComponent {
        entity: deposit,
        component: "Ore",
    };
    let gone = ReadError::NoEntity(deposit);
    assert_eq!(
        seen.take(),
        [
            (1, Ok(Ore(30)), Ok(31), true),
            (2, Ok(Ore(25)), Ok(26), true),
            (3, Err(no_ore), Err(no_ore), false),
            (4, Err(gone), Err(gone), false),
        ]
    );
}

#[test]
fn a_behaviour_reads_the_components_of_a_unit_it_senses() {
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    let seen = Log::new();
    let log = seen.clone();
    sim.spawn_in_team("medic", Team(0), ivec2(0, 0), async move {
        let patient = nearest(|other| other.team == Some(Team(1)), 5).expect("3 steps away");
        let around: Vec<_> = units_within(5)
            .iter()
            .map(|other| (other.id, ecs::get::<Health>(other.entity)))
            .collect();
        log.push((
            patient.id,
            ecs::get::<Health>(patient.entity),
            ecs::with(patient.entity, |name: &UnitName| name.to_string()),
            ecs::get::<Position>(patient.entity),
            ecs::get::<Team>(patient.entity),
            around,
        ));
    });
    let patient = sim.spawn_in_team("patient", Team(1), ivec2(3, 1), wait(10));
    let bystander = sim.spawn_in_team("bystander", Team(0), ivec2(-2, 0), wait(10));
    sim.world_mut().entity_mut(patient).insert(Health(3));
    sim.world_mut().entity_mut(bystander).insert(Health(9));
    sim.step();
    assert_eq!(
        seen.take(),
        [(
            UnitId(1),
            Ok(Health(3)),
            Ok("patient".to_owned()),
            Ok(Position(ivec2(3, 1))),
            Ok(Team(1)),
            vec![(UnitId(1), Ok(Health(3))), (UnitId(2), Ok(Health(9)))],
        )]
    );
}

#[test]
fn a_behaviour_reads_resources_whole_in_part_and_through_a_query() {
    let mut sim = Simulation::new(0);
    sim.world_mut().insert_resource(Stockpile(12));
    sim.world_mut().spawn(Ore(5));
    sim.world_mut().spawn(Ore(7));
    let seen = Log::new();
    let log = seen.clone();
    sim.spawn("clerk", ivec2(0, 0), async move {
        for _ in 0..2 {
            let ore_in_ground = ecs::read(|world: &World| {
                let mut ores = world.try_query::<&Ore>()?;
                Some(ores.iter(world).map(|ore| ore.0).sum::<u32>())
            });
            log.push((
                ecs::resource::<Tick>().map(Tick::get),
                ecs::resource::<Stockpile>(),
                ecs::with_resource(|stock: &Stockpile| stock.0 * 10),
                ore_in_ground,
            ));
            next_tick().await;
        }
    });
    sim.step();
    sim.world_mut().resource_mut::<Stockpile>().0 = 13;
    sim.world_mut().spawn(Ore(1));
    sim.step();
    assert_eq!(
        seen.take(),
        [
            (Ok(1), Ok(Stockpile(12)), Ok(120), Some(12)),
            (Ok(2), Ok(Stockpile(13)), Ok(130), Some(13)),
        ]
    );
}

#[test]
fn a_missing_entity_component_or_resource_is_a_read_error_that_says_which() {
    let mut sim = Simulation::new(0);
    let gone = sim.world_mut().spawn(Ore(1)).id();
    sim.world_mut().despawn(gone);
    let bare = sim.world_mut().spawn(Ore(2)).id();
    let seen = Log::new();
    let log = seen.clone();
    sim.spawn("prober", ivec2(0, 0), async move {
        log.push([
            ecs::get::<Ore>(gone).map(drop),
            ecs::has::<Ore>(gone)
                .then_some(())
                .ok_or(ReadError::NoEntity(gone)),
            ecs::with(bare, |cargo: &Cargo| cargo.0).map(drop),
            ecs::resource::<Treasury>().map(drop),
            ecs::with_resource(|treasury: &Treasury| treasury.0).map(drop),
        ]);
    });
    sim.step();
    let no_entity = ReadError::NoEntity(gone);
    let no_cargo = ReadError::NoComponent {
        entity: bare,
        component: "Cargo",
    };
    let no_treasury = ReadError::NoResource {
        resource: "Treasury",
    };
    assert_eq!(
        seen.take(),
        [[
            Err(no_entity),
            Err(no_entity),
            Err(no_cargo),
            Err(no_treasury),
            Err(no_treasury),
        ]]
    );
    assert_eq!(
        no_entity.to_string(),
        format!("entity {gone} does not exist")
    );
    assert_eq!(no_cargo.to_string(), format!("entity {bare} has no Cargo"));
    assert_eq!(
        no_treasury.to_string(),
        "there is no Treasury resource (insert it before the first tick)"
    );
}

#[test]
fn tickweaves_own_changing_components_are_refused_during_think_but_has_answers() {
    let mut sim = Simulation::new(0);
    let deposit = sim.world_mut().spawn(Ore(3)).id();
    let seen = Log::new();
    let log = seen.clone();
    let has = Log::new();
    let has_log = has.clone();
    let walker = sim.spawn("walker", ivec2(0, 0), goto(ivec2(9, 0)));
    sim.spawn("prober", ivec2(0, 0), async move {
        let me = unit::entity();
        log.push([
            unit::get::<Motion>().map(drop),
            ecs::get::<Motion>(walker).map(drop),
            ecs::with(walker, |behavior: &Behavior| behavior.polls()).map(drop),
        ]);
        // Which components a unit has never changes during Think: `has` answers for them all.
        has_log.push([
            ecs::has::<Behavior>(walker),
            ecs::has::<Motion>(me),
            ecs::has::<Behavior>(deposit),
            ecs::has::<Motion>(deposit),
        ]);
    });
    sim.step();
    let refused = |component| Err(ReadError::ChangesDuringThink { component });
    assert_eq!(
        seen.take(),
        [[refused("Motion"), refused("Motion"), refused("Behavior")]]
    );
    assert_eq!(has.take(), [[true, true, false, false]]);
    assert_eq!(
        ReadError::ChangesDuringThink {
            component: "Motion"
        }
        .to_string(),
        "Motion is tickweave's own and changes while units are polled: read it between \
         ticks"
    );
}

/// What a reader of [`raw_read_run`] made of the raw world during Think on tick 2.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RawView {
    /// The ids of the units whose `Behavior` counts this tick's poll, in id order.
    polled: Vec<u64>,
    /// How many units' activity stack says they walk.
    walking: usize,
    /// How many units' `Position` is off the origin.
    moved: usize,
    /// The executor's count of polls.
    executor_polls: u64,
    /// The event log: recording, and its entries.
    log: (bool, usize),
}

/// Two readers, ids 0 and `CROWD + 1`, and `CROWD` walkers, ids 1 to `CROWD` spawned in the
/// order of `crowd`, between the readers (the one with the higher id spawned first if
/// `high_reader_first`). On tick 2 every walker steps to (1, 0) by hand and sets off to (9, 0),
/// and each reader reads the raw world with `ecs::read`; Think polls them all in unit-id order,
/// whatever the spawn order. Returns (reader's id, what it saw) in the order they read.
fn raw_read_run(crowd: &[u64], high_reader_first: bool) -> Vec<(u64, RawView)> {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let seen = Log::new();
    let reader = |log: Log<(u64, RawView)>| {
        Behavior::new(async move {
            next_tick().await;
            let view = ecs::read(|world: &World| {
                let mut units = world
                    .try_query::<(&UnitId, &Behavior, &Position)>()
                    .expect("units exist");
                let mut polled: Vec<u64> = units
                    .iter(world)
                    .filter(|(_, behavior, ..)| behavior.polls() == 2)
                    .map(|(id, ..)| id.0)
                    .collect();
                polled.sort_unstable();
                let events = world.resource::<EventLog>();
                RawView {
                    polled,
                    walking: units
                        .iter(world)
                        .filter(|(_, behavior, _)| {
                            behavior.activity().to_string().starts_with("goto")
                        })
                        .count(),
                    moved: units
                        .iter(world)
                        .filter(|(.., cell)| cell.0 != ivec2(0, 0))
                        .count(),
                    executor_polls: world.resource::<Executor>().stats().polls,
                    log: (events.is_recording(), events.entries().len()),
                }
            });
            log.push((unit::id().0, view));
        })
    };
    let (first, last) = if high_reader_first {
        (CROWD + 1, 0)
    } else {
        (0, CROWD + 1)
    };
    spawn_with_id(&mut sim, first, reader(seen.clone()));
    for &id in crowd {
        let walker = Behavior::new(async {
            next_tick().await;
            unit::set_position(ivec2(1, 0));
            goto(ivec2(9, 0)).await;
        });
        spawn_with_id(&mut sim, id, walker);
    }
    spawn_with_id(&mut sim, last, reader(seen.clone()));
    sim.run(2);
    // Every unit was polled on both ticks; the walkers stepped by hand, then one step on in Act.
    assert_eq!(sim.stats().polls, 2 * (CROWD + 2));
    let walked = sim
        .units()
        .iter()
        .filter(|unit| unit.position == ivec2(2, 0))
        .count();
    assert_eq!(walked, CROWD as usize);
    seen.take()
}

/// `ecs::read` lends the raw world. The game's data and every `Position` are as Think began,
/// but tickweave's own per-unit components show the polls already written back this tick
/// (Think polls in chunks of 256 and writes each chunk back before polling the next), and the
/// executor and the event log, lent to the polls, read as empty. As Think polls in unit-id
/// order, what a reader sees of them depends on the ids, never on the spawn order: the reader
/// with id 0 sees no poll of the tick, the one with the highest id (in the third chunk) sees
/// exactly the 512 units of the first two.
#[test]
fn a_raw_world_read_of_tickweaves_own_state_depends_on_unit_ids_not_on_the_spawn_order() {
    let in_order = raw_read_run(&(1..=CROWD).collect::<Vec<_>>(), false);
    let shuffled_crowd: Vec<u64> = shuffled(CROWD as usize, 11)
        .into_iter()
        .map(|id| id + 1)
        .collect();
    let permuted = raw_read_run(&shuffled_crowd, true);
    assert_eq!(in_order, permuted);
    let view = |polled: std::ops::Range<u64>, walking| RawView {
        polled: polled.collect(),
        walking,
        moved: 0, // the hand steps of earlier polls are applied once every poll is done
        executor_polls: 0,
        log: (false, 0),
    };
    // Units 0 to 511 are the first two chunks: reader 0 and walkers 1 to 511.
    assert_eq!(
        in_order,
        [(0, view(0..0, 0)), (CROWD + 1, view(0..512, 511))]
    );
}

/// tickweave's own resources change (or are lent out) while Think polls: reads of them are
/// refused, like its per-unit components; between ticks the game reads them.
#[test]
fn tickweaves_own_resources_are_refused_during_think() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let seen = Log::new();
    let log = seen.clone();
    sim.spawn("auditor", ivec2(0, 0), async move {
        goto(ivec2(1, 0)).await; // tick 1: one poll, one event (`goto_issued`)
        log.push((
            ecs::with_resource(|executor: &Executor| executor.stats().polls),
            ecs::with_resource(|events: &EventLog| (events.is_recording(), events.entries().len())),
        ));
    });
    sim.run(2);
    assert_eq!(
        seen.take(),
        [(
            Err(ReadError::ChangesDuringThink {
                component: "Executor"
            }),
            Err(ReadError::ChangesDuringThink {
                component: "EventLog"
            }),
        )]
    );
    assert_eq!(sim.world().resource::<Executor>().stats().polls, 2);
    assert!(sim.world().resource::<EventLog>().is_recording());
}

// ---------------------------------------------------------------------------------------------
// Snapshot semantics.

/// Where the writer of [`snapshot_run`] stands by `unit::position`, and by its `Position`.
type OwnCell = (IVec2, Result<Position, ReadError>);

/// What one unit read on one tick of [`snapshot_run`].
#[derive(Clone, Debug, PartialEq)]
struct Reading {
    tick: u64,
    by: UnitId,
    ore: Result<Ore, ReadError>,
    stock: Result<Stockpile, ReadError>,
    writer_cell: Result<Position, ReadError>,
    writer_sensed: Result<IVec2, Despawned>,
    reader_cargo: Result<Cargo, ReadError>,
    rock: Result<Ore, ReadError>,
}

/// The ids of [`snapshot_run`]'s two units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pair {
    writer: UnitId,
    reader: UnitId,
}

/// A writer and a reader with a crowd of `CROWD` units between them: Think polls in unit-id
/// order, so the one with id 0 is polled first and the one with id `CROWD + 1` last, chunks
/// apart. `writer_polled_first` gives the writer id 0 and the reader id `CROWD + 1`, or the
/// other way round; either way the units are spawned highest id first, against the poll order.
/// On tick 1 the writer takes 5 ore into the stockpile, gives the reader a `Cargo`, despawns the
/// rock and steps east by hand; both read everything on ticks 1 and 2. Returns their ids, the
/// readings in poll order and what the writer saw of its own cell on tick 1.
fn snapshot_run(writer_polled_first: bool) -> (Pair, Vec<Reading>, Vec<OwnCell>) {
    let ids = if writer_polled_first {
        Pair {
            writer: UnitId(0),
            reader: UnitId(CROWD + 1),
        }
    } else {
        Pair {
            writer: UnitId(CROWD + 1),
            reader: UnitId(0),
        }
    };
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    let readings = Log::new();
    let own_cell = Log::new();
    let (log, own) = (readings.clone(), own_cell.clone());
    let writer = Behavior::new(async move {
        let cast = ecs::resource::<Cast>()?;
        ecs::modify::<Ore>(cast.deposit, |ore| ore.0 -= 5);
        ecs::modify_resource::<Stockpile>(|stock| stock.0 += 5);
        ecs::insert(cast.reader, Cargo(1));
        ecs::despawn(cast.rock);
        unit::set_position(ivec2(1, 0));
        log.push(read_everything(&cast, ids.writer));
        own.push((unit::position(), ecs::get::<Position>(unit::entity())));
        next_tick().await;
        log.push(read_everything(&cast, ids.writer));
        Ok::<(), ReadError>(())
    });
    let log = readings.clone();
    let reader = Behavior::new(async move {
        let cast = ecs::resource::<Cast>()?;
        log.push(read_everything(&cast, ids.writer));
        next_tick().await;
        log.push(read_everything(&cast, ids.writer));
        Ok::<(), ReadError>(())
    });
    // Highest id first, the crowd (ids 1 to `CROWD`) between the two.
    let (polled_last, polled_first) = if writer_polled_first {
        ((ids.reader, reader), (ids.writer, writer))
    } else {
        ((ids.writer, writer), (ids.reader, reader))
    };
    spawn_with_id(&mut sim, polled_last.0.0, polled_last.1);
    for id in (1..=CROWD).rev() {
        spawn_with_id(&mut sim, id, Behavior::new(wait(10)));
    }
    spawn_with_id(&mut sim, polled_first.0.0, polled_first.1);
    let (writer, reader) = (
        sim.entity(ids.writer).unwrap(),
        sim.entity(ids.reader).unwrap(),
    );
    let deposit = sim.world_mut().spawn(Ore(30)).id();
    let rock = sim.world_mut().spawn(Ore(1)).id();
    sim.world_mut().insert_resource(Stockpile(0));
    sim.world_mut().insert_resource(Cast {
        writer,
        reader,
        deposit,
        rock,
    });
    sim.run(2);
    (ids, readings.take(), own_cell.take())
}

#[test]
fn every_read_of_a_tick_sees_the_world_as_think_began_whichever_unit_is_polled_first() {
    for writer_polled_first in [true, false] {
        let (ids, mut readings, own_cell) = snapshot_run(writer_polled_first);
        let role = |id| match id {
            id if id == ids.writer => "writer",
            id if id == ids.reader => "reader",
            _ => panic!("read by {id}, neither the writer nor the reader"),
        };
        let first_polled: Vec<&str> = readings[..2]
            .iter()
            .map(|reading| role(reading.by))
            .collect();
        let expected_order = if writer_polled_first {
            ["writer", "reader"]
        } else {
            ["reader", "writer"]
        };
        assert_eq!(first_polled, expected_order, "both orders are covered");
        readings.sort_by_key(|reading| (reading.tick, reading.by));
        let (reader, rock) = {
            // The entities, as the readings name them.
            let Err(ReadError::NoComponent { entity, .. }) = readings[0].reader_cargo else {
                panic!("the reader had no cargo on tick 1: {:?}", readings[0]);
            };
            let Err(ReadError::NoEntity(rock)) = readings[2].rock else {
                panic!("the rock was gone on tick 2: {:?}", readings[2]);
            };
            (entity, rock)
        };
        let before = |by| Reading {
            tick: 1,
            by: UnitId(by),
            ore: Ok(Ore(30)),
            stock: Ok(Stockpile(0)),
            writer_cell: Ok(Position(ivec2(0, 0))),
            writer_sensed: Ok(ivec2(0, 0)),
            reader_cargo: Err(ReadError::NoComponent {
                entity: reader,
                component: "Cargo",
            }),
            rock: Ok(Ore(1)),
        };
        let after = |by| Reading {
            tick: 2,
            by: UnitId(by),
            ore: Ok(Ore(25)),
            stock: Ok(Stockpile(5)),
            writer_cell: Ok(Position(ivec2(1, 0))),
            writer_sensed: Ok(ivec2(1, 0)),
            reader_cargo: Ok(Cargo(1)),
            rock: Err(ReadError::NoEntity(rock)),
        };
        // Whichever of the two has id 0 (and so read first), both read the same.
        assert_eq!(
            readings,
            [before(0), before(CROWD + 1), after(0), after(CROWD + 1)],
            "writer polled first: {writer_polled_first}"
        );
        // The writer's own moves show at once through `unit::position`, not in its `Position`.
        assert_eq!(own_cell, [(ivec2(1, 0), Ok(Position(ivec2(0, 0))))]);
    }
}

// ---------------------------------------------------------------------------------------------
// Every kind of write.

#[test]
fn insert_modify_and_remove_apply_in_act_and_each_handle_resolves_ok_on_the_next_tick() {
    let mut sim = Simulation::new(0);
    let deposit = sim.world_mut().spawn(Ore(1)).id();
    let results = Log::new();
    let log = results.clone();
    let porter = sim.spawn("porter", ivec2(0, 0), async move {
        let me = unit::entity();
        let inserted = ecs::insert(me, Cargo(3)).await;
        log.push((unit::tick(), inserted));
        let inserted = ecs::insert(deposit, (Ore(9), Health(1))).await;
        log.push((unit::tick(), inserted));
        let modified = ecs::modify::<Cargo>(me, |cargo| cargo.0 += 2).await;
        log.push((unit::tick(), modified));
        let removed = ecs::remove::<(Ore, Health)>(deposit).await;
        log.push((unit::tick(), removed));
        let removed = ecs::remove::<Cargo>(me).await;
        log.push((unit::tick(), removed));
    });
    let world = |sim: &Simulation| {
        let world = sim.world();
        (
            world.get::<Cargo>(porter).copied(),
            world.get::<Ore>(deposit).copied(),
            world.get::<Health>(deposit).copied(),
        )
    };
    let mut states = vec![world(&sim)];
    let mut doing = vec![];
    for _ in 0..6 {
        sim.step();
        states.push(world(&sim));
        doing.push(activity(&sim, porter));
    }
    assert_eq!(
        states,
        [
            (None, Some(Ore(1)), None),
            (Some(Cargo(3)), Some(Ore(1)), None),
            (Some(Cargo(3)), Some(Ore(9)), Some(Health(1))),
            (Some(Cargo(5)), Some(Ore(9)), Some(Health(1))),
            (Some(Cargo(5)), None, None),
            (None, None, None),
            (None, None, None),
        ]
    );
    assert_eq!(
        doing,
        [
            "apply(insert)",
            "apply(insert)",
            "apply(modify)",
            "apply(remove)",
            "apply(remove)",
            ""
        ]
    );
    assert_eq!(
        results.take(),
        [
            (2, Ok(())),
            (3, Ok(())),
            (4, Ok(())),
            (5, Ok(())),
            (6, Ok(()))
        ]
    );
    assert!(sim.world().get_entity(deposit).is_ok(), "removing kept it");
    assert_eq!(outcome(&sim, porter), Some(Outcome::Completed));
}

#[test]
fn resources_are_inserted_modified_and_replaced_in_act() {
    let mut sim = Simulation::new(0);
    let results = Log::new();
    let log = results.clone();
    sim.spawn("quartermaster", ivec2(0, 0), async move {
        let inserted = ecs::insert_resource(Stockpile(10)).await;
        log.push((unit::tick(), inserted));
        let modified = ecs::modify_resource::<Stockpile>(|stock| stock.0 += 5).await;
        log.push((unit::tick(), modified));
        let replaced = ecs::insert_resource(Stockpile(1)).await;
        log.push((unit::tick(), replaced));
    });
    let mut stock = vec![sim.world().get_resource::<Stockpile>().copied()];
    for _ in 0..4 {
        sim.step();
        stock.push(sim.world().get_resource::<Stockpile>().copied());
    }
    assert_eq!(
        stock,
        [
            None,
            Some(Stockpile(10)),
            Some(Stockpile(15)),
            Some(Stockpile(1)),
            Some(Stockpile(1)),
        ]
    );
    assert_eq!(results.take(), [(2, Ok(())), (3, Ok(())), (4, Ok(()))]);
}

#[test]
fn messages_are_written_in_act_by_unit_id_and_left_for_the_game_to_update() {
    let mut sim = Simulation::new(0);
    MessageRegistry::register_message::<Alarm>(sim.world_mut());
    let results = Log::new();
    let alarmist = |alarms: u32, log: Log<(UnitId, u64, Result<(), WriteError>)>| {
        Behavior::new(async move {
            for _ in 0..2 {
                let (from, tick) = (unit::id(), unit::tick());
                let handles: Vec<_> = (0..alarms)
                    .map(|nth| ecs::write_message(Alarm { from, tick, nth }))
                    .collect();
                for handle in handles {
                    let written = handle.await;
                    log.push((from, unit::tick(), written));
                }
            }
        })
    };
    // Unit 1 is spawned first: the order of the messages is still by unit id.
    spawn_pair(
        &mut sim,
        false,
        alarmist(1, results.clone()),
        alarmist(2, results.clone()),
    );
    let mut cursor = sim.world().resource::<Messages<Alarm>>().get_cursor();
    let mut written = vec![];
    for _ in 0..3 {
        sim.step();
        let messages = sim.world().resource::<Messages<Alarm>>();
        written.push(cursor.read(messages).cloned().collect::<Vec<_>>());
    }
    let alarm = |from, tick, nth| Alarm {
        from: UnitId(from),
        tick,
        nth,
    };
    assert_eq!(
        written,
        [
            vec![alarm(0, 1, 0), alarm(1, 1, 0), alarm(1, 1, 1)],
            vec![alarm(0, 2, 0), alarm(1, 2, 0), alarm(1, 2, 1)],
            vec![],
        ]
    );
    // tickweave updates only its own message buffers: the game's are all still current.
    let messages = sim.world().resource::<Messages<Alarm>>();
    assert_eq!(messages.iter_current_update_messages().count(), 6);
    let mut results = results.take();
    results.sort_by_key(|&(from, tick, _)| (tick, from));
    assert_eq!(
        results,
        [
            (UnitId(0), 2, Ok(())),
            (UnitId(1), 2, Ok(())),
            (UnitId(1), 2, Ok(())),
            (UnitId(0), 3, Ok(())),
            (UnitId(1), 3, Ok(())),
            (UnitId(1), 3, Ok(())),
        ]
    );
}

#[test]
fn triggered_events_reach_observers_in_act_after_the_walk_and_by_unit_id() {
    let mut sim = Simulation::new(0);
    let rung = Log::new();
    let struck = Log::new();
    let ringer = |bells: Vec<u64>| {
        Behavior::new(async move {
            for bell in bells {
                ecs::trigger(Bell(bell));
            }
            next_tick().await;
            if unit::id() == UnitId(0) {
                let target = ecs::resource::<Cast>().expect("inserted").reader;
                let by = unit::id();
                ecs::trigger(Struck { entity: target, by })
                    .await
                    .expect("the target stays");
            }
        })
    };
    let (first, second) = spawn_pair(&mut sim, false, ringer(vec![0]), ringer(vec![10, 11]));
    let walker = sim.spawn("walker", ivec2(0, 0), goto(ivec2(5, 0)));
    sim.world_mut().insert_resource(Cast {
        reader: second,
        ..Cast::default()
    });
    let log = rung.clone();
    sim.world_mut().add_observer(
        move |bell: On<Bell>, tick: Res<Tick>, cells: bevy_ecs::system::Query<&Position>| {
            let walker_at = cells.get(walker).expect("the walker stays").0;
            log.push((tick.get(), bell.0, walker_at));
        },
    );
    let log = struck.clone();
    sim.world_mut()
        .entity_mut(second)
        .observe(move |hit: On<Struck>, tick: Res<Tick>| {
            log.push((tick.get(), hit.entity, hit.by))
        });
    let log = struck.clone(); // must stay silent: unit 0 is never struck
    sim.world_mut()
        .entity_mut(first)
        .observe(move |hit: On<Struck>| log.push((0, hit.entity, hit.by)));
    sim.run(3);
    // Act walks first: the observers see the walker one step on.
    assert_eq!(
        rung.take(),
        [
            (1, 0, ivec2(1, 0)),
            (1, 10, ivec2(1, 0)),
            (1, 11, ivec2(1, 0))
        ]
    );
    assert_eq!(
        struck.take(),
        [(2, second, UnitId(0))],
        "only the unit struck is told"
    );
    assert_eq!(outcome(&sim, first), Some(Outcome::Completed));
}

#[test]
fn a_spawned_unit_gets_the_next_id_and_is_first_polled_on_the_next_tick() {
    let mut sim = Simulation::new(0);
    let first_polls = Log::new();
    let answers = Log::new();
    let (first, answer) = (first_polls.clone(), answers.clone());
    let parent = sim.spawn("parent", ivec2(0, 0), async move {
        let child = ecs::spawn("child", ivec2(5, 0), async move {
            first.push(unit::tick());
            goto(ivec2(5, 3)).await;
        })
        .await;
        answer.push((unit::tick(), child));
    });
    sim.spawn("bystander", ivec2(0, 0), wait(10));
    sim.step();
    assert_eq!(activity(&sim, parent), "apply(spawn)");
    let child = sim.entity(UnitId(2)).expect("spawned in Act of tick 1");
    assert_eq!(
        sim.world().get::<UnitName>(child).unwrap().as_str(),
        "child"
    );
    assert_eq!(first_polls.take(), [] as [u64; 0], "not polled on tick 1");
    let mut cells = vec![sim.position(child).unwrap()];
    for _ in 0..4 {
        sim.step();
        cells.push(sim.position(child).unwrap());
    }
    assert_eq!(
        cells,
        [
            ivec2(5, 0),
            ivec2(5, 1),
            ivec2(5, 2),
            ivec2(5, 3),
            ivec2(5, 3)
        ]
    );
    assert_eq!(first_polls.take(), [2]);
    assert_eq!(
        answers.take(),
        [(
            2,
            Ok(Spawned {
                id: UnitId(2),
                entity: child
            })
        )]
    );
    assert_eq!(outcome(&sim, child), Some(Outcome::Completed));
}

#[test]
fn spawn_ids_follow_the_spawning_units_ids_whatever_the_spawn_order_and_spawn_with_adds_its_bundle()
{
    for spawned_in_id_order in [true, false] {
        let mut sim = Simulation::new(0);
        let answers = Log::new();
        let parent = |log: Log<(UnitId, Vec<Result<Spawned, WriteError>>)>| {
            Behavior::new(async move {
                let me = unit::id();
                let twins = [0, 1].map(|k| {
                    let bundle = (Team(me.0 as u32 + 1), Health(10 * me.0 as i32 + k));
                    let name = format!("child {k} of {me}");
                    ecs::spawn_with(bundle, name, ivec2(k, 0), wait(5))
                });
                let mut spawned = vec![];
                for twin in twins {
                    spawned.push(twin.await);
                }
                log.push((me, spawned));
            })
        };
        spawn_pair(
            &mut sim,
            spawned_in_id_order,
            parent(answers.clone()),
            parent(answers.clone()),
        );
        sim.run(2);
        let units: Vec<_> = sim
            .units()
            .iter()
            .map(|unit| (unit.id.0, unit.name.to_owned(), unit.position, unit.entity))
            .collect();
        let named: Vec<_> = units
            .iter()
            .map(|(id, name, cell, _)| (*id, name.as_str(), *cell))
            .collect();
        assert_eq!(
            named,
            [
                (0, "first", ivec2(0, 0)),
                (1, "second", ivec2(0, 0)),
                (2, "child 0 of #0", ivec2(0, 0)),
                (3, "child 1 of #0", ivec2(1, 0)),
                (4, "child 0 of #1", ivec2(0, 0)),
                (5, "child 1 of #1", ivec2(1, 0)),
            ],
            "spawned in id order: {spawned_in_id_order}"
        );
        let bundles: Vec<_> = units[2..]
            .iter()
            .map(|&(.., entity)| {
                let world = sim.world();
                (
                    world.get::<Team>(entity).copied(),
                    world.get::<Health>(entity).copied(),
                )
            })
            .collect();
        assert_eq!(
            bundles,
            [
                (Some(Team(1)), Some(Health(0))),
                (Some(Team(1)), Some(Health(1))),
                (Some(Team(2)), Some(Health(10))),
                (Some(Team(2)), Some(Health(11))),
            ]
        );
        let spawned = |id: u64| {
            Ok(Spawned {
                id: UnitId(id),
                entity: units[id as usize].3,
            })
        };
        let mut answers = answers.take();
        answers.sort_by_key(|(parent, _)| *parent);
        assert_eq!(
            answers,
            [
                (UnitId(0), vec![spawned(2), spawned(3)]),
                (UnitId(1), vec![spawned(4), spawned(5)]),
            ]
        );
    }
}

#[test]
fn despawn_removes_a_non_unit_entity_and_a_unit_whose_behaviour_is_dropped_once() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let deposit = sim.world_mut().spawn(Ore(3)).id();
    let drops = Arc::new(AtomicUsize::new(0));
    let results = Log::new();
    let (log, guard) = (results.clone(), DropCounter(drops.clone()));
    let victim_entity = Arc::new(Mutex::new(None));
    let victim_slot = victim_entity.clone();
    sim.spawn("killer", ivec2(0, 0), async move {
        let victim = victim_slot.lock().unwrap().expect("set before tick 1");
        let (deposit_gone, victim_gone) = (ecs::despawn(deposit), ecs::despawn(victim));
        let deposit_gone = deposit_gone.await;
        log.push((unit::tick(), deposit_gone, victim_gone.await));
    });
    let victim = sim.spawn("victim", ivec2(3, 0), async move {
        let _guard = guard;
        wait(100).await;
    });
    *victim_entity.lock().unwrap() = Some(victim);
    sim.step();
    assert!(sim.world().get_entity(deposit).is_err());
    assert!(sim.world().get_entity(victim).is_err());
    assert_eq!(sim.entity(UnitId(1)), None);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    sim.run(3);
    assert_eq!(drops.load(Ordering::SeqCst), 1, "dropped exactly once");
    assert_eq!(results.take(), [(2, Ok(()), Ok(()))]);
    assert_eq!(
        drain(&mut sim),
        [
            (1, 1, UnitEvent::WaitStarted { ticks: 100 }),
            (1, 1, UnitEvent::Despawned { by: UnitId(0) }),
            (1, 1, UnitEvent::BehaviorDespawned),
            (2, 0, UnitEvent::BehaviorCompleted),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Failed writes.

/// What [`despawn_and_modify_in_one_tick`] saw.
struct Contest {
    /// What the modify's handle gave.
    results: Vec<Result<(), WriteError>>,
    /// Every event of ticks 1 and 2.
    events: Vec<Logged>,
    deposit: Entity,
    /// The deposit's ore as it was despawned.
    last_ore: Option<Ore>,
}

/// Unit `despawner` despawns the deposit on tick 1 while the other unit modifies it; the units
/// are spawned in id order or not (polled in id order either way).
fn despawn_and_modify_in_one_tick(despawner: u64, spawned_in_id_order: bool) -> Contest {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let deposit = sim.world_mut().spawn(Ore(30)).id();
    let results = Log::new();
    let despawning = Behavior::new(async move {
        ecs::despawn(deposit);
    });
    let log = results.clone();
    let modifying = Behavior::new(async move {
        let modified = ecs::modify::<Ore>(deposit, |ore| ore.0 += 1).await;
        log.push(modified);
    });
    let (unit0, unit1) = if despawner == 0 {
        (despawning, modifying)
    } else {
        (modifying, despawning)
    };
    spawn_pair(&mut sim, spawned_in_id_order, unit0, unit1);
    // What the deposit held when it went.
    let seen = Log::new();
    let log = seen.clone();
    sim.world_mut().entity_mut(deposit).observe(
        move |gone: On<bevy_ecs::lifecycle::Despawn<Ore>>, ores: bevy_ecs::system::Query<&Ore>| {
            log.push(ores.get(gone.entity).ok().copied());
        },
    );
    sim.run(2);
    Contest {
        results: results.take(),
        events: drain(&mut sim),
        deposit,
        last_ore: seen.take().into_iter().next().flatten(),
    }
}

#[test]
fn a_write_to_an_entity_a_lower_unit_id_despawned_in_the_same_act_fails_with_entity_gone() {
    for spawned_in_id_order in [true, false] {
        let Contest {
            results,
            events,
            deposit,
            last_ore,
        } = despawn_and_modify_in_one_tick(0, spawned_in_id_order);
        assert_eq!(results, [Err(WriteError::EntityGone(deposit))]);
        assert_eq!(last_ore, Some(Ore(30)), "never modified");
        let failed = UnitEvent::WriteFailed {
            write: "modify Ore".into(),
            reason: format!("entity {deposit} no longer exists").into(),
        };
        assert_eq!(
            events,
            [
                (1, 0, UnitEvent::BehaviorCompleted),
                (1, 1, failed),
                (2, 1, UnitEvent::BehaviorCompleted),
            ],
            "spawned in id order: {spawned_in_id_order}"
        );
        assert_eq!(
            WriteError::EntityGone(deposit).to_string(),
            format!("entity {deposit} no longer exists")
        );
    }
}

#[test]
fn a_write_by_a_lower_unit_id_is_applied_before_a_higher_ids_despawn() {
    for spawned_in_id_order in [true, false] {
        let Contest {
            results,
            events,
            last_ore,
            ..
        } = despawn_and_modify_in_one_tick(1, spawned_in_id_order);
        assert_eq!(results, [Ok(())]);
        assert_eq!(last_ore, Some(Ore(31)), "modified, then despawned");
        assert_eq!(
            events,
            [
                (1, 1, UnitEvent::BehaviorCompleted),
                (2, 0, UnitEvent::BehaviorCompleted),
            ],
            "spawned in id order: {spawned_in_id_order}"
        );
    }
}

#[test]
fn writes_to_an_entity_gone_before_the_tick_fail_and_are_reported_even_unawaited() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let deposit = sim.world_mut().spawn(Ore(30)).id();
    sim.world_mut().despawn(deposit);
    let results = Log::new();
    let log = results.clone();
    sim.spawn("miner", ivec2(0, 0), async move {
        drop(ecs::insert(deposit, Cargo(1))); // nobody awaits it
        let removed = ecs::remove::<Ore>(deposit);
        let despawned = ecs::despawn(deposit);
        log.push(removed.await);
        log.push(despawned.await);
    });
    sim.run(2);
    let gone = WriteError::EntityGone(deposit);
    assert_eq!(results.take(), [Err(gone.clone()), Err(gone)]);
    let failed = |write: &str| UnitEvent::WriteFailed {
        write: write.to_owned().into(),
        reason: format!("entity {deposit} no longer exists").into(),
    };
    assert_eq!(
        drain(&mut sim),
        [
            (1, 0, failed("insert Cargo")),
            (1, 0, failed("remove Ore")),
            (1, 0, failed("despawn entity")),
            (2, 0, UnitEvent::BehaviorCompleted),
        ]
    );
}

#[test]
fn the_second_of_two_despawns_of_one_entity_in_a_tick_fails_with_entity_gone() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let deposit = sim.world_mut().spawn(Ore(30)).id();
    let results = Log::new();
    let despawner = |log: Log<(UnitId, Result<(), WriteError>)>| {
        Behavior::new(async move {
            let despawned = ecs::despawn(deposit).await;
            log.push((unit::id(), despawned));
        })
    };
    spawn_pair(
        &mut sim,
        false,
        despawner(results.clone()),
        despawner(results.clone()),
    );
    sim.run(2);
    let mut results = results.take();
    results.sort_by_key(|(id, _)| *id);
    assert_eq!(
        results,
        [
            (UnitId(0), Ok(())),
            (UnitId(1), Err(WriteError::EntityGone(deposit)))
        ]
    );
    let events: Vec<_> = drain(&mut sim)
        .into_iter()
        .filter(|(.., event)| event.name() == "write_failed")
        .collect();
    assert_eq!(
        events,
        [(
            1,
            1,
            UnitEvent::WriteFailed {
                write: "despawn entity".into(),
                reason: format!("entity {deposit} no longer exists").into(),
            }
        )]
    );
}

#[test]
fn modifying_a_missing_component_or_resource_fails_with_no_component_or_no_resource() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let deposit = sim.world_mut().spawn(Ore(30)).id();
    let results = Log::new();
    let log = results.clone();
    sim.spawn("porter", ivec2(0, 0), async move {
        let cargo = ecs::modify::<Cargo>(deposit, |cargo| cargo.0 += 1);
        let stock = ecs::modify_resource::<Stockpile>(|stock| stock.0 += 1);
        log.push(cargo.await);
        log.push(stock.await);
    });
    sim.run(2);
    let no_cargo = WriteError::NoComponent {
        entity: deposit,
        component: "Cargo",
    };
    let no_stock = WriteError::NoResource {
        resource: "Stockpile",
    };
    assert_eq!(
        results.take(),
        [Err(no_cargo.clone()), Err(no_stock.clone())]
    );
    assert_eq!(
        drain(&mut sim),
        [
            (
                1,
                0,
                UnitEvent::WriteFailed {
                    write: "modify Cargo".into(),
                    reason: format!("entity {deposit} has no Cargo").into(),
                }
            ),
            (
                1,
                0,
                UnitEvent::WriteFailed {
                    write: "modify Stockpile".into(),
                    reason: "there is no Stockpile resource (insert or register it before the \
                             first tick)"
                        .into(),
                }
            ),
            (2, 0, UnitEvent::BehaviorCompleted),
        ]
    );
    assert_eq!(
        no_cargo.to_string(),
        format!("entity {deposit} has no Cargo")
    );
}

#[test]
fn a_panicking_change_fails_with_its_message_and_everything_else_goes_on() {
    quiet_provoked_panics();
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    sim.world_mut().insert_resource(Stockpile(0));
    let deposit = sim.world_mut().spawn(Ore(30)).id();
    let results = Log::new();
    let log = results.clone();
    let clumsy = sim.spawn("clumsy", ivec2(0, 0), async move {
        let collapsed = ecs::modify::<Ore>(deposit, |_| panic!("the ore collapsed {PROVOKED}"));
        let counted = ecs::modify_resource::<Stockpile>(|stock| stock.0 += 1);
        let formatted =
            ecs::modify_resource::<Stockpile>(|stock| panic!("{} in stock {PROVOKED}", stock.0));
        log.push(collapsed.await);
        log.push(counted.await);
        log.push(formatted.await);
        goto(ivec2(2, 0)).await;
    });
    let careful = sim.spawn("careful", ivec2(0, 0), async move {
        ecs::modify::<Ore>(deposit, |ore| ore.0 -= 1).await
    });
    sim.run(4); // never a panic out of `step`
    assert_eq!(
        results.take(),
        [
            Err(WriteError::Panicked(format!(
                "the ore collapsed {PROVOKED}"
            ))),
            Ok(()),
            Err(WriteError::Panicked(format!("1 in stock {PROVOKED}"))),
        ]
    );
    assert_eq!(sim.world().get::<Ore>(deposit), Some(&Ore(29)));
    assert_eq!(sim.world().resource::<Stockpile>(), &Stockpile(1));
    assert_eq!(sim.position(clumsy), Some(ivec2(2, 0)), "it walked on");
    assert_eq!(outcome(&sim, careful), Some(Outcome::Completed));
    let failed: Vec<_> = drain(&mut sim)
        .into_iter()
        .filter(|(.., event)| event.name() == "write_failed")
        .collect();
    assert_eq!(
        failed,
        [
            (
                1,
                0,
                UnitEvent::WriteFailed {
                    write: "modify Ore".into(),
                    reason: format!("the change panicked: the ore collapsed {PROVOKED}").into(),
                }
            ),
            (
                1,
                0,
                UnitEvent::WriteFailed {
                    write: "modify Stockpile".into(),
                    reason: format!("the change panicked: 1 in stock {PROVOKED}").into(),
                }
            ),
        ]
    );
}

/// `WriteError::NoResource` documents its name for a message type as `Messages<Alarm>`.
#[test]
fn writing_an_unregistered_message_fails_with_no_resource_naming_its_messages() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let results = Log::new();
    let log = results.clone();
    sim.spawn("whisperer", ivec2(0, 0), async move {
        log.push(ecs::write_message(Whisper).await);
    });
    sim.run(2);
    assert_eq!(
        results.take(),
        [Err(WriteError::NoResource {
            resource: "Messages<Whisper>"
        })]
    );
    assert_eq!(
        drain(&mut sim)[0],
        (
            1,
            0,
            UnitEvent::WriteFailed {
                write: "write Whisper".into(),
                reason: "there is no Messages<Whisper> resource (insert or register it before \
                         the first tick)"
                    .into(),
            }
        )
    );
}

/// The event names what was written; for a bundle of several components, all of them.
#[test]
fn a_failed_write_of_a_tuple_bundle_names_its_components() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let gone = sim.world_mut().spawn(Ore(1)).id();
    sim.world_mut().despawn(gone);
    sim.spawn("porter", ivec2(0, 0), async move {
        ecs::insert(gone, (Ore(9), Health(1)));
        ecs::remove::<(Ore, Health)>(gone);
    });
    sim.step();
    let writes: Vec<_> = drain(&mut sim)
        .into_iter()
        .filter_map(|(.., event)| match event {
            UnitEvent::WriteFailed { write, .. } => Some(write.into_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(writes, ["insert (Ore, Health)", "remove (Ore, Health)"]);
}

// ---------------------------------------------------------------------------------------------
// What a behaviour returns.

/// Mines what the deposit holds now, then checks on it a tick later.
async fn mine(deposit: Entity) -> Result<(), ReadError> {
    let Ore(ore) = ecs::get::<Ore>(deposit)?;
    ecs::modify_resource::<Stockpile>(move |stock| stock.0 += ore);
    next_tick().await;
    ecs::get::<Ore>(deposit)?;
    Ok(())
}

#[test]
fn a_behaviour_returning_err_fails_with_the_errors_text_announced_as_every_ending_is() {
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    sim.record_events(true);
    sim.world_mut().insert_resource(Stockpile(0));
    let deposit = sim.world_mut().spawn(Ore(4)).id();
    let observed = Log::new();
    let log = observed.clone();
    sim.world_mut()
        .add_observer(move |done: On<BehaviorFinished>, tick: Res<Tick>| {
            log.push((tick.get(), done.event().clone()));
        });
    let miner = sim.spawn("miner", ivec2(0, 0), mine(deposit));
    let hunter = sim.spawn("hunter", ivec2(0, 0), async {
        chase(UnitId(2)).await?;
        Ok::<(), Despawned>(())
    });
    let prey = sim.spawn("prey", ivec2(6, 0), wait(100));
    let errand = sim.spawn("errand", ivec2(0, 0), async {
        next_tick().await;
        Ok::<(), ReadError>(())
    });
    let sentry = sim.spawn("sentry", ivec2(0, 0), async {
        loop {
            next_tick().await;
        }
    });
    let mut cursor = sim
        .world()
        .resource::<Messages<BehaviorFinished>>()
        .get_cursor();
    let mut messages = vec![];
    for tick in 1..=3 {
        sim.step();
        match tick {
            1 => {
                sim.world_mut().despawn(deposit);
            }
            2 => {
                sim.despawn(prey);
            }
            _ => {}
        }
        let finished = sim.world().resource::<Messages<BehaviorFinished>>();
        messages.extend(cursor.read(finished).map(|done| (tick, done.clone())));
    }
    let miner_failed = Outcome::Failed(format!("entity {deposit} does not exist").into());
    let hunter_failed = Outcome::Failed("unit #2 no longer exists".into());
    let ending = |tick, entity, unit, outcome: &Outcome| {
        (
            tick,
            BehaviorFinished {
                entity,
                unit: UnitId(unit),
                outcome: outcome.clone(),
            },
        )
    };
    let endings = [
        ending(2, miner, 0, &miner_failed),
        ending(2, errand, 3, &Outcome::Completed),
        ending(2, prey, 2, &Outcome::Despawned),
        ending(3, hunter, 1, &hunter_failed),
    ];
    assert_eq!(messages, endings);
    assert_eq!(observed.take(), endings);
    assert_eq!(outcome(&sim, miner), Some(miner_failed));
    assert_eq!(outcome(&sim, hunter), Some(hunter_failed));
    assert_eq!(outcome(&sim, errand), Some(Outcome::Completed));
    assert_eq!(sim.state(sentry), Some(BehaviorState::Running));
    assert_eq!(
        (
            sim.stats().failed,
            sim.stats().finished,
            sim.stats().faulted
        ),
        (2, 1, 0)
    );
    assert_eq!(sim.world().resource::<Stockpile>(), &Stockpile(4));
    let failed = |message: String| UnitEvent::BehaviorFailed {
        message: message.into(),
    };
    assert_eq!(
        drain(&mut sim),
        [
            (1, 1, UnitEvent::ChaseStarted { target: UnitId(2) }),
            (1, 2, UnitEvent::WaitStarted { ticks: 100 }),
            (2, 0, failed(format!("entity {deposit} does not exist"))),
            (2, 3, UnitEvent::BehaviorCompleted),
            (2, 2, UnitEvent::BehaviorDespawned),
            (3, 1, UnitEvent::ChaseLost { target: UnitId(2) }),
            (3, 1, failed("unit #2 no longer exists".to_owned())),
        ]
    );
}

#[test]
fn behaviours_that_never_return_are_spawned_by_the_game_and_by_behaviours() {
    let mut sim = Simulation::new(0);
    let sentry = sim.spawn("sentry", ivec2(0, 0), async {
        loop {
            next_tick().await;
        }
    });
    sim.spawn("recruiter", ivec2(0, 0), async {
        ecs::spawn("recruit", ivec2(1, 0), async {
            loop {
                unit::set_position(unit::position() + IVec2::X);
                next_tick().await;
            }
        })
        .await
        .map(drop)
    });
    sim.run(4);
    let recruit = sim.entity(UnitId(2)).expect("spawned on tick 1");
    assert_eq!(sim.state(sentry), Some(BehaviorState::Running));
    assert_eq!(sim.world().get::<Behavior>(sentry).unwrap().polls(), 4);
    assert_eq!(sim.state(recruit), Some(BehaviorState::Running));
    assert_eq!(
        sim.position(recruit),
        Some(ivec2(4, 0)),
        "moved on ticks 2 to 4"
    );
}

// ---------------------------------------------------------------------------------------------
// Order of writes.

#[test]
fn fifty_units_adding_to_one_resource_in_one_tick_apply_in_unit_id_order_whatever_the_spawn_order()
{
    let ids: Vec<u64> = (0..50).collect();
    for order in [shuffled(50, 7), ids.iter().rev().copied().collect()] {
        let mut sim = Simulation::new(0);
        sim.world_mut().init_resource::<Ledger>();
        let polled = Log::new();
        for &id in &order {
            let log = polled.clone();
            let behavior = Behavior::new(async move {
                let me = unit::id();
                log.push(me.0);
                ecs::modify_resource::<Ledger>(move |ledger| ledger.0.push(me.0));
            });
            spawn_with_id(&mut sim, id, behavior);
        }
        sim.step();
        assert_eq!(polled.take(), ids, "polled in unit-id order");
        assert_eq!(sim.world().resource::<Ledger>().0, ids);
    }
}

#[test]
fn two_writes_by_one_unit_in_one_tick_apply_in_the_order_issued() {
    let mut sim = Simulation::new(0);
    sim.world_mut().init_resource::<Ledger>();
    let results = Log::new();
    let log = results.clone();
    let insert_first = Behavior::new(async move {
        let me = unit::entity();
        ecs::insert(me, Cargo(1));
        ecs::modify::<Cargo>(me, |cargo| cargo.0 *= 10);
        for entry in [3, 1, 2] {
            ecs::modify_resource::<Ledger>(move |ledger| ledger.0.push(entry));
        }
    });
    let modify_first = Behavior::new(async move {
        let me = unit::entity();
        let modified = ecs::modify::<Cargo>(me, |cargo| cargo.0 *= 10);
        ecs::insert(me, Cargo(1));
        ecs::modify_resource::<Ledger>(|ledger| ledger.0.push(20));
        ecs::modify_resource::<Ledger>(|ledger| ledger.0.push(10));
        log.push(modified.await);
    });
    let (first, second) = spawn_pair(&mut sim, false, insert_first, modify_first);
    sim.run(2);
    assert_eq!(sim.world().get::<Cargo>(first), Some(&Cargo(10)));
    assert_eq!(sim.world().get::<Cargo>(second), Some(&Cargo(1)));
    assert_eq!(
        results.take(),
        [Err(WriteError::NoComponent {
            entity: second,
            component: "Cargo"
        })]
    );
    assert_eq!(sim.world().resource::<Ledger>().0, [3, 1, 2, 20, 10]);
}

// ---------------------------------------------------------------------------------------------
// Determinism.

#[test]
fn a_game_using_every_kind_of_access_plays_the_same_in_a_world_spawned_in_shuffled_order() {
    let mut in_order = game_world(&(0..UNITS).collect::<Vec<_>>(), false);
    let mut permuted = game_world(&shuffled(UNITS as usize, 5), true);
    let mut events = vec![];
    for tick in 1..=100 {
        in_order.step();
        permuted.step();
        assert_eq!(
            Census::take(&mut in_order),
            Census::take(&mut permuted),
            "tick {tick}"
        );
        let happened = tick_events(&mut in_order);
        assert_eq!(happened, tick_events(&mut permuted), "tick {tick}");
        events.extend(happened);
    }
    // The game used every kind of access, so the comparisons above compared something.
    let last = Census::take(&mut in_order);
    let count = |name: &str| events.iter().filter(|(_, event, _)| *event == name).count();
    assert!(last.stockpile.deliveries.len() > 10, "{last:?}");
    assert!(last.deposits.is_empty(), "all mined out: {last:?}");
    assert_eq!(last.bells.len(), last.depleted.len());
    assert!(last.bells.len() >= 6, "{last:?}");
    assert!(last.last_raid.is_some(), "a raid succeeded: {last:?}");
    assert!(count("despawned") > 3, "units were taken out: {events:?}");
    assert!(count("write_failed") > 0, "some writes failed: {events:?}");
    assert!(
        last.units
            .iter()
            .filter(|unit| unit.name.starts_with("recruit"))
            .count()
            > 3,
        "units were recruited: {last:?}"
    );
}

const UNITS: u64 = 12;

#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct DepositId(u32);

#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
struct Site(IVec2);

/// A miner carrying ore.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
struct Carrying;

#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
struct Warehouse {
    ore: u32,
    deliveries: Vec<UnitId>,
}

#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
struct LastRaid {
    tick: u64,
    by: UnitId,
}

#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
struct Depleted {
    deposit: u32,
    by: UnitId,
}

/// Every bell rung, with its tick.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
struct Bells(Vec<(u64, u64)>);

/// Miners (two in three units, team 0) and raiders (team 1) around six deposits, the units
/// spawned with their ids in the order given and the deposits in order or reversed.
fn game_world(order: &[u64], deposits_reversed: bool) -> Simulation {
    let mut sim = Simulation::new(21);
    sim.enable_sensing();
    sim.record_events(true);
    let world = sim.world_mut();
    world.init_resource::<Warehouse>();
    world.init_resource::<Bells>();
    MessageRegistry::register_message::<Depleted>(world);
    world.add_observer(
        |bell: On<Bell>, tick: Res<Tick>, mut bells: ResMut<Bells>| {
            bells.0.push((tick.get(), bell.0));
        },
    );
    let mut deposits: Vec<u32> = (0..6).collect();
    if deposits_reversed {
        deposits.reverse();
    }
    for number in deposits {
        let cell = ivec2(number as i32 * 3 - 8, (number as i32 % 3) * 4 - 4);
        world.spawn((DepositId(number), Site(cell), Ore(4 + number * 2)));
    }
    for &id in order {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(id);
        let home = ivec2(rng.random_range(-8..=8), rng.random_range(-8..=8));
        let (team, behavior) = if id % 3 == 2 {
            (Team(1), Behavior::new(raider(home)))
        } else {
            (Team(0), Behavior::new(miner(home)))
        };
        let unit = spawn_with_id(&mut sim, id, behavior);
        let mut unit = sim.world_mut().entity_mut(unit);
        let health = if team == Team(0) { 6 } else { 3 };
        unit.insert((team, Position(home), Health(health)));
        if team == Team(0) {
            unit.insert(Cargo(0));
        }
    }
    sim
}

/// The deposits left, by number: (number, entity, site).
fn deposits_by_number(world: &World) -> Vec<(u32, Entity, IVec2)> {
    let Some(mut deposits) = world.try_query::<(Entity, &DepositId, &Site)>() else {
        return vec![];
    };
    let mut found: Vec<_> = deposits
        .iter(world)
        .map(|(entity, number, site)| (number.0, entity, site.0))
        .collect();
    found.sort_unstable_by_key(|&(number, ..)| number);
    found
}

/// Walks to a random deposit, takes up to 3 ore (the last taker despawns it, rings the bell
/// and writes `Depleted`), carries it home into the warehouse, rests, and again.
async fn miner(home: IVec2) -> Result<(), ReadError> {
    let mut rng = unit::rng();
    let me = unit::entity();
    loop {
        let deposits = ecs::read(deposits_by_number);
        if deposits.is_empty() {
            return Ok(());
        }
        let (number, deposit, site) = deposits[rng.random_range(0..deposits.len())];
        goto(site).await;
        let Ok(Ore(left)) = ecs::get::<Ore>(deposit) else {
            continue; // mined out while on the way
        };
        let take = left.min(3);
        ecs::modify::<Ore>(deposit, move |ore| ore.0 = ore.0.saturating_sub(take));
        ecs::insert(me, (Carrying, Cargo(take)));
        if take == left {
            let by = unit::id();
            ecs::despawn(deposit);
            ecs::write_message(Depleted {
                deposit: number,
                by,
            });
            ecs::trigger(Bell(u64::from(number)));
        }
        next_tick().await;
        goto(home).await;
        let Cargo(load) = unit::get::<Cargo>()?;
        let by = unit::id();
        ecs::modify_resource::<Warehouse>(move |warehouse| {
            warehouse.ore += load;
            warehouse.deliveries.push(by);
        });
        ecs::modify::<Cargo>(me, |cargo| cargo.0 = 0);
        ecs::remove::<Carrying>(me);
        wait(rng.random_range(1..3)).await;
    }
}

/// Chases the nearest miner; on catching one, wounds it, or takes it out and recruits in its
/// place; otherwise roams near home.
async fn raider(home: IVec2) -> Result<(), ReadError> {
    let mut rng = unit::rng();
    let me = unit::entity();
    let my_team = unit::team();
    loop {
        if let Some(prey) = nearest(|other| other.team != my_team, 8)
            && let Ok(Ok(())) = timeout(6, chase(prey.id)).await
        {
            match ecs::get::<Health>(prey.entity) {
                Ok(Health(health)) if health <= 1 => {
                    let recruited = ecs::spawn_with(
                        (Team(1), Health(2)),
                        format!("recruit of {}", unit::id()),
                        unit::position(),
                        recruit(),
                    );
                    ecs::despawn(prey.entity);
                    if let Ok(Spawned { .. }) = recruited.await {
                        let (tick, by) = (unit::tick(), unit::id());
                        ecs::insert_resource(LastRaid { tick, by });
                        ecs::modify::<Health>(me, |health| health.0 += 1);
                    }
                }
                Ok(_) => {
                    ecs::modify::<Health>(prey.entity, |health| health.0 -= 1);
                }
                Err(_) => {}
            }
        }
        let roam = home + ivec2(rng.random_range(-4..=4), rng.random_range(-4..=4));
        let _ = race(goto(roam), wait(6)).await;
    }
}

/// Roams near where it was recruited, resting longer the more ore the warehouse holds.
async fn recruit() -> ! {
    let mut rng = unit::rng();
    let start = unit::position();
    loop {
        goto(start + ivec2(rng.random_range(-3..=3), rng.random_range(-3..=3))).await;
        let stock = ecs::with_resource(|warehouse: &Warehouse| warehouse.ore).unwrap_or(0);
        wait(1 + u64::from(stock % 3)).await;
    }
}

/// One unit of the game, as compared between worlds.
#[derive(Debug, PartialEq)]
struct UnitRow {
    id: UnitId,
    name: String,
    cell: IVec2,
    health: Option<Health>,
    cargo: Option<Cargo>,
    carrying: bool,
    outcome: Option<Outcome>,
}

/// The events of the tick just run, in an order and wording that do not depend on the entity
/// layout: by unit id (each unit's own in the order they happened), and a failed write without
/// the entity it names.
fn tick_events(sim: &mut Simulation) -> Vec<(UnitId, &'static str, String)> {
    let mut events: Vec<_> = sim
        .event_log()
        .drain()
        .map(|logged| {
            let text = match &logged.event {
                UnitEvent::WriteFailed { write, .. } => format!("could not {write}"),
                event => event.to_string(),
            };
            (logged.unit, logged.event.name(), text)
        })
        .collect();
    events.sort_by_key(|&(unit, ..)| unit);
    events
}

/// Everything the game changes, independent of entity layout.
#[derive(Debug, PartialEq)]
struct Census {
    checksum: Checksum,
    units: Vec<UnitRow>,
    deposits: Vec<(u32, IVec2, Option<Ore>)>,
    stockpile: Warehouse,
    last_raid: Option<LastRaid>,
    bells: Vec<(u64, u64)>,
    depleted: Vec<Depleted>,
}

impl Census {
    fn take(sim: &mut Simulation) -> Census {
        let checksum = sim.checksum();
        let world = sim.world_mut();
        let mut units: Vec<UnitRow> = world
            .query::<(
                &UnitId,
                &UnitName,
                &Position,
                Option<&Health>,
                Option<&Cargo>,
                Option<&Carrying>,
                &Behavior,
            )>()
            .iter(world)
            .map(
                |(&id, name, cell, health, cargo, carrying, behavior)| UnitRow {
                    id,
                    name: name.to_string(),
                    cell: cell.0,
                    health: health.copied(),
                    cargo: cargo.copied(),
                    carrying: carrying.is_some(),
                    outcome: behavior.outcome().cloned(),
                },
            )
            .collect();
        units.sort_by_key(|unit| unit.id);
        let deposits = deposits_by_number(world)
            .into_iter()
            .map(|(number, entity, site)| (number, site, world.get::<Ore>(entity).copied()))
            .collect();
        let messages = world.resource::<Messages<Depleted>>();
        Census {
            checksum,
            units,
            deposits,
            stockpile: world.resource::<Warehouse>().clone(),
            last_raid: world.get_resource::<LastRaid>().copied(),
            bells: world.resource::<Bells>().0.clone(),
            depleted: messages.iter_current_update_messages().copied().collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// What behaviours saw, shared with the test that reads it afterwards.
struct Log<T>(Arc<Mutex<Vec<T>>>);

impl<T> Clone for Log<T> {
    fn clone(&self) -> Self {
        Log(Arc::clone(&self.0))
    }
}

impl<T> Log<T> {
    fn new() -> Self {
        Log(Arc::new(Mutex::new(Vec::new())))
    }

    fn push(&self, value: T) {
        self.0.lock().unwrap().push(value);
    }

    /// Everything pushed since the last call, oldest first.
    fn take(&self) -> Vec<T> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// Units enough that Think polls some and writes them back before it polls the others.
const CROWD: u64 = 600;

/// Entities a game hands its behaviours through a resource.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
struct Cast {
    writer: Entity,
    reader: Entity,
    deposit: Entity,
    rock: Entity,
}

impl Default for Cast {
    fn default() -> Self {
        Cast {
            writer: Entity::PLACEHOLDER,
            reader: Entity::PLACEHOLDER,
            deposit: Entity::PLACEHOLDER,
            rock: Entity::PLACEHOLDER,
        }
    }
}

/// Everything the snapshot test reads, as one unit sees it now (`writer` is the writer's id).
fn read_everything(cast: &Cast, writer: UnitId) -> Reading {
    Reading {
        tick: unit::tick(),
        by: unit::id(),
        ore: ecs::get::<Ore>(cast.deposit),
        stock: ecs::resource::<Stockpile>(),
        writer_cell: ecs::get::<Position>(cast.writer),
        writer_sensed: position_of(writer),
        reader_cargo: ecs::get::<Cargo>(cast.reader),
        rock: ecs::get::<Ore>(cast.rock),
    }
}

/// Spawns a unit with an explicit id (kept as given), named `u{id}`, at the origin.
fn spawn_with_id(sim: &mut Simulation, id: u64, behavior: Behavior) -> Entity {
    sim.world_mut()
        .spawn((
            UnitId(id),
            UnitName::from(format!("u{id}")),
            Position(ivec2(0, 0)),
            behavior,
        ))
        .id()
}

/// Spawns units 0 (`first`) and 1 (`second`) at the origin with their ids, unit 0 first or
/// last: only the entity layout changes, Think polls unit 0 first either way (unit-id order).
/// Returns their entities, unit 0's first.
fn spawn_pair(
    sim: &mut Simulation,
    spawned_in_id_order: bool,
    first: Behavior,
    second: Behavior,
) -> (Entity, Entity) {
    let mut spawn = |id: u64, name: &str, behavior| {
        sim.world_mut()
            .spawn((
                UnitId(id),
                UnitName::from(name),
                Position(ivec2(0, 0)),
                behavior,
            ))
            .id()
    };
    if spawned_in_id_order {
        let first = spawn(0, "first", first);
        (first, spawn(1, "second", second))
    } else {
        let second = spawn(1, "second", second);
        (spawn(0, "first", first), second)
    }
}

/// 0..n in an order drawn from `seed`.
fn shuffled(n: usize, seed: u64) -> Vec<u64> {
    let mut ids: Vec<u64> = (0..n as u64).collect();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    for i in (1..ids.len()).rev() {
        ids.swap(i, rng.random_range(0..=i));
    }
    ids
}

/// An event as recorded: (tick, unit id, event).
type Logged = (u64, u64, UnitEvent);

/// The events recorded since the last call.
fn drain(sim: &mut Simulation) -> Vec<Logged> {
    sim.event_log()
        .drain()
        .map(|logged| (logged.tick, logged.unit.0, logged.event))
        .collect()
}

/// How `unit`'s behaviour ended, if it has.
fn outcome(sim: &Simulation, unit: Entity) -> Option<Outcome> {
    sim.world().get::<Behavior>(unit)?.outcome().cloned()
}

/// Ends the message of every panic these tests provoke on purpose.
const PROVOKED: &str = "(provoked by the test)";

/// Keeps the panics provoked on purpose out of the output; any other panic (a failed assertion)
/// is still printed.
fn quiet_provoked_panics() {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
            if !message.is_some_and(|message| message.ends_with(PROVOKED)) {
                default(info);
            }
        }));
    });
}
