//! Running totals of the executor's work.

/// What the executor has done since the world was created (see
/// [`Executor::stats`](super::Executor::stats)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExecutorStats {
    /// Behaviour polls, over all units and ticks.
    pub polls: u64,
    /// Behaviours that completed (cancelled and faulted ones are not counted here).
    pub finished: u64,
    /// Behaviours that panicked and were dropped.
    pub faulted: u64,
    /// Behaviours that returned an `Err`.
    pub failed: u64,
    /// Signals dropped because their recipient's queue for their type was full (see
    /// [`MAILBOX_CAPACITY`](super::MAILBOX_CAPACITY)).
    pub signals_dropped: u64,
    /// Polls cut short because they completed
    /// [`POLL_BUDGET`](crate::behaviors::POLL_BUDGET) awaits without yielding.
    pub budget_yields: u64,
}
