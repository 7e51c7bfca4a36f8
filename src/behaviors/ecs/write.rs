//! Writing to the game: commands queued during Think and applied in Act, by unit id, then in the
//! order issued.

use bevy_ecs::bundle::Bundle;
use bevy_ecs::component::{Component, Mutable};
use bevy_ecs::entity::Entity;
use bevy_ecs::event::Event;
use bevy_ecs::message::{Message, Messages};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use bevy_platform::cell::SyncCell;
use glam::IVec2;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

use super::reply::{Applied, Pending, Reply, Spawned, Spawning};
use crate::components::{Behavior, BehaviorOutput, Position, UnitId, UnitName, panic_message};
use crate::events::UnitEvent;
use crate::scope::WriteError;
use crate::scope::{Request, Write};
use crate::scope::{context, view};
use crate::systems::emit_into_world;
use crate::type_names::short_name_of;

/// Queues `apply` from the unit being polled; its result goes to the returned reply.
fn command<T: Clone + Send + Sync + 'static>(
    caller: &'static str,
    op: &'static str,
    of: &'static str,
    apply: impl FnOnce(&mut World, UnitId) -> Result<T, WriteError> + Send + 'static,
) -> Reply<T> {
    let from = context::with(caller, |unit| unit.id);
    let reply: Reply<T> = Arc::new(OnceLock::new());
    let answer = Arc::clone(&reply);
    let apply = move |world: &mut World| {
        let result = panic::catch_unwind(AssertUnwindSafe(|| apply(world, from)))
            .unwrap_or_else(|payload| Err(WriteError::Panicked(panic_message(payload.as_ref()))));
        let outcome = result.as_ref().map(|_| ()).map_err(WriteError::clone);
        // Set once: each write is applied once.
        let _ = answer.set(result);
        outcome
    };
    let write = Write {
        op,
        of,
        apply: SyncCell::new(Box::new(apply)),
    };
    view::with(caller, |view| view.outbox.push(from, Request::Write(write)));
    reply
}

fn applied(
    caller: &'static str,
    op: &'static str,
    of: &'static str,
    apply: impl FnOnce(&mut World, UnitId) -> Result<(), WriteError> + Send + 'static,
) -> Applied {
    Pending {
        reply: command(caller, op, of, apply),
        what: op,
    }
}

/// Inserts `bundle` (a component, or a tuple of them) on `entity`, replacing what it had of them.
pub fn insert(entity: Entity, bundle: impl Bundle) -> Applied {
    applied(
        "ecs::insert",
        "insert",
        bundle_name(&bundle),
        move |world, _| {
            world
                .get_entity_mut(entity)
                .map_err(|_| WriteError::EntityGone(entity))?
                .insert(bundle);
            Ok(())
        },
    )
}

/// Removes the component (or tuple of components) `B` from `entity`; removing one it does not
/// have does nothing.
pub fn remove<B: Bundle>(entity: Entity) -> Applied {
    applied(
        "ecs::remove",
        "remove",
        short_name_of::<B>(),
        move |world, _| {
            world
                .get_entity_mut(entity)
                .map_err(|_| WriteError::EntityGone(entity))?
                .remove::<B>();
            Ok(())
        },
    )
}

/// Changes `entity`'s component `C` with `change`, as it stands in Act — after the writes
/// applied before this one, so ten units adding one each add ten.
pub fn modify<C: Component<Mutability = Mutable>>(
    entity: Entity,
    change: impl FnOnce(&mut C) + Send + 'static,
) -> Applied {
    applied(
        "ecs::modify",
        "modify",
        short_name_of::<C>(),
        move |world, _| {
            let mut target = world
                .get_entity_mut(entity)
                .map_err(|_| WriteError::EntityGone(entity))?;
            let mut component = target.get_mut::<C>().ok_or(WriteError::NoComponent {
                entity,
                component: short_name_of::<C>(),
            })?;
            change(&mut component);
            Ok(())
        },
    )
}

/// Changes the resource `R` with `change`, as it stands in Act (see [`modify`]).
pub fn modify_resource<R: Resource<Mutability = Mutable>>(
    change: impl FnOnce(&mut R) + Send + 'static,
) -> Applied {
    applied(
        "ecs::modify_resource",
        "modify",
        short_name_of::<R>(),
        move |world, _| {
            let mut resource = world
                .get_resource_mut::<R>()
                .ok_or(WriteError::NoResource {
                    resource: short_name_of::<R>(),
                })?;
            change(&mut resource);
            Ok(())
        },
    )
}

/// Inserts (or replaces) the resource `R`.
pub fn insert_resource<R: Resource>(resource: R) -> Applied {
    applied(
        "ecs::insert_resource",
        "insert",
        short_name_of::<R>(),
        move |world, _| {
            world.insert_resource(resource);
            Ok(())
        },
    )
}

