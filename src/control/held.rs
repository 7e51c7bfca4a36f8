//! Applying a control: at once, or held until the end of Act when issued mid-tick.

use bevy_ecs::change_detection::Mut;
use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use bevy_platform::cell::SyncCell;
use glam::IVec2;
use std::borrow::Cow;
use std::fmt;

use super::ControlError;
use crate::components::{Behavior, BehaviorState, BoxedBehavior, Motion, Position, UnitId};
use crate::events::UnitEvent;
use crate::outcome::{BehaviorFinished, Outcome, announce};
use crate::systems::{Executor, emit_into_world};

/// A control, as issued.
pub(crate) enum Control {
    Replace(Behavior),
    Cancel(Cow<'static, str>),
    Pause,
    Resume,
    /// In a `SyncCell`: the executor holding it is a resource, so `Sync`.
    Interrupt(SyncCell<BoxedBehavior>),
    Place(IVec2),
}

impl fmt::Debug for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Control::Replace(_) => f.write_str("Replace"),
            Control::Cancel(reason) => f.debug_tuple("Cancel").field(reason).finish(),
            Control::Pause => f.write_str("Pause"),
            Control::Resume => f.write_str("Resume"),
            Control::Interrupt(_) => f.write_str("Interrupt"),
            Control::Place(cell) => f.debug_tuple("Place").field(cell).finish(),
        }
    }
}

/// A control issued between the start of Think and the end of Act, waiting for Act's end.
#[derive(Debug)]
pub(crate) struct Held {
    unit: Entity,
    control: Control,
}

/// Applies `control` now, or holds it for the end of Act if Think has begun and Act has not
/// finished (see the module's docs).
pub(super) fn issue(world: &mut World, unit: Entity, control: Control) -> Result<(), ControlError> {
    let mut executor = world.resource_mut::<Executor>();
    if executor.mid_tick {
        executor.held.push(Held { unit, control });
        return Ok(());
    }
    apply(world, unit, control)
}

/// Applies the controls held during this tick, in the order issued; called at the end of Act.
pub(crate) fn apply_held(world: &mut World) {
    let mut held = std::mem::take(&mut world.resource_mut::<Executor>().held);
    for Held { unit, control } in held.drain(..) {
        let asked = format!("{control:?}");
        if let Err(error) = apply(world, unit, control) {
            tracing::debug!(%unit, control = %asked, %error, "a held control lapsed");
        }
    }
    world.resource_mut::<Executor>().held = held;
}

fn apply(world: &mut World, unit: Entity, control: Control) -> Result<(), ControlError> {
    match control {
        Control::Replace(behavior) => {
            let Ok(mut entity) = world.get_entity_mut(unit) else {
                return Err(ControlError::NoBehavior(unit));
            };
            // A running behaviour ends as `Replaced`, announced by its hook.
            entity.insert(behavior);
            Ok(())
        }
        Control::Cancel(reason) => cancel_now(world, unit, reason),
        Control::Pause => pause_now(world, unit),
        Control::Resume => resume_now(world, unit),
        Control::Interrupt(interrupt) => interrupt_now(world, unit, SyncCell::to_inner(interrupt)),
        Control::Place(cell) => place_now(world, unit, cell),
    }
}

fn cancel_now(
    world: &mut World,
    unit: Entity,
    reason: Cow<'static, str>,
) -> Result<(), ControlError> {
    let id = *world
        .get::<UnitId>(unit)
        .ok_or(ControlError::NoBehavior(unit))?;
    let outcome = Outcome::Cancelled(reason);
    live_behavior(world, unit)?.finish(outcome.clone());
    stand_still(world, unit);
    let ending = BehaviorFinished {
        entity: unit,
        unit: id,
        outcome,
    };
    announce(world, ending);
    Ok(())
}

fn pause_now(world: &mut World, unit: Entity) -> Result<(), ControlError> {
    let first_tick = first_tick_changed(world);
    let mut behavior = live_behavior(world, unit)?;
    if behavior.is_paused() {
        return Ok(());
    }
    behavior.pause_at(first_tick);
    stand_still(world, unit);
    emit_for(world, unit, UnitEvent::Paused);
    Ok(())
}

fn resume_now(world: &mut World, unit: Entity) -> Result<(), ControlError> {
    let first_tick = first_tick_changed(world);
    let mut behavior = live_behavior(world, unit)?;
    if !behavior.is_paused() {
        return Ok(());
    }
    behavior.resume_at(first_tick);
    wake_now(world, unit);
    emit_for(world, unit, UnitEvent::Resumed);
    Ok(())
}

fn interrupt_now(
    world: &mut World,
    unit: Entity,
    interrupt: BoxedBehavior,
) -> Result<(), ControlError> {
    let first_tick = first_tick_changed(world);
    let mut behavior = live_behavior(world, unit)?;
    behavior.set_interrupt(interrupt, first_tick);
    stand_still(world, unit);
    wake_now(world, unit);
    emit_for(world, unit, UnitEvent::Interrupted);
    Ok(())
}

fn place_now(world: &mut World, unit: Entity, cell: IVec2) -> Result<(), ControlError> {
    let mut position = world
        .get_mut::<Position>(unit)
        .ok_or(ControlError::NoBehavior(unit))?;
    position.0 = cell;
    let parked = world
        .get::<Behavior>(unit)
        .is_some_and(|behavior| behavior.state() == BehaviorState::Parked);
    if parked {
        wake_now(world, unit);
    }
    Ok(())
}

/// The first tick a control applied now changes: the next whose Think has not begun.
fn first_tick_changed(world: &World) -> u64 {
    world.resource::<Executor>().last_think + 1
}

/// The unit's behaviour if it is still running.
pub(super) fn live_behavior(
    world: &mut World,
    unit: Entity,
) -> Result<Mut<'_, Behavior>, ControlError> {
    let behavior = world
        .get_mut::<Behavior>(unit)
        .ok_or(ControlError::NoBehavior(unit))?;
    if behavior.is_finished() {
        return Err(ControlError::Finished(unit));
    }
    Ok(behavior)
}

/// Raises `event` for the unit, if it has a unit id.
fn emit_for(world: &mut World, unit: Entity, event: UnitEvent) {
    if let Some(&id) = world.get::<UnitId>(unit) {
        emit_into_world(world, id, event);
    }
}

/// Stops the walk; a patrol's route and progress are kept, so the next poll resumes it where it
/// was.
fn stand_still(world: &mut World, unit: Entity) {
    let Ok(mut entity) = world.get_entity_mut(unit) else {
        return;
    };
    let Some(mut motion) = entity.get_mut::<Motion>() else {
        return;
    };
    let walked = *motion;
    motion.stop();
    if let Some(mut behavior) = entity.get_mut::<Behavior>() {
        behavior.suspend_patrol(&walked);
    }
}

/// Polls the behaviour on the next tick, whatever it was waiting for: its futures re-state
/// what they need (a walk, a timer) in that poll.
fn wake_now(world: &mut World, unit: Entity) {
    if let Some(mut behavior) = world.get_mut::<Behavior>(unit) {
        behavior.set_state(BehaviorState::Running);
    }
    let id = world
        .get::<UnitId>(unit)
        .copied()
        .unwrap_or(UnitId::UNASSIGNED);
    world.resource_mut::<Executor>().queue.wake(id, unit);
}
