//! Control from the game: replace, cancel, pause, resume, and pre-empt a unit's behaviour.
//!
//! Each takes effect at once, between ticks or from an exclusive system; from an ordinary
//! system, queue it: `commands.queue(move |world: &mut World| { control::pause(world, unit); })`.

use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;

use crate::behaviors::{label, wait};
use crate::components::{
    ActivityStack, Behavior, BehaviorOutput, BehaviorState, Motion, PatrolRoute, UnitId,
};
use crate::events::UnitEvent;
use crate::outcome::{BehaviorFinished, Outcome};
use crate::systems::{Executor, Tick, emit_into_world};

/// Why a control could not be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlError {
    /// The entity does not exist or has no behaviour.
    NoBehavior(Entity),
    /// The behaviour already finished; replace it to give the unit something to do.
    Finished(Entity),
}

impl fmt::Display for ControlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ControlError::NoBehavior(entity) => {
                write!(f, "entity {entity} is not a unit with a behaviour")
            }
            ControlError::Finished(entity) => write!(
                f,
                "the behaviour of entity {entity} has finished; replace it to give the unit \
                 something to do"
            ),
        }
    }
}

impl std::error::Error for ControlError {}

/// Gives `unit` a new behaviour, first polled on the next tick. A running one is dropped now
/// and announced as `Cancelled("replaced")`.
pub fn replace(
    world: &mut World,
    unit: Entity,
    behavior: impl Future<Output: BehaviorOutput> + Send + 'static,
) -> Result<(), ControlError> {
    if world.get_entity(unit).is_err() {
        return Err(ControlError::NoBehavior(unit));
    }
    if world
        .get::<Behavior>(unit)
        .is_some_and(|old| !old.is_finished())
    {
        cancel(world, unit, "replaced")?;
    }
    world.entity_mut(unit).insert(Behavior::new(behavior));
    Ok(())
}

/// Ends `unit`'s behaviour now: its futures are dropped, it stops walking, and a
/// [`BehaviorFinished`] with `Cancelled(reason)` is written and triggered.
pub fn cancel(
    world: &mut World,
    unit: Entity,
    reason: impl Into<Cow<'static, str>>,
) -> Result<(), ControlError> {
    let id = *world
        .get::<UnitId>(unit)
        .ok_or(ControlError::NoBehavior(unit))?;
    let mut behavior = live_behavior(world, unit)?;
    let reason = reason.into();
    let outcome = Outcome::Cancelled(reason.clone());
    behavior.finish(outcome.clone());
    stand_still(world, unit);
    if let Some(mut patrol) = world.get_mut::<PatrolRoute>(unit) {
        patrol.route = None;
    }
    if let Some(mut activity) = world.get_mut::<ActivityStack>(unit) {
        activity.clear();
    }
    emit_into_world(world, id, UnitEvent::BehaviorCancelled { reason });
    let event = BehaviorFinished {
        entity: unit,
        unit: id,
        outcome,
    };
    world.write_message(event.clone());
    world.trigger(event);
    Ok(())
}

/// Pauses `unit`: its behaviour is not polled, it stops walking, and its waits stand still
/// until [`resume`]. Pausing a paused unit does nothing.
pub fn pause(world: &mut World, unit: Entity) -> Result<(), ControlError> {
    let tick = world.resource::<Tick>().0;
    let mut behavior = live_behavior(world, unit)?;
    if behavior.is_paused() {
        return Ok(());
    }
    behavior.set_paused(true);
    behavior.paused_at = tick;
    stand_still(world, unit);
    emit_for(world, unit, UnitEvent::Paused);
    Ok(())
}

/// Resumes a paused `unit`: its behaviour is polled on the next tick and carries on where it
/// was, its waits as long as they had left. Resuming a unit that is not paused does nothing.
pub fn resume(world: &mut World, unit: Entity) -> Result<(), ControlError> {
    let tick = world.resource::<Tick>().0;
    let mut behavior = live_behavior(world, unit)?;
    if !behavior.is_paused() {
        return Ok(());
    }
    let paused_for = tick - behavior.paused_at;
    behavior.clock_offset += paused_for;
    behavior.interrupt_offset += paused_for;
    behavior.interrupted_at += paused_for;
    behavior.set_paused(false);
    wake_now(world, unit);
    emit_for(world, unit, UnitEvent::Resumed);
    Ok(())
}

/// Pre-empts `unit`'s behaviour with `interrupt`: from the next tick the interrupt runs in its
/// place; the poll that finishes the interrupt resumes the behaviour exactly where it was, its
/// waits as long as they had left. A new interrupt replaces a running one.
pub fn interrupt(
    world: &mut World,
    unit: Entity,
    interrupt: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ControlError> {
    let tick = world.resource::<Tick>().0;
    let mut behavior = live_behavior(world, unit)?;
    behavior.set_interrupt(Box::pin(interrupt), tick + 1);
    stand_still(world, unit);
    wake_now(world, unit);
    emit_for(world, unit, UnitEvent::Interrupted);
    Ok(())
}

/// Stuns `unit` for `ticks` ticks: an [`interrupt`] that stands still (shown as `stunned` in
/// its activity stack). Stunned before tick `t`, it stands still on ticks `t` to
/// `t + ticks - 1` and its behaviour carries on in tick `t + ticks`.
pub fn stun(world: &mut World, unit: Entity, ticks: u64) -> Result<(), ControlError> {
    interrupt(world, unit, label("stunned", wait(ticks)))
}

/// The unit's behaviour if it is still live.
fn live_behavior(
    world: &mut World,
    unit: Entity,
) -> Result<bevy_ecs::world::Mut<'_, Behavior>, ControlError> {
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
    if let Some(mut patrol) = entity.get_mut::<PatrolRoute>() {
        patrol.suspend(&walked);
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
