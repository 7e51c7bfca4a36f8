//! Think: the executor. Polls each runnable behaviour once, lending it the world to read.

use bevy_ecs::change_detection::{DetectChangesMut, Mut};
use bevy_ecs::entity::Entity;
use bevy_ecs::query::QueryState;
use bevy_ecs::system::Local;
use bevy_ecs::world::{FromWorld, World};
use glam::IVec2;
use std::ops::Range;
use std::task::Poll;

use super::{Executor, TickSpan};
use crate::components::{
    Activity, ActivityFrame, ActivityStack, Behavior, BehaviorState, Detached, Motion, PatrolRoute,
    Position, UnitId, UnitName,
};
use crate::events::{EventLog, UnitEvent};
use crate::ground::Route;
use crate::outcome::{BehaviorFinished, Outcome};
use crate::scope::budget::POLL_BUDGET;
use crate::scope::{
    PollEnd, PollStart, Requests, TickView, context, emit_at, lend_world, listening_with, poll_as,
    recording_during_think, set_aside_enclosing_poll, trail, view,
};

/// What Think reads of a unit before polling it, and takes its futures out of.
type Taking = (&'static mut Behavior, &'static UnitId, &'static Position);

/// What a poll changes of its unit, written back right after it (tickweave's own components;
/// a behaviour reading them of another unit during Think is refused, see `ecs`).
type Restoring = (
    &'static mut Behavior,
    &'static mut Motion,
    &'static mut PatrolRoute,
    &'static mut ActivityStack,
);

/// Think's queries and buffers, kept between ticks.
pub(crate) struct ThinkState {
    taking: QueryState<Taking>,
    restoring: QueryState<Restoring>,
    positions: QueryState<&'static mut Position>,
    behaviors: QueryState<&'static mut Behavior>,
    names: QueryState<&'static UnitName>,
    /// The units of the chunk being polled.
    chunk: Vec<Polled>,
    /// The activity trails the chunk's polls left, one after the other.
    trails: Vec<ActivityFrame>,
    /// Cells that polls moved their units to, applied once every poll is done: a unit polled
    /// later in the tick reads where the others stood when Think began.
    moved: Vec<(Entity, IVec2)>,
    /// The polls that spent their budget, with the await that yielded.
    out_of_budget: Vec<(Entity, UnitId, &'static str)>,
}

impl FromWorld for ThinkState {
    fn from_world(world: &mut World) -> Self {
        ThinkState {
            taking: world.query(),
            restoring: world.query(),
            positions: world.query(),
            behaviors: world.query(),
            names: world.query(),
            chunk: Vec::with_capacity(CHUNK),
            trails: Vec::new(),
            moved: Vec::new(),
            out_of_budget: Vec::new(),
        }
    }
}

/// Units polled per round of take, poll and write back: each round looks its units up in two
/// passes (one query borrow each), and its buffer stays small whatever the crowd.
const CHUNK: usize = 256;

/// One unit of a chunk: its futures out of their component, and what its poll did.
struct Polled {
    start: PollStart,
    behavior: Detached,
    /// Filled in by the poll.
    end: Option<Ended>,
}

/// What a unit's poll did.
struct Ended {
    poll: Poll<()>,
    context: PollEnd,
    /// The offset of the clock the poll ran on.
    clock_offset: u64,
    /// The interrupt is still running: the main future was not polled.
    pre_empted: bool,
    /// Where its activity trail lies in the chunk's trails.
    trail: Range<usize>,
    /// Frames were dropped from the trail for want of room.
    truncated: bool,
}

/// Think: wakes the behaviours whose timer is due, then polls every behaviour in the run queue
/// once, with a noop waker.
///
/// Units are polled in chunks, each in three passes. The behaviours' futures are taken out of
/// their components, with a copy of what each unit context needs (id, cell, clock, the patrol
/// being walked). They are polled with the world lent read only: whatever order units are
/// polled in, every read sees the world as it stood when Think began. Then what each poll asked
/// for is written back: the futures, where to walk, when a timer must wake it, what it awaits
/// (its activity stack), and whether it parks (not polled until woken) or stays in the run queue
/// for the next tick. Units a poll moved by hand are moved once every poll is done. Writes to
/// the game's own data are commands, applied in Act.
///
/// An interrupt (a stun) is polled instead of the main future; the poll that finishes it goes on
/// to poll the main future, which continues where it was.
///
/// Runs inside the tick's span; each poll runs inside a `poll` span (fields `id` and `unit`, the
/// unit's name), created only when a subscriber wants it: disabled, it costs a check per poll.
pub(crate) fn think(world: &mut World, mut state: Local<ThinkState>) {
    let log = world.resource::<EventLog>();
    let (listening, recording) = (listening_with(log), log.is_recording());
    let mut executor = world.resource_mut::<Executor>();
    let executor = executor.bypass_change_detection();
    executor.listening = listening;
    let tick = executor.tick;
    executor.last_think = tick;
    executor.mid_tick = true;
    if executor.queue.is_empty() && !executor.timers.has_work(tick) {
        return; // a quiet tick: every behaviour parked, no timer due
    }
    // Declared before the lent world's guard, so restored after it gives everything back.
    let _enclosing = set_aside_enclosing_poll();
    let mut lent = Lent::begin(world);
    let state = &mut *state;
    let Lent { world, executor } = &mut lent;
    let world = &mut **world;
    wake_due_timers(tick, world, &mut state.behaviors, executor);
    if executor.queue.is_empty() {
        return; // the due timers were all stale
    }
    let tick_span = world.resource::<TickSpan>().0.clone();
    let _tick_span = tick_span.enter();
    let _recording = recording_during_think(recording);
    lent_view(world, executor);

    executor.queue.start_tick();
    let budget_yields = context::budget_yields_mark();
    let mut now = std::mem::take(&mut executor.queue.now);
    for units in now.chunks(CHUNK) {
        take_chunk(&mut state.taking, world, units, tick, &mut state.chunk);
        poll_chunk(world, state, tick);
        executor.stats.polls += state.chunk.len() as u64;
        restore_chunk(state, world, executor, tick);
        state.chunk.clear();
        state.trails.clear();
    }
    now.clear();
    executor.queue.now = now;
    executor.timers.end_of_polls();
    context::take_budget_yields(budget_yields, &mut state.out_of_budget);
    report_spent_budgets(world, executor, &mut state.out_of_budget, tick);
    let mut positions = state.positions.query_mut(world);
    for (entity, cell) in state.moved.drain(..) {
        if let Ok(mut position) = positions.get_mut(entity) {
            position.set_if_neq(Position(cell));
        }
    }
}

/// Takes the futures of the chunk's runnable behaviours out of their components, with the
/// context each poll runs in. A unit that is gone, finished, paused or already polled this tick
/// is skipped.
fn take_chunk(
    taking: &mut QueryState<Taking>,
    world: &mut World,
    queued: &[(UnitId, Entity)],
    tick: u64,
    chunk: &mut Vec<Polled>,
) {
    let mut units = taking.query_mut(world);
    for &(_, entity) in queued {
        let Ok((mut behavior, &id, position)) = units.get_mut(entity) else {
            continue; // despawned since it was queued
        };
        let behavior = behavior.bypass_change_detection();
        if behavior.is_finished() || behavior.is_paused() || behavior.last_polled == tick {
            continue; // finished, paused, or queued twice this tick
        }
        let start = PollStart {
            entity,
            id,
            tick,
            clock: tick,
            position: position.0,
        };
        chunk.push(Polled {
            start,
            behavior: behavior.detach(tick),
            end: None,
        });
    }
}

/// Polls each unit of the chunk once, the world lent read only.
fn poll_chunk(world: &World, state: &mut ThinkState, tick: u64) {
    let ThinkState {
        names,
        chunk,
        trails,
        ..
    } = state;
    lend_world(world, || {
        for unit in chunk.iter_mut() {
            let span = tracing::debug_span!(
                target: "tickweave",
                "poll",
                id = unit.start.id.0,
                unit = tracing::field::Empty
            );
            if !span.is_disabled()
                && let Ok(name) = names.get(world, unit.start.entity)
            {
                span.record("unit", name.as_str());
            }
            let _unit_span = span.enter();
            unit.end = Some(poll_unit(&mut unit.behavior, unit.start, tick, trails));
            if let Some(outcome) = unit.behavior.outcome() {
                report_ending(unit.start.id, tick, outcome);
            }
        }
    });
}

/// Writes back what each poll of the chunk asked for.
fn restore_chunk(state: &mut ThinkState, world: &mut World, executor: &mut Executor, tick: u64) {
    let Executor {
        queue,
        timers,
        stats,
        finished,
        ..
    } = executor;
    let mut units = state.restoring.query_mut(world);
    let trails = &state.trails;
    for polled in state.chunk.iter_mut() {
        let start = polled.start;
        let detached = &mut polled.behavior;
        let Ended {
            poll,
            context,
            clock_offset,
            pre_empted,
            trail,
            truncated,
        } = polled
            .end
            .take()
            .expect("every unit of the chunk was polled");
        let (entity, id) = (start.entity, start.id);
        let moved = context.position != start.position;
        if moved {
            state.moved.push((entity, context.position));
        }
        let Ok((mut behavior, mut motion, mut patrol, mut activity)) = units.get_mut(entity) else {
            continue; // cannot happen: nothing despawns during Think (the futures drop isolated)
        };
        let behavior = behavior.bypass_change_detection();
        behavior.attach(detached);
        // A finished behaviour walks nowhere and awaits nothing, whatever its last poll asked.
        let requests = if poll.is_ready() {
            Requests::NONE
        } else {
            context.requests
        };
        apply_motion(
            &requests,
            context.patrol_route,
            pre_empted,
            &mut motion,
            &mut patrol,
        );
        let (trail, truncated) = if poll.is_ready() {
            (&[][..], false)
        } else {
            (&trails[trail], truncated)
        };
        if activity.bypass_change_detection().assign(trail, truncated) {
            activity.set_changed();
        }
        if poll.is_ready() {
            match behavior.outcome() {
                Some(Outcome::Faulted(message)) => {
                    stats.faulted += 1;
                    tracing::error!(unit = %id, %message, tick, "behaviour panicked; dropped it");
                }
                Some(Outcome::Failed(_)) => stats.failed += 1,
                _ => stats.finished += 1,
            }
            announce(finished, entity, id, behavior);
            continue;
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
        behavior.awaits_signal = requests.awaits_signal;
        // A unit that moved itself (`unit::set_position`) may now stand where a walk it parked
        // on ends, before that walk's timer: it stays runnable, so its next poll re-checks.
        if requests.park && !moved {
            behavior.set_state(BehaviorState::Parked);
        } else {
            behavior.set_state(BehaviorState::Running);
            queue.keep_running(id, entity);
        }
    }
}

/// The executor and the tick view, out of the world while Think runs; given back when dropped,
/// also when something in Think panics, so no resource is ever lost.
struct Lent<'w> {
    world: &'w mut World,
    executor: Executor,
}

impl<'w> Lent<'w> {
    fn begin(world: &'w mut World) -> Self {
        let executor = std::mem::take(&mut *world.resource_mut::<Executor>());
        Lent { world, executor }
    }
}

/// Moves the mailboxes, the outbox and the event log into the tick view the polls use.
fn lent_view(world: &mut World, executor: &mut Executor) {
    let log = std::mem::take(&mut *world.resource_mut::<EventLog>());
    view::install(TickView {
        seed: executor.seed,
        mailboxes: std::mem::take(&mut executor.mailboxes),
        outbox: std::mem::take(&mut executor.outbox),
        log,
    });
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(view) = view::take() {
            self.executor.mailboxes = view.mailboxes;
            self.executor.outbox = view.outbox;
            *self.world.resource_mut::<EventLog>() = view.log;
        }
        let executor = std::mem::take(&mut self.executor);
        *self
            .world
            .resource_mut::<Executor>()
            .bypass_change_detection() = executor;
    }
}

/// Un-parks every behaviour whose timer is due this tick (an entry the behaviour no longer
/// wants is skipped); sweeps stale entries when the heap has grown.
fn wake_due_timers(
    tick: u64,
    world: &mut World,
    behaviors: &mut QueryState<&'static mut Behavior>,
    executor: &mut Executor,
) {
    let Executor { timers, queue, .. } = executor;
    if !timers.has_work(tick) {
        return;
    }
    let mut behaviors = behaviors.query_mut(world);
    timers.sweep_if_grown(|entity, at| {
        behaviors
            .get(entity)
            .is_ok_and(|behavior| behavior.wake_at == at)
    });
    timers.drain_due(tick, |at, unit, entity| {
        if let Ok(mut behavior) = behaviors.get_mut(entity) {
            let behavior = behavior.bypass_change_detection();
            if behavior.wake_at == at {
                queue.unpark(unit, entity, behavior);
            }
        }
    });
}

/// Polls the interrupt if there is one, and the main future unless the interrupt is still
/// running.
fn poll_unit(
    behavior: &mut Detached,
    mut start: PollStart,
    tick: u64,
    trails: &mut Vec<ActivityFrame>,
) -> Ended {
    trail::reset();
    if behavior.is_interrupted() {
        start.clock = tick - behavior.interrupt_offset;
        let mark = trail::enter(Activity::Interrupted);
        let (poll, context) = poll_as(start, || behavior.poll_interrupt());
        trail::leave(mark, false);
        if poll == Some(Poll::Pending) {
            let (trail, truncated) = trail::append_to(trails);
            return Ended {
                poll: Poll::Pending,
                context,
                clock_offset: behavior.interrupt_offset,
                pre_empted: true,
                trail,
                truncated,
            };
        }
        // The interrupt is over: the main future's clock skips the time it was pre-empted.
        behavior.clock_offset += tick - behavior.interrupted_at;
        trail::reset();
        start.position = context.position;
    }
    start.clock = tick - behavior.clock_offset;
    let (poll, context) = poll_as(start, || {
        behavior.poll_main(|| context::with("a behaviour's end", |unit| unit.failure.take()))
    });
    let (trail, truncated) = trail::append_to(trails);
    Ended {
        poll,
        context,
        clock_offset: behavior.clock_offset,
        pre_empted: false,
        trail,
        truncated,
    }
}

/// Counts the polls that spent their budget, and reports each behaviour's first: an event, and
/// a warning naming the unit and what it awaits (its activity stack, ending in the `next_tick`
/// it yielded at), since a behaviour that never waits is most likely a bug.
fn report_spent_budgets(
    world: &mut World,
    executor: &mut Executor,
    out_of_budget: &mut Vec<(Entity, UnitId, &'static str)>,
    tick: u64,
) {
    for (entity, unit, yielded) in out_of_budget.drain(..) {
        executor.stats.budget_yields += 1;
        let Some(mut behavior) = world.get_mut::<Behavior>(entity) else {
            continue;
        };
        if std::mem::replace(
            &mut behavior.bypass_change_detection().budget_reported,
            true,
        ) {
            continue; // reported once per behaviour
        }
        let name = world.get::<UnitName>(entity).map_or("", UnitName::as_str);
        let activity = world.get::<ActivityStack>(entity).map(ToString::to_string);
        tracing::warn!(
            %unit,
            name,
            activity = activity.as_deref().unwrap_or(""),
            tick,
            budget = POLL_BUDGET,
            yielded,
            "a poll completed {POLL_BUDGET} awaits without yielding, so its next (`{yielded}`) \
             yields until the next tick: does a loop never wait? (reported once per behaviour)"
        );
        let event = UnitEvent::BudgetExhausted {
            budget: POLL_BUDGET,
            yielded,
        };
        emit_at(tick, unit, event);
    }
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

/// Raises the event of a behaviour's ending in its poll (a cancel raises its own elsewhere).
fn report_ending(unit: UnitId, tick: u64, outcome: &Outcome) {
    match outcome {
        Outcome::Completed => emit_at(tick, unit, UnitEvent::BehaviorCompleted),
        Outcome::Failed(message) => emit_at(
            tick,
            unit,
            UnitEvent::BehaviorFailed {
                message: message.clone(),
            },
        ),
        _ => {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Simulation;
    use glam::ivec2;

    #[test]
    fn a_panic_in_think_outside_any_behaviour_gives_back_everything_it_lent() {
        let mut sim = Simulation::new(0);
        sim.spawn("u", ivec2(0, 0), async {
            crate::behaviors::wait(100).await
        });
        sim.step();
        let world = sim.world_mut();
        world.resource_mut::<EventLog>().set_recording(true);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut lent = Lent::begin(world);
            lent_view(lent.world, &mut lent.executor);
            panic!("a bug in Think");
        }));
        assert!(result.is_err());
        assert!(view::take().is_none(), "the view went back");
        assert!(world.resource::<EventLog>().is_recording());
        assert_eq!(world.resource::<Executor>().timers.len(), 1);
    }
}
