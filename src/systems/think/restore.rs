//! Writing back what each poll asked for: the futures, where to walk, when a timer must wake
//! the unit, what it awaits, and whether it parks or stays in the run queue.

use bevy_ecs::change_detection::{DetectChangesMut, Mut};
use bevy_ecs::entity::Entity;
use bevy_ecs::query::QueryState;
use bevy_ecs::world::World;
use glam::IVec2;

use super::poll::{Ended, Polled};
use super::workers::Workers;
use crate::components::{ActivityFrame, Behavior, BehaviorState, Motion, UnitId};
use crate::ground::Route;
use crate::outcome::{BehaviorFinished, Outcome};
use crate::scope::Requests;
use crate::systems::Executor;

/// What a poll changes of its unit, written back right after it (tickweave's own components;
/// a behaviour reading them of another unit during Think is refused, see `ecs`).
pub(super) type Restoring = (&'static mut Behavior, &'static mut Motion);

/// Writes back what each poll of the round asked for, in the order of the round. Units a poll
/// moved by hand are added to `moved`, to be moved once every poll of the tick is done.
pub(super) fn restore_round(
    restoring: &mut QueryState<Restoring>,
    round: &mut [Polled],
    workers: &mut Workers,
    world: &mut World,
    executor: &mut Executor,
    moved: &mut Vec<(Entity, IVec2)>,
) {
    let mut units = restoring.query_mut(world);
    let tick = executor.tick;
    for (piece, worker) in workers.parts(round) {
        for (polled, end) in piece.iter_mut().zip(&mut worker.ends) {
            let Ok(unit) = units.get_mut(polled.entity) else {
                continue; // cannot happen: nothing despawns during Think (the futures drop isolated)
            };
            restore_unit(polled, end, unit, &worker.trails, executor, tick, moved);
        }
    }
}

fn restore_unit(
    polled: &mut Polled,
    end: &mut Ended,
    (mut behavior, mut motion): (Mut<Behavior>, Mut<Motion>),
    trails: &[ActivityFrame],
    executor: &mut Executor,
    tick: u64,
    moved: &mut Vec<(Entity, IVec2)>,
) {
    let Executor {
        queue,
        timers,
        lookouts,
        stats,
        finished,
        ..
    } = executor;
    let Ended {
        poll,
        ref mut context,
        clock_offset,
        pre_empted,
        ref trail,
        truncated,
    } = *end;
    let (entity, id) = (polled.entity, polled.id);
    let was_moved = context.position != polled.position;
    if was_moved {
        moved.push((entity, context.position));
    }
    let behavior = behavior.bypass_change_detection();
    behavior.attach(&mut polled.behavior);
    // A finished behaviour walks nowhere and awaits nothing, whatever its last poll asked.
    let requests = if poll.is_ready() {
        &Requests::NONE
    } else {
        &context.requests
    };
    apply_motion(
        requests,
        context.patrol_route.take(),
        pre_empted,
        behavior,
        &mut motion,
    );
    let (trail, truncated) = if poll.is_ready() {
        (&[][..], false)
    } else {
        (&trails[trail.clone()], truncated)
    };
    behavior.set_activity(trail, truncated);
    if poll.is_ready() {
        match behavior.outcome() {
            Some(Outcome::Faulted(message)) => {
                stats.faulted += 1;
                // Not a field named `message`: that is the event's own text, which it would replace.
                tracing::error!(unit = %id, panic = %message, tick, "behaviour panicked; dropped it");
            }
            Some(Outcome::Failed(_)) => stats.failed += 1,
            _ => stats.finished += 1,
        }
        announce(finished, entity, id, behavior);
        return;
    }
    let wake_at = match requests.wake_at {
        u64::MAX => Behavior::NEVER,
        clock_tick => clock_tick.saturating_add(clock_offset),
    };
    if behavior.wake_at != wake_at {
        behavior.wake_at = wake_at;
        if wake_at != Behavior::NEVER {
            timers.schedule(tick, wake_at, id, entity);
        }
    }
    behavior.set_awaits_signal(requests.awaits_signal);
    // A unit that moved itself (`unit::set_position`) may now stand where a walk it parked
    // on ends, before that walk's timer: it stays runnable, so its next poll re-checks.
    if requests.park && !was_moved {
        behavior.set_state(BehaviorState::Parked);
        if let Some(lookout) = requests.lookout {
            lookouts.ask(id, entity, lookout);
        }
    } else {
        behavior.set_state(BehaviorState::Running);
        queue.keep_running(id, entity);
    }
}

/// Hands the walk the poll asked for to the movement system: a patrol (kept as it is if the
/// movement system already walks that route), a single target, or nothing. While an interrupt
/// pre-empts the main future, the main future's patrol route and progress are kept for later.
fn apply_motion(
    requests: &Requests,
    handed_over: Option<Route>,
    pre_empted: bool,
    behavior: &mut Behavior,
    motion: &mut Mut<Motion>,
) {
    if let Some(request) = requests.patrol {
        let wanted = match behavior.walked_patrol(motion) {
            Some(walked) if walked.id() == request.route => {
                if !motion.is_patrolling() {
                    behavior.resume_route();
                }
                walked.motion(request.next)
            }
            _ => {
                let route = handed_over
                    .filter(|route| route.id() == request.route)
                    .expect("a patrol hands its route over when it is not walked yet");
                behavior.walk_route(&route);
                Motion::patrol(&route, request.next)
                    .expect("only routes the movement system can walk are handed over")
            }
        };
        if **motion != wanted {
            **motion = wanted;
        }
        return;
    }
    if pre_empted {
        // Keep the pre-empted patrol's route, and the waypoint it resumes toward.
        behavior.suspend_patrol(motion);
    } else {
        behavior.leave_route(motion);
    }
    let wanted = Motion::walk(requests.move_target);
    if **motion != wanted {
        **motion = wanted;
    }
}

/// Queues the ending for Act to announce (as a message and an observer event).
fn announce(
    finished: &mut Vec<BehaviorFinished>,
    entity: Entity,
    unit: UnitId,
    behavior: &Behavior,
) {
    let outcome = behavior
        .outcome()
        .cloned()
        .expect("a finished behaviour has an outcome");
    finished.push(BehaviorFinished {
        entity,
        unit,
        outcome,
    });
}
