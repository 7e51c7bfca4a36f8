//! A unit's stable identity: its id (spawn order) and its name.

use bevy_ecs::component::Component;
use bevy_ecs::lifecycle::HookContext;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::DeferredWorld;
use std::fmt;

use super::Position;
use crate::systems::{Executor, UnitIndex};

/// A unit's stable identity, assigned in spawn order starting at 0.
///
/// Output, traces and every ordering decision use `UnitId`, never `Entity`: entity indices are
/// recycled and table order changes with despawns, while unit ids are never reused.
///
/// Insert [`UnitId::UNASSIGNED`] (the default, which [`UnitName`] requires) and the next id is
/// assigned when the component is added. Serialized as its number.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[component(on_add = register_unit, on_remove = unregister_unit)]
pub struct UnitId(pub u64);

impl UnitId {
    /// Placeholder replaced by the next id in spawn order as soon as the component is added.
    pub const UNASSIGNED: UnitId = UnitId(u64::MAX);
}

impl Default for UnitId {
    fn default() -> Self {
        UnitId::UNASSIGNED
    }
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// The next unit id to hand out.
#[derive(Resource, Debug, Default)]
pub(crate) struct UnitIdAllocator {
    next: u64,
}

impl UnitIdAllocator {
    /// The id the next unit spawned gets.
    pub(crate) fn peek(&self) -> UnitId {
        UnitId(self.next)
    }
}

/// Gives a new unit its id (unless one was set) and makes it findable by id.
fn register_unit(mut world: DeferredWorld, ctx: HookContext) {
    let mut id = *world
        .get::<UnitId>(ctx.entity)
        .expect("the hook runs for this component");
    let Some(mut allocator) = world.get_resource_mut::<UnitIdAllocator>() else {
        panic!(
            "a unit was spawned into a World without tickweave: call `tickweave::Tickweave::install` \
             (or use `Simulation`) before spawning units"
        );
    };
    if id == UnitId::UNASSIGNED {
        id = UnitId(allocator.next);
        allocator.next += 1;
        *world.get_mut::<UnitId>(ctx.entity).expect("just read") = id;
    } else {
        allocator.next = allocator.next.max(id.0 + 1);
    }
    world.resource_mut::<UnitIndex>().insert(id, ctx.entity);
}

/// A despawned unit can no longer be found, and its undelivered signals go with it.
fn unregister_unit(mut world: DeferredWorld, ctx: HookContext) {
    let id = *world
        .get::<UnitId>(ctx.entity)
        .expect("the hook runs for this component");
    world.resource_mut::<UnitIndex>().remove(id);
    world
        .resource_mut::<Executor>()
        .mailboxes
        .remove(ctx.entity);
}

/// A unit's human-readable name, used in output (CSV, traces, summaries).
///
/// Requires a [`UnitId`] and a [`Position`], so spawning a name and a behaviour makes a unit.
#[derive(Component, Clone, Debug, PartialEq, Eq, Hash)]
#[require(UnitId, Position)]
pub struct UnitName(pub String);

impl UnitName {
    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<S: Into<String>> From<S> for UnitName {
    fn from(name: S) -> Self {
        UnitName(name.into())
    }
}
