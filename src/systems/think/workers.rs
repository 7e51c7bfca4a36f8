//! The threads Think polls on: the thread running Think alone, or a pool of Think's own.
//!
//! Polls only read the world as it stood when Think began and write to buffers of their own
//! thread, so a chunk of the run queue can be cut into contiguous parts polled at the same time.
//! Each part's buffers (its outbox, its events, its activity trails) are then taken in the
//! order of the parts, which is the order of the run queue: the tick comes out exactly as if one
//! thread had polled every unit.

use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;

use super::poll::{Polled, poll_units};
use crate::components::{ActivityFrame, UnitId};
use crate::events::EventLog;
use crate::scope::{
    Outbox, SharedMailboxes, TickView, context, lend_world, recording_during_think, view,
};

/// A poll that yielded for its budget: the unit, and the await that yielded.
pub(super) type SpentBudget = (Entity, UnitId, &'static str);

/// One thread's buffers for a chunk's polls.
#[derive(Default)]
pub(super) struct Worker {
    /// The activity trails its polls left, one after the other.
    pub trails: Vec<ActivityFrame>,
    outbox: Outbox,
    log: EventLog,
    spent_budgets: Vec<SpentBudget>,
}

/// What every part of one chunk's polls shares.
pub(super) struct Shared<'a> {
    pub world: &'a World,
    pub tick: u64,
    pub seed: u64,
    pub recording: bool,
    pub mailboxes: &'a SharedMailboxes,
    /// The tick's span, entered by each pool thread so that its polls' spans are children of it.
    pub tick_span: &'a tracing::Span,
}

/// The workers of a Think.
#[derive(Default)]
pub(super) struct Workers {
    /// One per thread polling; only the first is used when polling on one thread.
    buffers: Vec<Worker>,
    /// How many threads poll this tick.
    active: usize,
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
    /// Readies a worker for each of `threads` threads, recording events or not.
    pub fn prepare(&mut self, threads: usize, recording: bool) {
        self.active = threads.max(1);
        if self.buffers.len() < self.active {
            self.buffers.resize_with(self.active, Worker::default);
        }
        for worker in &mut self.buffers[..self.active] {
            worker.log.set_recording(recording);
        }
    }

    /// How many threads poll this tick.
    pub fn active(&self) -> usize {
        self.active
    }

    /// How many units of a chunk of `len` each worker polls (the last may poll fewer).
    pub fn part_len(&self, len: usize) -> usize {
        len.div_ceil(self.active).max(1)
    }

    /// Polls every unit of `chunk` once: on this thread, or cut in parts over the pool's
    /// threads when called inside its `install`.
    pub fn poll(&mut self, chunk: &mut [Polled], shared: &Shared) {
        let part = self.part_len(chunk.len());
        let workers = &mut self.buffers[..self.active];
        if let [worker] = workers {
            worker.poll(chunk, shared, false);
        } else {
            spread(chunk, workers, part, shared);
        }
    }

    /// The workers of this tick, each with the part of a chunk it polled.
    pub fn parts<'a>(
        &'a self,
        chunk: &'a mut [Polled],
    ) -> impl Iterator<Item = (&'a mut [Polled], &'a Worker)> {
        let part = self.part_len(chunk.len());
        chunk.chunks_mut(part).zip(&self.buffers)
    }

    /// Moves what the workers' polls asked for and raised to `view`, and the budgets they spent
    /// to `spent`, in the order of the parts; readies them for the next chunk.
    pub fn gather(&mut self, view: &mut TickView, spent: &mut Vec<SpentBudget>) {
        for worker in &mut self.buffers[..self.active] {
            view.outbox.append(&mut worker.outbox);
            view.log.append(&mut worker.log);
            spent.append(&mut worker.spent_budgets);
            worker.trails.clear();
        }
    }
}

/// Polls `chunk` cut in parts of `part` units, one per worker, on the pool.
fn spread(chunk: &mut [Polled], workers: &mut [Worker], part: usize, shared: &Shared) {
    if let [worker] = workers {
        worker.poll(chunk, shared, true);
        return;
    }
    let half = workers.len() / 2;
    let (first_workers, second_workers) = workers.split_at_mut(half);
    let (first, second) = chunk.split_at_mut((half * part).min(chunk.len()));
    rayon::join(
        || spread(first, first_workers, part, shared),
        || spread(second, second_workers, part, shared),
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
            poll_units(shared.world, units, shared.tick, &mut self.trails);
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
