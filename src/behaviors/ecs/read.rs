//! Reading the game's components and resources, as the world stood when Think began.

use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use std::any::{TypeId, type_name};
use std::fmt;

use crate::components::{ActivityStack, Behavior, Motion, PatrolRoute, short_type_name};
use crate::scope::context;

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
    /// tickweave's own per-unit state, which changes while Think polls units: reading it here
    /// would depend on the poll order. Read it between ticks.
    ChangesDuringThink {
        /// The component's type name, e.g. `ActivityStack`.
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
            component: name_of::<C>(),
        })?;
        Ok(read(component))
    })
}

/// Whether `entity` exists and has a `C`.
pub fn has<C: Component>(entity: Entity) -> bool {
    with::<C, ()>(entity, |_| ()).is_ok()
}

/// A clone of the resource `R`.
pub fn resource<R: Resource + Clone>() -> Result<R, ReadError> {
    with_resource(R::clone)
}

/// What `read` makes of the resource `R` (no clone).
pub fn with_resource<R: Resource, T>(read: impl FnOnce(&R) -> T) -> Result<T, ReadError> {
    context::with_world("ecs::with_resource", |world| {
        world
            .get_resource::<R>()
            .map(read)
            .ok_or(ReadError::NoResource {
                resource: name_of::<R>(),
            })
    })
}

/// Gives `read` the whole world as it stood when Think began, read only: for what the other
/// functions do not cover, such as a query (`world.try_query::<&Ore>()`).
pub fn read<T>(read: impl FnOnce(&World) -> T) -> T {
    context::with_world("ecs::read", read)
}

/// `Err` for the components Think itself changes as it polls.
fn refuse_changing<C: 'static>() -> Result<(), ReadError> {
    let id = TypeId::of::<C>();
    let changing = [
        TypeId::of::<Behavior>(),
        TypeId::of::<ActivityStack>(),
        TypeId::of::<Motion>(),
        TypeId::of::<PatrolRoute>(),
    ];
    if changing.contains(&id) {
        return Err(ReadError::ChangesDuringThink {
            component: name_of::<C>(),
        });
    }
    Ok(())
}

/// `my_game::Ore` → `Ore`.
pub(super) fn name_of<T>() -> &'static str {
    short_type_name(type_name::<T>())
}