/// Writes a Bevy `Message` (its type must be registered, e.g. with `App::add_message` or
/// `MessageRegistry::register_message`).
pub fn write_message<M: Message>(message: M) -> Applied {
    applied(
        "ecs::write_message",
        "write",
        short_name_of::<M>(),
        move |world, _| {
            if !world.contains_resource::<Messages<M>>() {
                return Err(WriteError::NoResource {
                    resource: short_name_of::<Messages<M>>(),
                });
            }
            world.write_message(message);
            Ok(())
        },
    )
}

/// Triggers an observer `Event` (an `EntityEvent` names its entity itself).
pub fn trigger<E>(event: E) -> Applied
where
    E: Event,
    for<'a> E::Trigger<'a>: Default,
{
    applied(
        "ecs::trigger",
        "trigger",
        short_name_of::<E>(),
        move |world, _| {
            world.trigger(event);
            Ok(())
        },
    )
}

/// Spawns a unit named `name` on `cell` running `behavior`: in Act of this tick, so it is first
/// polled on the next. Await the handle for its id and entity.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let parent = sim.spawn("parent", ivec2(0, 0), async {
///     let child = ecs::spawn("child", ivec2(5, 0), goto(ivec2(5, 3))).await?;
///     assert_eq!(child.id, UnitId(1)); // ids follow the order spawns are applied in
///     Ok::<(), ecs::WriteError>(())
/// });
/// sim.run(2);
/// assert_eq!(sim.state(parent), Some(BehaviorState::Finished));
/// assert_eq!(sim.units()[1].position, ivec2(5, 1)); // spawned on tick 1, stepped on tick 2
/// ```
pub fn spawn<O: BehaviorOutput>(
    name: impl Into<String>,
    cell: IVec2,
    behavior: impl Future<Output = O> + Send + 'static,
) -> Spawning {
    spawn_with((), name, cell, behavior)
}

/// Like [`spawn`], with the components in `bundle` too (a `Team`, the game's own).
pub fn spawn_with<O: BehaviorOutput>(
    bundle: impl Bundle,
    name: impl Into<String>,
    cell: IVec2,
    behavior: impl Future<Output = O> + Send + 'static,
) -> Spawning {
    let name = UnitName::from(name.into());
    let behavior = Behavior::new(behavior);
    let reply = command("ecs::spawn", "spawn", "unit", move |world, _| {
        let mut unit = world.spawn((name, Position(cell)));
        unit.insert(bundle).insert(behavior);
        let entity = unit.id();
        let id = *unit
            .get::<UnitId>()
            .expect("a unit is given its id as it spawns");
        Ok(Spawned { id, entity })
    });
    Pending {
        reply,
        what: "spawn",
    }
}

/// Runs `change` on the world in Act of this tick, in its turn among the writes; await the
/// handle for what it returns. For what the other writes do not cover — a change that reads
/// what it changes, or changes two things at once:
///
/// ```
/// # use bevy_ecs::prelude::*;
/// # use tickweave::prelude::*;
/// #[derive(Component)]
/// struct Ore(u32);
///
/// let mut sim = Simulation::new(0);
/// let deposit = sim.world_mut().spawn(Ore(3)).id();
/// let miner = sim.spawn("miner", ivec2(0, 0), async move {
///     // Take up to 5 ore, whatever other miners took before in this Act.
///     let taken = ecs::apply(move |world: &mut World| {
///         let mut ore = world.get_mut::<Ore>(deposit)?;
///         let taken = ore.0.min(5);
///         ore.0 -= taken;
///         Some(taken)
///     });
///     assert_eq!(taken.await, Ok(Some(3)));
/// });
/// sim.run(2);
/// assert_eq!(sim.state(miner), Some(BehaviorState::Finished));
/// ```
pub fn apply<R: Clone + Send + Sync + 'static>(
    change: impl FnOnce(&mut World) -> R + Send + 'static,
) -> Pending<R> {
    let reply = command("ecs::apply", "apply", "change", move |world, _| {
        Ok(change(world))
    });
    Pending {
        reply,
        what: "apply",
    }
}

/// Despawns `entity` — a unit (whose behaviour is dropped, reported as
/// [`Despawned`](UnitEvent::Despawned) by this unit) or any other entity.
pub fn despawn(entity: Entity) -> Applied {
    applied("ecs::despawn", "despawn", "entity", move |world, from| {
        if world.get_entity(entity).is_err() {
            return Err(WriteError::EntityGone(entity));
        }
        // Reported before the despawn, which reports the end of the unit's behaviour.
        if let Some(&unit) = world.get::<UnitId>(entity) {
            emit_into_world(world, unit, UnitEvent::Despawned { by: from });
        }
        world.despawn(entity);
        Ok(())
    })
}

fn bundle_name<B: 'static>(_: &B) -> &'static str {
    short_name_of::<B>()
}
