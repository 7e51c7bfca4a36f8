//! Think: the executor. Polls each runnable behaviour once, inside its unit's context.

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::entity::Entity;
use bevy_ecs::message::MessageWriter;
use bevy_ecs::system::{Commands, Query, Res, ResMut};
use std::task::Poll;

use super::{
    ExecutorStats, Mailboxes, Outbox, RunQueue, SimSeed, SpatialIndex, Tick, TickSpan, Timers,
    UnitIndex,
};
use crate::behaviors::{Requests, TickView, UnitContext, enter, install_view, poll_trail};
use crate::components::{
    Activity, ActivityStack, Behavior, BehaviorState, Motion, Position, Team, UnitId, UnitName,
};
use crate::events::{EventLog, UnitEvent, emit_at, recording_during_think};
use crate::outcome::BehaviorFinished;

type UnitData<'a> = (
    &'a mut Behavior,
    &'a UnitId,
    Option<&'a Team>,
    &'a mut Position,
    &'a mut Motion,
    &'a mut ActivityStack,
);

/// Think: polls every behaviour in the run queue once, with a noop waker.
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
    tick: Res<Tick>,
    tick_span: Res<TickSpan>,
    seed: Res<SimSeed>,
    mut queue: ResMut<RunQueue>,
    mut timers: ResMut<Timers>,
    mut stats: ResMut<ExecutorStats>,
    mut index: ResMut<SpatialIndex>,
    mut mailboxes: ResMut<Mailboxes>,
    mut outbox: ResMut<Outbox>,
    mut unit_index: ResMut<UnitIndex>,
    mut log: ResMut<EventLog>,
    mut finished: MessageWriter<BehaviorFinished>,
    mut commands: Commands,
    mut units: Query<UnitData>,
    names: Query<&UnitName>,
) {
    let _tick_span = tick_span.enter();
    let _recording = recording_during_think(log.is_recording());
    let tick = tick.0;
    let view = install_view(TickView {
        seed: seed.0,
        index: std::mem::take(&mut *index),
        mailboxes: std::mem::take(&mut *mailboxes),
        outbox: std::mem::take(&mut *outbox),
        units: std::mem::take(&mut *unit_index),
        log: std::mem::take(&mut *log),
    });
    let RunQueue { now, next } = &mut *queue;
    std::mem::swap(now, next);
    for entity in now.drain(..) {
        let Ok((mut behavior, &id, team, mut position, mut motion, mut activity)) =
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
            && let Ok(name) = names.get(entity)
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
            requests: Requests::NONE,
        };
        let (poll, unit, clock_offset) = poll_unit(behavior, unit, tick);
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
        if motion.target != requests.move_target {
            motion.target = requests.move_target;
        }
        if poll_trail::store_into(activity.bypass_change_detection()) {
            activity.set_changed();
        }
        if poll.is_ready() {
            stats.finished += 1;
            announce(&mut finished, &mut commands, entity, id, tick, behavior);
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
    let view = view.finish();
    *index = view.index;
    *mailboxes = view.mailboxes;
    *outbox = view.outbox;
    *unit_index = view.units;
    *log = view.log;
}

/// Polls the interrupt if there is one, and the main future unless the interrupt is still
/// running. Returns the poll, the context it left, and the offset of the clock it ran on.
fn poll_unit(
    behavior: &mut Behavior,
    mut unit: UnitContext,
    tick: u64,
) -> (Poll<()>, UnitContext, u64) {
    poll_trail::reset();
    if behavior.is_interrupted() {
        unit.clock = tick - behavior.interrupt_offset;
        let mark = poll_trail::enter(Activity::Interrupted);
        let (poll, after) = enter(unit, || behavior.poll_interrupt(tick));
        poll_trail::leave(mark, false);
        if poll == Some(Poll::Pending) {
            return (Poll::Pending, after, behavior.interrupt_offset);
        }
        // The interrupt is over: the main future's clock skips the time it was pre-empted.
        behavior.clock_offset += tick - behavior.interrupted_at;
        poll_trail::reset();
        unit.position = after.position;
        unit.requests = Requests::NONE;
    }
    unit.clock = tick - behavior.clock_offset;
    let (poll, after) = enter(unit, || behavior.poll_main(tick));
    (poll, after, behavior.clock_offset)
}

fn announce(
    finished: &mut MessageWriter<BehaviorFinished>,
    commands: &mut Commands,
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
    emit_at(tick, unit, UnitEvent::BehaviorCompleted);
    finished.write(event.clone());
    commands.trigger(event);
}
