//! Control from the game: replace, cancel, pause, resume, and pre-empt a unit's behaviour, and
//! send it signals.
//!
//! Call these with the `World` (between ticks, or from an exclusive system or a command), or
//! from an ordinary system through [`ControlCommands`]: `commands.entity(unit).stun(3)`.
//!
//! # When a control takes effect
//!
//! Never in the middle of a poll, and never between a poll and the walk it asked for:
//!
//! - Issued **before Think** of tick `t` (between ticks, or from a system in
//!   [`Sense`](crate::systems::TickPhase::Sense) or ordered before Think), it takes effect at
//!   once, and tick `t` is the first it changes.
//! - Issued **from the start of Think to the end of Act** of tick `t` (from a system between
//!   Think and Act, an observer, a command or a write applied in Act), it is held and takes
//!   effect at the end of Act, in the order issued: tick `t` runs as Think decided it, and tick
//!   `t + 1` is the first the control changes.
//! - Issued **after Act** (from a system in Observe), it takes effect at once, and tick `t + 1`
//!   is the first it changes.
//!
//! Whatever the phase, `stun(n)` keeps the unit still for exactly `n` ticks, and a paused or
//! pre-empted behaviour's waits stand still for exactly the ticks it did not run. A held
//! control that no longer applies when its time comes (its unit was despawned, or its
//! behaviour ended or was replaced, in the meantime) lapses, logged at `debug`.

mod commands;
mod held;

use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use bevy_platform::cell::SyncCell;
use glam::IVec2;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;

pub use commands::ControlCommands;
pub(crate) use held::{Held, apply_held};

use crate::behaviors::{label, wait};
use crate::components::{Behavior, BehaviorOutput, Position};
use crate::ground::{Envelope, Recipient};
use crate::systems::{Tick, deliver};
use held::{Control, issue, live_behavior};

/// Why a control could not be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
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

/// Gives `unit` a new behaviour, first polled in the first tick the control changes. A running
/// one ends as [`Outcome::Replaced`](crate::Outcome::Replaced), announced like any ending.
pub fn replace(
    world: &mut World,
    unit: Entity,
    behavior: impl Future<Output: BehaviorOutput> + Send + 'static,
) -> Result<(), ControlError> {
    if world.get_entity(unit).is_err() {
        return Err(ControlError::NoBehavior(unit));
    }
    issue(world, unit, Control::Replace(Behavior::new(behavior)))
}

/// Ends `unit`'s behaviour: its futures are dropped, it stops walking, its activity stack is
/// emptied, and a [`BehaviorFinished`](crate::BehaviorFinished) with `Cancelled(reason)` is
/// written and triggered.
pub fn cancel(
    world: &mut World,
    unit: Entity,
    reason: impl Into<Cow<'static, str>>,
) -> Result<(), ControlError> {
    live_behavior(world, unit)?;
    issue(world, unit, Control::Cancel(reason.into()))
}

/// Pauses `unit`: its behaviour is not polled, it stops walking, and its waits stand still
/// until [`resume`]. Pausing a paused unit does nothing.
pub fn pause(world: &mut World, unit: Entity) -> Result<(), ControlError> {
    live_behavior(world, unit)?;
    issue(world, unit, Control::Pause)
}

/// Resumes a paused `unit`: its behaviour is polled again from the first tick the control
/// changes and carries on where it was, its waits as long as they had left. Resuming a unit
/// that is not paused does nothing.
pub fn resume(world: &mut World, unit: Entity) -> Result<(), ControlError> {
    live_behavior(world, unit)?;
    issue(world, unit, Control::Resume)
}

/// Pre-empts `unit`'s behaviour with `interrupt`: from the first tick the control changes, the
/// interrupt runs in its place; the poll that finishes the interrupt resumes the behaviour
/// exactly where it was, its waits as long as they had left. A new interrupt replaces a
/// running one. Interrupting a paused unit runs the interrupt once it is resumed.
pub fn interrupt(
    world: &mut World,
    unit: Entity,
    interrupt: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ControlError> {
    live_behavior(world, unit)?;
    issue(
        world,
        unit,
        Control::Interrupt(SyncCell::new(Box::pin(interrupt))),
    )
}

/// Stuns `unit` for `ticks` ticks: an [`interrupt`] that stands still (shown as `stunned` in
/// its activity stack). If tick `t` is the first tick the control changes, the unit stands
/// still on ticks `t` to `t + ticks - 1` and its behaviour carries on in tick `t + ticks`.
pub fn stun(world: &mut World, unit: Entity, ticks: u64) -> Result<(), ControlError> {
    interrupt(world, unit, label("stunned", wait(ticks)))
}

/// Moves `unit` to `cell` and wakes its behaviour if it is parked, so that a walk it awaits
/// re-checks in the first tick the control changes: a `goto` to `cell` reports its arrival
/// then, the tick after the unit got there.
///
/// Writing the unit's `Position` directly moves it too, but a behaviour parked on a walk
/// notices only when its own timer wakes it (at the tick the walk would have arrived): a
/// check of every walking unit on every tick would cost the movement loop a fifth to two
/// thirds more.
pub fn place(world: &mut World, unit: Entity, cell: IVec2) -> Result<(), ControlError> {
    if world.get::<Position>(unit).is_none() {
        return Err(ControlError::NoBehavior(unit));
    }
    issue(world, unit, Control::Place(cell))
}

/// Sends a signal from the game to `to`, delivered at once: a `receive` sees it in the unit's
/// next poll. Returns how many units received it (0 for a unit that does not exist).
///
/// From an ordinary system, queue it:
/// `commands.queue(move |world: &mut World| { control::send(world, to, Alarm); })`.
pub fn send<T: Send + Sync + 'static>(world: &mut World, to: Recipient, value: T) -> usize {
    let sent_at = world.resource::<Tick>().0;
    deliver(world, to, Envelope::new(None, sent_at, value))
}
