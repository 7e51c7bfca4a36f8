//! Controls from ordinary systems, as entity commands.

use bevy_ecs::entity::Entity;
use bevy_ecs::error::warn;
use bevy_ecs::system::EntityCommands;
use bevy_ecs::world::{EntityWorldMut, World};
use glam::IVec2;
use std::borrow::Cow;
use std::future::Future;

use super::ControlError;
use crate::components::BehaviorOutput;

/// The controls of [`control`](crate::control) as [`EntityCommands`], for a game's ordinary
/// systems: `commands.entity(unit).stun(3)`.
///
/// Each applies when the command is applied, under the module's rule for when a control takes
/// effect. A control that cannot apply (the entity is gone or is not a unit with a running
/// behaviour) is reported by a warning naming the entity and why; call the `control` function
/// from an exclusive system to get the [`ControlError`] instead.
pub trait ControlCommands {
    /// See [`control::stun`](crate::control::stun).
    fn stun(&mut self, ticks: u64) -> &mut Self;
    /// See [`control::interrupt`](crate::control::interrupt).
    fn interrupt_behavior(
        &mut self,
        interrupt: impl Future<Output = ()> + Send + 'static,
    ) -> &mut Self;
    /// See [`control::cancel`](crate::control::cancel).
    fn cancel_behavior(&mut self, reason: impl Into<Cow<'static, str>>) -> &mut Self;
    /// See [`control::replace`](crate::control::replace).
    fn replace_behavior(
        &mut self,
        behavior: impl Future<Output: BehaviorOutput> + Send + 'static,
    ) -> &mut Self;
    /// See [`control::pause`](crate::control::pause).
    fn pause_behavior(&mut self) -> &mut Self;
    /// See [`control::place`](crate::control::place).
    fn place(&mut self, cell: IVec2) -> &mut Self;
    /// See [`control::resume`](crate::control::resume).
    fn resume_behavior(&mut self) -> &mut Self;
}

impl ControlCommands for EntityCommands<'_> {
    fn stun(&mut self, ticks: u64) -> &mut Self {
        control(self, move |world, unit| super::stun(world, unit, ticks))
    }

    fn interrupt_behavior(
        &mut self,
        interrupt: impl Future<Output = ()> + Send + 'static,
    ) -> &mut Self {
        control(self, move |world, unit| {
            super::interrupt(world, unit, interrupt)
        })
    }

    fn cancel_behavior(&mut self, reason: impl Into<Cow<'static, str>>) -> &mut Self {
        let reason = reason.into();
        control(self, move |world, unit| super::cancel(world, unit, reason))
    }

    fn replace_behavior(
        &mut self,
        behavior: impl Future<Output: BehaviorOutput> + Send + 'static,
    ) -> &mut Self {
        control(self, move |world, unit| {
            super::replace(world, unit, behavior)
        })
    }

    fn pause_behavior(&mut self) -> &mut Self {
        control(self, super::pause)
    }

    fn place(&mut self, cell: IVec2) -> &mut Self {
        control(self, move |world, unit| super::place(world, unit, cell))
    }

    fn resume_behavior(&mut self) -> &mut Self {
        control(self, super::resume)
    }
}

/// Queues `apply` for the entity, a refusal reported as a warning.
fn control<'c, 'a>(
    commands: &'c mut EntityCommands<'a>,
    apply: impl FnOnce(&mut World, Entity) -> Result<(), ControlError> + Send + 'static,
) -> &'c mut EntityCommands<'a> {
    commands.queue_handled(
        move |entity: EntityWorldMut| {
            let unit = entity.id();
            apply(entity.into_world_mut(), unit)
        },
        warn,
    )
}
