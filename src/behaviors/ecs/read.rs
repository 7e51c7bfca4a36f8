//! Reading the game's components and resources, as the world stood when Think began.

use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::query::{QueryFilter, QueryState, ReadOnlyQueryData};
use bevy_ecs::resource::Resource;
use bevy_ecs::system::Query;
use bevy_ecs::world::World;
use bevy_ecs::world::WorldId;
use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use crate::components::{Behavior, Motion};
use crate::events::EventLog;
use crate::scope::context;
use crate::systems::Executor;
use crate::type_names::short_name_of;

/// Why a read found nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReadError {
    /// The entity did not exist when Think began (never spawned, or despawned).
    NoEntity(Entity),
    /// The entity existed but had no such component.
    NoComponent {
        /// The entity read.
        entity: Entity,
        /// The component's type name, e.g. `Ore`.
        component: &'static str,
    },
    /// The world had no such resource.
    NoResource {
        /// The resource's type name, e.g. `Stockpile`.
        resource: &'static str,
    },
    /// A query names a component no entity of this world ever had: it could match nothing.
    NeverInWorld {
        /// The query's data and filter types, e.g. `(&Ore, ())`.
        query: &'static str,
    },
    /// tickweave's own per-unit state, executor or event log, which change while Think polls
    /// units: reading them here would depend on the poll order. Read them between ticks.
    ChangesDuringThink {
        /// The component's or resource's type name, e.g. `Motion`.
        component: &'static str,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NoEntity(entity) => write!(f, "entity {entity} does not exist"),
            ReadError::NoComponent { entity, component } => {
                write!(f, "entity {entity} has no {component}")
            }
            ReadError::NoResource { resource } => {
                write!(
                    f,
                    "there is no {resource} resource (insert it before the first tick)"
                )
            }
            ReadError::NeverInWorld { query } => write!(
                f,
                "no entity of this world ever had a component of the query {query}, so it \
                 matches nothing"
            ),
            ReadError::ChangesDuringThink { component } => write!(
                f,
                "{component} is tickweave's own and changes while units are polled: read it \
                 between ticks"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// A clone of `entity`'s component `C`.
///
/// ```
/// # use bevy_ecs::prelude::*;
/// # use tickweave::prelude::*;
/// #[derive(Component, Clone, Debug, PartialEq)]
/// struct Health(u32);
///
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("medic", ivec2(0, 0), async {
///     assert_eq!(ecs::get::<Health>(unit::entity()), Ok(Health(7)));
/// });
/// sim.world_mut().entity_mut(unit).insert(Health(7));
/// sim.step();
/// assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
/// ```
pub fn get<C: Component + Clone>(entity: Entity) -> Result<C, ReadError> {
    with(entity, C::clone)
}

/// What `read` makes of `entity`'s component `C` (no clone).
pub fn with<C: Component, R>(entity: Entity, read: impl FnOnce(&C) -> R) -> Result<R, ReadError> {
    refuse_changing::<C>()?;
    context::with_world("ecs::with", |world| {
        let entity_ref = world
            .get_entity(entity)
            .map_err(|_| ReadError::NoEntity(entity))?;
        let component = entity_ref.get::<C>().ok_or(ReadError::NoComponent {
            entity,
            component: short_name_of::<C>(),
        })?;
        Ok(read(component))
    })
}

/// Whether `entity` existed with a `C` when Think began (any component, tickweave's own too:
/// which components a unit has never changes during Think).
pub fn has<C: Component>(entity: Entity) -> bool {
    context::with_world("ecs::has", |world| {
        world
            .get_entity(entity)
            .is_ok_and(|entity| entity.contains::<C>())
    })
}

/// A clone of the resource `R`.
pub fn resource<R: Resource + Clone>() -> Result<R, ReadError> {
    with_resource(R::clone)
}

/// What `read` makes of the resource `R` (no clone).
pub fn with_resource<R: Resource, T>(read: impl FnOnce(&R) -> T) -> Result<T, ReadError> {
    refuse_changing::<R>()?;
    context::with_world("ecs::with_resource", |world| {
        world
            .get_resource::<R>()
            .map(read)
            .ok_or(ReadError::NoResource {
                resource: short_name_of::<R>(),
            })
    })
}

/// Gives `read` the whole world, read only: for what the other functions do not cover, such as
/// a query (`world.try_query::<&Ore>()`).
///
/// The game's components and resources, and every unit's `Position`, are as they stood when
/// Think began. tickweave's own per-unit components and its executor and event log, which the
/// other functions refuse, are not: they change as Think polls units (the executor and the event
/// log are lent to the polls and read as empty). Read those between ticks.
pub fn read<T>(read: impl FnOnce(&World) -> T) -> T {
    context::with_world("ecs::read", read)
}

/// Gives `read` a read-only `Query` over the world as it stood when Think began: the game's
/// components of every entity, e.g. `ecs::query(|deposits: Query<(Entity, &Ore)>| ..)`.
/// `Err(ReadError::NeverInWorld)` if no entity of this world ever had one of its components
/// (the query could match nothing).
///
/// Unlike building one with `World::try_query` inside [`read`], which allocates on every call,
/// the query's state is built once per thread, world and query type, and reused: a behaviour
/// that runs a query every tick allocates nothing. The rules of [`read`] apply to
/// tickweave's own components.
///
/// ```
/// # use bevy_ecs::prelude::*;
/// # use tickweave::prelude::*;
/// #[derive(Component)]
/// struct Ore(u32);
///
/// let mut sim = Simulation::new(0);
/// sim.world_mut().spawn(Ore(3));
/// sim.world_mut().spawn(Ore(4));
/// let unit = sim.spawn("prospector", ivec2(0, 0), async {
///     let total = ecs::query(|ore: Query<&Ore>| ore.iter().map(|ore| ore.0).sum::<u32>());
///     assert_eq!(total, Ok(7));
/// });
/// sim.step();
/// assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
/// ```
pub fn query<D, R>(read: impl FnOnce(Query<'_, '_, D>) -> R) -> Result<R, ReadError>
where
    D: ReadOnlyQueryData + 'static,
{
    query_filtered::<D, (), R>(read)
}

/// [`query`] with a filter, e.g. `Query<&Ore, Without<Depleted>>`.
pub fn query_filtered<D, F, R>(read: impl FnOnce(Query<'_, '_, D, F>) -> R) -> Result<R, ReadError>
where
    D: ReadOnlyQueryData + 'static,
    F: QueryFilter + 'static,
{
    context::with_world("ecs::query", |world| {
        QUERIES.with_borrow_mut(|queries| {
            if queries.len() >= MAX_CACHED_QUERIES {
                queries.clear(); // many worlds come and go (tests): start over
            }
            let key = (world.id(), TypeId::of::<QueryState<D, F>>());
            let state = match queries.entry(key) {
                Entry::Occupied(entry) => entry.into_mut(),
                Entry::Vacant(entry) => {
                    let state =
                        QueryState::<D, F>::try_new(world).ok_or(ReadError::NeverInWorld {
                            query: short_name_of::<(D, F)>(),
                        })?;
                    entry.insert(Box::new(state))
                }
            };
            let state = state
                .downcast_mut::<QueryState<D, F>>()
                .expect("keyed by its own type");
            Ok(read(state.query(world)))
        })
    })
}

/// Query states kept per thread, by world and type.
const MAX_CACHED_QUERIES: usize = 256;

thread_local! {
    static QUERIES: RefCell<HashMap<(WorldId, TypeId), Box<dyn Any>>> = RefCell::new(HashMap::new());
}

/// `Err` for the components and resources Think itself changes (or lends out) as it polls.
fn refuse_changing<C: 'static>() -> Result<(), ReadError> {
    let id = TypeId::of::<C>();
    let changing = [
        TypeId::of::<Behavior>(),
        TypeId::of::<Motion>(),
        TypeId::of::<Executor>(),
        TypeId::of::<EventLog>(),
    ];
    if changing.contains(&id) {
        return Err(ReadError::ChangesDuringThink {
            component: short_name_of::<C>(),
        });
    }
    Ok(())
}
