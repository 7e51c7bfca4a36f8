//! Think: the executor. Polls each runnable behaviour once, inside its unit's context.

use bevy_ecs::change_detection::{DetectChangesMut, Mut};
use bevy_ecs::entity::Entity;
use bevy_ecs::system::{Query, Res, ResMut};
use std::task::Poll;

use super::{Executor, RunQueue, SpatialIndex, TickSpan, Timers, UnitIndex};
use crate::behaviors::{
    NativePatrol, Requests, Route, TickView, UnitContext, enter, install_view, poll_trail,
};
use crate::components::{
    Activity, ActivityStack, Behavior, BehaviorState, Motion, PatrolRoute, Position, Team, UnitId,
    UnitName,
};
use crate::events::{EventLog, UnitEvent, emit_at, listening_with, recording_during_think};
use crate::outcome::{BehaviorFinished, Outcome};

type UnitData<'a> = (
    &'a mut Behavior,
    &'a UnitId,
    Option<&'a Team>,
    &'a mut Position,
    &'a mut Motion,
    &'a mut PatrolRoute,
    &'a mut ActivityStack,
    Option<&'a UnitName>,
);

/// Think: wakes the behaviours whose timer is due, then polls every behaviour in the run queue
/// once, with a noop waker.
///
/// The unit's data is copied into the per-poll unit context; afterwards what the poll asked for
/// is written back: the new position, where to walk, when a timer must wake it, what it awaits
/// (its activity stack), and whether it parks (not polled until woken) or stays in the run
/// queue for the next tick. An interrupt (a stun) is polled instead of the main future; the
/// poll that finishes it goes on to poll the main future, which continues where it was.
///
/// Runs inside the tick's span; each poll runs inside a `poll` span (fields `id` and `unit`, the
/// unit's name), created only when a subscriber wants it: disabled, it costs a check per poll.
#[allow(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub(crate) fn poll_behaviors(
    tick_span: Res<TickSpan>,
    mut executor: ResMut<Executor>,
    mut index: ResMut<SpatialIndex>,
    mut unit_index: ResMut<UnitIndex>,
    mut log: ResMut<EventLog>,
    mut units: Query<UnitData>,
) {
    let _tick_span = tick_span.enter();
    let _recording = recording_during_think(log.is_recording());
    executor.listening = listening_with(&log);
    let tick = executor.tick;
    let executor = &mut *executor;
    wake_due_timers(tick, &mut executor.timers, &mut executor.queue, &mut units);
    if executor.queue.next.is_empty() {
        return; // a quiet tick: every behaviour parked
    }
    let view = install_view(TickView {
        seed: executor.seed,
        index: std::mem::take(&mut *index),
        mailboxes: std::mem::take(&mut executor.mailboxes),
        outbox: std::mem::take(&mut executor.outbox),
        units: std::mem::take(&mut *unit_index),
        log: std::mem::take(&mut *log),
    });
    let Executor {
        queue,
        timers,
        stats,
        finished,
        ..
    } = executor;
    let RunQueue { now, next } = queue;
    std::mem::swap(now, next);
    // Each poll sets at most one timer: grow the heap once, not by doubling, when a crowd starts.
    timers.reserve(now.len());
    for entity in now.drain(..) {
        let Ok((mut behavior, &id, team, mut position, mut motion, mut patrol, mut activity, name)) =
            units.get_mut(entity)
        else {
            continue; // despawned since it was queued
        };
        let behavior = behavior.bypass_change_detection();
        if behavior.is_finished() || behavior.is_paused() || behavior.last_polled == tick {
            continue; // finished, paused, or queued twice this tick
        }
        let span = tracing::debug_span!(
            target: "tickweave",
            "poll",
            id = id.0,
            unit = tracing::field::Empty
        );
        if !span.is_disabled()
            && let Some(name) = name
        {
            span.record("unit", name.as_str());
        }
        let _unit_span = span.enter();
        let unit = UnitContext {
            entity,
            id,
            team: team.copied(),
            tick,
            clock: tick,
            position: position.0,
            native_patrol: patrol.route.as_ref().map(|route| NativePatrol {
                route: route.id(),
                next: if motion.is_patrolling() {
                    motion.patrol_index(route)
                } else {
                    patrol.resume // pre-empted
                },
            }),
            patrol_route: None,
            requests: Requests::NONE,
        };
        let (poll, mut unit, clock_offset, pre_empted) = poll_unit(behavior, unit, tick);
        stats.polls += 1;

        if position.0 != unit.position {
            position.0 = unit.position;
        }
        // A finished behaviour walks nowhere and awaits nothing, whatever its last poll asked.
        let requests = if poll.is_ready() {
            poll_trail::reset();
            Requests::NONE
        } else {
            unit.requests
        };
        let handed_over = unit.patrol_route.take();
        apply_motion(&requests, handed_over, pre_empted, &mut motion, &mut patrol);
        if poll_trail::store_into(activity.bypass_change_detection()) {
            activity.set_changed();
        }
        if poll.is_ready() {
            match behavior.outcome() {
                Some(Outcome::Faulted(message)) => {
                    stats.faulted += 1;
                    tracing::error!(unit = %id, %message, tick, "behaviour panicked; dropped it");
                }
                _ => stats.finished += 1,
            }
            announce(finished, entity, id, tick, behavior);
            continue;
        }
        let wake_at = match requests.wake_at {
            u64::MAX => Behavior::NEVER,
            clock_tick => clock_tick.saturating_add(clock_offset),
        };
        if behavior.wake_at != wake_at {
            behavior.wake_at = wake_at;
            if wake_at != Behavior::NEVER {
                timers.schedule(wake_at, id, entity);
            }
        }
        behavior.awaits_signal = requests.awaits_signal;
        if requests.park {
            behavior.set_state(BehaviorState::Parked);
        } else {
            behavior.set_state(BehaviorState::Running);
            next.push(entity);
        }
    }
    timers.end_of_polls();
    let view = view.finish();
    *index = view.index;
    executor.mailboxes = view.mailboxes;
    executor.outbox = view.outbox;
    *unit_index = view.units;
    *log = view.log;
}

