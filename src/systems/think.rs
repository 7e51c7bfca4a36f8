//! Think: the executor. Polls each runnable behaviour once, inside its unit's context.

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::system::{Query, Res, ResMut};

use super::{ExecutorStats, RunQueue, Tick, Timers};
use crate::behaviors::{UnitContext, enter};
use crate::components::{Behavior, BehaviorState, Motion, Position, UnitId};

/// Think: polls every behaviour in the run queue once, with a noop waker.
///
/// The unit's position is copied into the per-poll unit context; afterwards the context's
/// requests are written back: the new position, where to walk, when a timer must wake it, and
/// whether it parks (not polled until woken) or stays in the run queue for the next tick.
pub(crate) fn poll_behaviors(
    tick: Res<Tick>,
    mut queue: ResMut<RunQueue>,
    mut timers: ResMut<Timers>,
    mut stats: ResMut<ExecutorStats>,
    mut units: Query<(&mut Behavior, &UnitId, &mut Position, &mut Motion)>,
) {
    let tick = tick.0;
    let RunQueue { now, next } = &mut *queue;
    std::mem::swap(now, next);
    for entity in now.drain(..) {
        let Ok((mut behavior, &id, mut position, mut motion)) = units.get_mut(entity) else {
            continue; // despawned since it was queued
        };
        let behavior = behavior.bypass_change_detection();
        if behavior.state() == BehaviorState::Finished || behavior.last_polled == tick {
            continue; // finished, or queued twice this tick
        }
        let context = UnitContext {
            entity,
            id,
            tick,
            position: position.0,
            move_target: None,
            wake_at: Behavior::NEVER,
            park: false,
        };
        let (poll, context) = enter(context, || behavior.poll(tick));
        stats.polls += 1;

        if position.0 != context.position {
            position.0 = context.position;
        }
        // A finished behaviour walks nowhere, whatever its last poll asked for.
        let move_target = if poll.is_ready() {
            None
        } else {
            context.move_target
        };
        if motion.target != move_target {
            motion.target = move_target;
        }
        if poll.is_ready() {
            stats.finished += 1;
            continue;
        }
        if behavior.wake_at != context.wake_at {
            behavior.wake_at = context.wake_at;
            if context.wake_at != Behavior::NEVER {
                timers.schedule(context.wake_at, id, entity);
            }
        }
        if context.park {
            behavior.set_state(BehaviorState::Parked);
        } else {
            next.push(entity);
        }
    }
}
