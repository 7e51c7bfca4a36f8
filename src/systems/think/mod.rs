//! Think: the executor. Polls each runnable behaviour once, lending it the world to read.

mod lent;
mod poll;
mod restore;
mod workers;

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::entity::Entity;
use bevy_ecs::query::QueryState;
use bevy_ecs::system::Local;
use bevy_ecs::world::{FromWorld, World};
use glam::IVec2;

use super::{Executor, TickSpan};
use crate::components::{Behavior, Position, UnitId, UnitName};
use crate::events::{EventLog, UnitEvent};
use crate::scope::budget::POLL_BUDGET;
use crate::scope::{
    SharedMailboxes, TickView, emit_into, listening_with, set_aside_enclosing_poll,
};
use lent::Lent;
use poll::Polled;
use restore::{Restoring, restore_round};
use workers::{Shared, SpentBudget, ThinkPool, Workers};

/// What Think reads of a unit before polling it, and takes its futures out of.
type Taking = (&'static mut Behavior, &'static UnitId, &'static Position);

/// Think's queries and buffers, kept between ticks.
pub(crate) struct ThinkState {
    taking: QueryState<Taking>,
    restoring: QueryState<Restoring>,
    positions: QueryState<&'static mut Position>,
    behaviors: QueryState<&'static mut Behavior>,
    /// The units of the round being polled.
    round: Vec<Polled>,
    workers: Workers,
    pool: ThinkPool,
    /// The mailboxes while Think runs, shared by the threads that poll.
    mailboxes: SharedMailboxes,
    /// Cells that polls moved their units to, applied once every poll is done: a unit polled
    /// later in the tick reads where the others stood when Think began.
    moved: Vec<(Entity, IVec2)>,
    /// The polls that spent their budget, with the await that yielded.
    spent_budgets: Vec<SpentBudget>,
}

impl FromWorld for ThinkState {
    fn from_world(world: &mut World) -> Self {
        ThinkState {
            taking: world.query(),
            restoring: world.query(),
            positions: world.query(),
            behaviors: world.query(),
            round: Vec::new(),
            workers: Workers::default(),
            pool: ThinkPool::default(),
            mailboxes: SharedMailboxes::default(),
            moved: Vec::new(),
            spent_budgets: Vec::new(),
        }
    }
}

/// Think: wakes the behaviours whose timer is due, then polls every behaviour in the run queue
/// once, with a noop waker.
///
/// Units are polled in rounds, each in three passes. The behaviours' futures are taken out of
/// their components, with a copy of what each unit context needs (id, cell, clock, the patrol
/// being walked). They are polled with the world lent read only: whatever order units are
/// polled in, every read sees the world as it stood when Think began. Then what each poll asked
/// for is written back: the futures, where to walk, when a timer must wake it, what it awaits
/// (its activity stack), and whether it parks (not polled until woken) or stays in the run queue
/// for the next tick. Units a poll moved by hand are moved once every poll is done. Writes to
/// the game's own data are commands, applied in Act.
///
/// With more than one thread (see [`Tickweave::threads`](crate::Tickweave::threads)), each
/// round is cut into contiguous pieces that the threads share out, and what the pieces asked
/// for is taken in order: the tick is the same whatever the number of threads.
///
/// An interrupt (a stun) is polled instead of the main future; the poll that finishes it goes on
/// to poll the main future, which continues where it was.
///
/// Runs inside the tick's span; each poll runs inside a `poll` span.
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
    let enclosing = set_aside_enclosing_poll();
    let state = &mut *state;
    let mut lent = Lent::begin(world, &state.mailboxes);
    let Lent {
        world,
        executor,
        view,
    } = &mut lent;
    let world = &mut **world;
    wake_due_timers(tick, world, &mut state.behaviors, executor);
    if executor.queue.is_empty() {
        return; // the due timers were all stale
    }
    let tick_span = world.resource::<TickSpan>().0.clone();
    let _tick_span = tick_span.enter();

    executor.queue.start_tick();
    let now = std::mem::take(&mut executor.queue.now);
    // A Think inside a poll polls on that poll's thread.
    let threads = if enclosing.is_some() {
        1
    } else {
        executor.threads
    };
    let ThinkState {
        taking,
        restoring,
        round,
        workers,
        pool,
        mailboxes,
        moved,
        spent_budgets,
        ..
    } = state;
    let pool = pool.for_tick(threads, now.len(), executor.parallel_from);
    workers.prepare(pool.is_some(), recording);
    let mut poll_every_round = || {
        for units in now.chunks(workers.round_len()) {
            take_round(taking, world, units, round);
            let shared = Shared {
                world,
                tick,
                seed: executor.seed,
                recording,
                mailboxes,
                tick_span: &tick_span,
            };
            workers.poll(round, &shared);
            executor.stats.polls += round.len() as u64;
            restore_round(restoring, round, workers, world, executor, moved);
            workers.gather(view, spent_budgets);
            round.clear();
        }
    };
    match pool {
        Some(pool) => pool.install(poll_every_round),
        None => poll_every_round(),
    }
    executor.lookouts.after_polls(&now);
    executor.queue.end_tick(now);
    executor.timers.end_of_polls();
    report_spent_budgets(world, executor, view, spent_budgets, tick);
    let mut positions = state.positions.query_mut(world);
    for (entity, cell) in moved.drain(..) {
        if let Ok(mut position) = positions.get_mut(entity) {
            position.set_if_neq(Position(cell));
        }
    }
}

/// Takes the futures of the round's runnable behaviours out of their components, with the
/// context each poll runs in. A unit that is gone, finished or paused is skipped. (The run queue
/// holds each unit once a tick.)
fn take_round(
    taking: &mut QueryState<Taking>,
    world: &mut World,
    queued: &[(UnitId, Entity)],
    round: &mut Vec<Polled>,
) {
    let mut units = taking.query_mut(world);
    for &(_, entity) in queued {
        let Ok((mut behavior, &id, position)) = units.get_mut(entity) else {
            continue; // despawned since it was queued
        };
        let behavior = behavior.bypass_change_detection();
        if behavior.is_finished() || behavior.is_paused() {
            continue;
        }
        round.push(Polled {
            entity,
            id,
            position: position.0,
            behavior: behavior.detach(),
        });
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

/// Counts the polls that spent their budget, and reports each behaviour's first: an event, and
/// a warning naming the unit and what it awaits (its activity stack, ending in the `next_tick`
/// it yielded at), since a behaviour that never waits is most likely a bug.
fn report_spent_budgets(
    world: &mut World,
    executor: &mut Executor,
    view: &mut TickView,
    spent_budgets: &mut Vec<SpentBudget>,
    tick: u64,
) {
    for (entity, unit, yielded) in spent_budgets.drain(..) {
        executor.stats.budget_yields += 1;
        let Some(mut behavior) = world.get_mut::<Behavior>(entity) else {
            continue;
        };
        if !behavior.bypass_change_detection().note_budget_spent() {
            continue; // reported once per behaviour
        }
        let activity = behavior.activity().to_string();
        let name = world.get::<UnitName>(entity).map_or("", UnitName::as_str);
        // Inside the unit's `poll` span, as every event of its poll is.
        let span = tracing::debug_span!(target: "tickweave", "poll", id = unit.0, unit = name);
        let _poll_span = span.enter();
        tracing::warn!(
            %unit,
            name,
            activity,
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
        emit_into(&mut view.log, tick, unit, event);
    }
}
