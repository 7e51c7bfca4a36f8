//! The threads Think polls on: the thread running Think alone, or a pool of Think's own.
//!
//! Polls only read the world as it stood when Think began and write to buffers of their own,
//! so a round of the run queue can be cut into contiguous pieces polled at the same time, on
//! whichever thread is free. Each piece's buffers (its outbox, its events, its activity trails)
//! are then taken in the order of the pieces, which is the order of the run queue: the tick
//! comes out exactly as if one thread had polled every unit.

use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;

use super::poll::{Ended, Polled, poll_units};
use crate::components::{ActivityFrame, UnitId};
use crate::events::EventLog;
use crate::scope::{
    Outbox, SharedMailboxes, TickView, context, lend_world, recording_during_think, view,
};

/// Units a round of polls takes on one thread: each round looks its units up in two passes
/// (one query borrow each), and its buffer stays small whatever the crowd.
const ROUND: usize = 256;

/// Units a round takes on the pool: large, since each round wakes the other threads once, and a
/// sleeping thread can take about a millisecond to wake (measured: with rounds of 4,096 units the
/// two threads' polls overlapped for a tenth of the poll phase, with 65,536 for nearly all of it)…
const PARALLEL_ROUND: usize = 65536;

/// …cut into pieces this small, so that a thread that runs ahead takes pieces from the others.
const PIECE: usize = 64;

/// A poll that yielded for its budget: the unit, and the await that yielded.
pub(super) type SpentBudget = (Entity, UnitId, &'static str);

/// The buffers of one piece's polls.
#[derive(Default)]
pub(super) struct Worker {
    /// The activity trails its polls left, one after the other.
    pub trails: Vec<ActivityFrame>,
    /// What each of its polls did, by the unit's place in the piece; kept from round to round,
    /// so that each poll writes its end in place.
    pub ends: Vec<Ended>,
    outbox: Outbox,
    log: EventLog,
    spent_budgets: Vec<SpentBudget>,
}

/// What every piece of one round's polls shares.
pub(super) struct Shared<'a> {
    pub world: &'a World,
    pub tick: u64,
    pub seed: u64,
    pub recording: bool,
    pub mailboxes: &'a SharedMailboxes,
    /// The tick's span, entered by each pool thread so that its polls' spans are children of it.
    pub tick_span: &'a tracing::Span,
}

/// The workers of a Think: one per piece of a round of polls.
#[derive(Default)]
pub(super) struct Workers {
    /// One per piece; only the first is used when polling on one thread.
    buffers: Vec<Worker>,
    /// Units in a piece this tick; `None` when polling on one thread, in one piece a round.
    piece: Option<usize>,
    /// Pieces the last round was cut into.
    used: usize,
}

/// Think's own pool of threads, built when more than one thread is asked for.
#[derive(Default)]
pub(super) struct ThinkPool(Option<Pool>);

struct Pool {
    threads: rayon::ThreadPool,
    size: usize,
}

impl ThinkPool {
    /// The pool to poll a tick of `runnable` units on with `threads` threads, if it has at least
    /// `parallel_from`; built the first time, or again if `threads` changed. `None`: the tick is
    /// polled on this thread.
    pub fn for_tick(
        &mut self,
        threads: usize,
        runnable: usize,
        parallel_from: usize,
    ) -> Option<&rayon::ThreadPool> {
        if threads <= 1 || runnable < parallel_from {
            return None;
        }
        if self.0.as_ref().is_none_or(|pool| pool.size != threads) {
            self.0 = build_pool(threads);
        }
        self.0.as_ref().map(|pool| &pool.threads)
    }
}

impl Workers {
    /// Readies the workers for a tick polled on the pool (`parallel`) or on this thread,
    /// recording events or not.
    pub fn prepare(&mut self, parallel: bool, recording: bool) {
        self.piece = parallel.then_some(PIECE);
        let pieces = if parallel { PARALLEL_ROUND / PIECE } else { 1 };
        if self.buffers.len() < pieces {
            self.buffers.resize_with(pieces, Worker::default);
        }
        for worker in &mut self.buffers[..pieces] {
            worker.log.set_recording(recording);
        }
    }

