//! Raising a transition from code that owns the world: Act, and controls from the game.

use bevy_ecs::world::World;

use super::Tick;
use crate::components::UnitId;
use crate::events::{EventLog, UnitEvent, trace};

/// Raises `event` for `unit`: a `tracing` event, and an entry of the [`EventLog`] while it
/// records.
pub(crate) fn emit_into_world(world: &mut World, unit: UnitId, event: UnitEvent) {
    trace(unit, &event);
    let tick = world.get_resource::<Tick>().map_or(0, |tick| tick.0);
    if let Some(mut log) = world.get_resource_mut::<EventLog>() {
        log.push(tick, unit, event);
    }
}