/// Un-parks every behaviour whose timer is due this tick (an entry the behaviour no longer
/// wants is skipped); sweeps stale entries when the heap has grown.
fn wake_due_timers(
    tick: u64,
    timers: &mut Timers,
    queue: &mut RunQueue,
    units: &mut Query<UnitData>,
) {
    timers.sweep_if_grown(|entity, at| {
        units
            .get(entity)
            .is_ok_and(|(behavior, ..)| behavior.wake_at == at)
    });
    while let Some((at, entity)) = timers.pop_due(tick) {
        if let Ok((mut behavior, ..)) = units.get_mut(entity) {
            let behavior = behavior.bypass_change_detection();
            if behavior.wake_at == at {
                queue.unpark(entity, behavior);
            }
        }
    }
}

/// Polls the interrupt if there is one, and the main future unless the interrupt is still
/// running. Returns the poll, the context it left, the offset of the clock it ran on, and
/// whether the interrupt is still running (the main future was not polled).
fn poll_unit(
    behavior: &mut Behavior,
    mut unit: UnitContext,
    tick: u64,
) -> (Poll<()>, UnitContext, u64, bool) {
    poll_trail::reset();
    if behavior.is_interrupted() {
        unit.clock = tick - behavior.interrupt_offset;
        let mark = poll_trail::enter(Activity::Interrupted);
        let (poll, after) = enter(unit, || behavior.poll_interrupt(tick));
        poll_trail::leave(mark, false);
        if poll == Some(Poll::Pending) {
            return (Poll::Pending, after, behavior.interrupt_offset, true);
        }
        // The interrupt is over: the main future's clock skips the time it was pre-empted.
        behavior.clock_offset += tick - behavior.interrupted_at;
        poll_trail::reset();
        unit = after;
        unit.patrol_route = None;
        unit.requests = Requests::NONE;
    }
    unit.clock = tick - behavior.clock_offset;
    let (poll, after) = enter(unit, || behavior.poll_main(tick));
    (poll, after, behavior.clock_offset, false)
}

/// Hands the walk the poll asked for to the movement system: a patrol (kept as it is if the
/// movement system already walks that route), a single target, or nothing. While an interrupt
/// pre-empts the main future, the main future's patrol route and progress are kept for later.
fn apply_motion(
    requests: &Requests,
    handed_over: Option<Route>,
    pre_empted: bool,
    motion: &mut Mut<Motion>,
    patrol: &mut Mut<PatrolRoute>,
) {
    if let Some(request) = requests.patrol {
        let walking_it = patrol
            .route
            .as_ref()
            .is_some_and(|route| route.id() == request.route);
        if !walking_it {
            let route = handed_over
                .filter(|route| route.id() == request.route)
                .expect("a patrol hands its route over when it is not walked yet");
            patrol.route = Some(route);
        }
        let route = patrol.route.as_ref().expect("installed above");
        let wanted = Motion::patrol(route, request.next)
            .expect("only routes the movement system can walk are handed over");
        if **motion != wanted {
            **motion = wanted;
        }
        return;
    }
    if pre_empted {
        // Keep the pre-empted patrol's route, and the waypoint it resumes toward.
        patrol.suspend(motion);
    } else if patrol.route.is_some() {
        patrol.route = None;
    }
    let wanted = Motion::walk(requests.move_target);
    if **motion != wanted {
        **motion = wanted;
    }
}

/// Queues the ending for Act to announce (as a message and an event).
fn announce(
    finished: &mut Vec<BehaviorFinished>,
    entity: Entity,
    unit: UnitId,
    tick: u64,
    behavior: &Behavior,
) {
    let outcome = behavior
        .outcome()
        .cloned()
        .expect("a finished behaviour has an outcome");
    let event = BehaviorFinished {
        entity,
        unit,
        outcome,
    };
    if event.outcome == Outcome::Completed {
        emit_at(tick, unit, UnitEvent::BehaviorCompleted);
    }
    finished.push(event);
}