    /// Units a round of polls takes: on the pool, enough pieces for every thread to take some
    /// from the others when it runs ahead, so a thread the system sets aside holds no one up.
    pub fn round_len(&self) -> usize {
        match self.piece {
            Some(_) => PARALLEL_ROUND,
            None => ROUND,
        }
    }

    /// Units a piece of a round of `len` units has.
    fn piece_len(&self, len: usize) -> usize {
        self.piece.unwrap_or(len).max(1)
    }

    /// Polls every unit of `round` once: on this thread, or cut in pieces that the pool's
    /// threads share out among themselves when called inside its `install`.
    pub fn poll(&mut self, round: &mut [Polled], shared: &Shared) {
        let piece = self.piece_len(round.len());
        self.used = round.len().div_ceil(piece);
        let workers = &mut self.buffers[..self.used];
        match self.piece {
            None => {
                if let [worker] = workers {
                    worker.poll(round, shared, false);
                }
            }
            Some(_) => spread(round, workers, piece, shared),
        }
    }

    /// The pieces of the round just polled, each with the worker that polled it.
    pub fn parts<'a>(
        &'a mut self,
        round: &'a mut [Polled],
    ) -> impl Iterator<Item = (&'a mut [Polled], &'a mut Worker)> {
        let piece = self.piece_len(round.len());
        round.chunks_mut(piece).zip(&mut self.buffers)
    }

    /// Moves what the pieces' polls asked for and raised to `view`, and the budgets they spent
    /// to `spent`, in the order of the pieces; readies the workers for the next round.
    pub fn gather(&mut self, view: &mut TickView, spent: &mut Vec<SpentBudget>) {
        for worker in &mut self.buffers[..self.used] {
            view.outbox.append(&mut worker.outbox);
            view.log.append(&mut worker.log);
            spent.append(&mut worker.spent_budgets);
            worker.trails.clear();
        }
    }
}

/// Polls `round` cut in pieces of `piece` units, one per worker, halving it into two jobs at a
/// time: the pool's threads steal halves from each other, so the pieces go to whichever thread
/// is free.
fn spread(round: &mut [Polled], workers: &mut [Worker], piece: usize, shared: &Shared) {
    if let [worker] = workers {
        worker.poll(round, shared, true);
        return;
    }
    let half = workers.len() / 2;
    let (first_workers, second_workers) = workers.split_at_mut(half);
    let (first, second) = round.split_at_mut((half * piece).min(round.len()));
    rayon::join(
        || spread(first, first_workers, piece, shared),
        || spread(second, second_workers, piece, shared),
    );
}

impl Worker {
    /// Polls `units` on this thread, with a tick view of this worker's own installed for them.
    fn poll(&mut self, units: &mut [Polled], shared: &Shared, on_pool: bool) {
        if units.is_empty() {
            return;
        }
        let _tick_span = on_pool.then(|| shared.tick_span.enter());
        let _recording = recording_during_think(shared.recording);
        view::install(TickView {
            seed: shared.seed,
            mailboxes: shared.mailboxes.clone(),
            outbox: std::mem::take(&mut self.outbox),
            log: std::mem::take(&mut self.log),
        });
        let _give_back = GiveBack {
            outbox: &mut self.outbox,
            log: &mut self.log,
        };
        let mark = context::budget_yields_mark();
        lend_world(shared.world, || {
            poll_units(
                shared.world,
                units,
                shared.tick,
                &mut self.trails,
                &mut self.ends,
            );
        });
        context::take_budget_yields(mark, &mut self.spent_budgets);
    }
}

/// Takes the worker's tick view back from its thread when its polls are done, also when
/// something panics, so no thread keeps a view installed.
struct GiveBack<'a> {
    outbox: &'a mut Outbox,
    log: &'a mut EventLog,
}

impl Drop for GiveBack<'_> {
    fn drop(&mut self) {
        if let Some(view) = view::take() {
            *self.outbox = view.outbox;
            *self.log = view.log;
        }
    }
}

/// A pool of `threads` threads, or `None` (polling stays on one thread) if the system refuses
/// them.
fn build_pool(threads: usize) -> Option<Pool> {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|index| format!("tickweave-think-{index}"))
        .build()
    {
        Ok(pool) => Some(Pool {
            threads: pool,
            size: threads,
        }),
        Err(error) => {
            tracing::warn!(%error, threads, "could not start Think's threads; polling on one");
            None
        }
    }
}
