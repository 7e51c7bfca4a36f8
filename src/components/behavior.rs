//! The `Behavior` component: a unit's pinned, boxed `async` behaviour and its scheduling state.

use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::lifecycle::HookContext;
use bevy_ecs::world::DeferredWorld;
use bevy_platform::cell::SyncCell;
use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{ActivityFrame, ActivityStack, Motion, UnitId};
use crate::ground::{Route, Serial};
use crate::outcome::{BehaviorFinished, Outcome, announce_ended_by_hooks};
use crate::systems::Executor;

/// A behaviour future as stored in a [`Behavior`]: pinned, boxed, `Send`, owning its data.
pub type BoxedBehavior = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Where a behaviour stands with the executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BehaviorState {
    /// Polled on the next tick.
    Running,
    /// Waiting for a native system (movement, a timer, a signal) to wake it; costs no poll.
    Parked,
    /// Paused by the game: not polled, not moving, its waits standing still, until resumed.
    Paused,
    /// Completed, cancelled or faulted (panicked): its future has been dropped and it is never
    /// polled again. See [`Behavior::outcome`].
    Finished,
}

/// A unit's behaviour: an `async` block the Think phase polls at most once per tick.
///
/// Inserting a `Behavior` schedules it for the next tick. Inserting another over a running one
/// ends it as [`Outcome::Replaced`], removing it as [`Outcome::Removed`], despawning its unit as
/// [`Outcome::Despawned`]: its futures are dropped at once, exactly once, and the ending is
/// announced like any other (a [`BehaviorFinished`] message and observer event).
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("walker", ivec2(0, 0), async { goto(ivec2(2, 0)).await });
/// sim.run(3);
/// let behavior = sim.world().get::<Behavior>(unit).unwrap();
/// assert_eq!(behavior.state(), BehaviorState::Finished);
/// assert_eq!(behavior.outcome(), Some(&Outcome::Completed));
/// assert_eq!(behavior.polls(), 2); // one to start walking, one to notice the arrival
/// ```
#[derive(Component)]
#[component(
    on_insert = schedule_inserted_behavior,
    on_discard = end_discarded_behavior,
    on_remove = end_removed_behavior,
    on_despawn = end_despawned_behavior
)]
#[require(Motion)]
pub struct Behavior {
    future: SyncCell<Option<BoxedBehavior>>,
    /// What only an interrupted, paused or finished behaviour needs; most never do.
    rare: Option<Box<Rare>>,
    /// The simulation tick at which a timer wakes this behaviour (`NEVER` if none).
    pub(crate) wake_at: u64,
    /// What it awaits, as of its latest poll.
    activity: ActivityStack,
    /// The serial number of the two-waypoint route its `patrol` handed to the movement system,
    /// if it did: the route is that number and the two cells the unit's [`Motion`] patrols
    /// between (or, while an interrupt or a pause holds the patrol up, the cells in `rare`).
    walked: Option<Serial>,
    /// The low byte: the state ([`Self::STATE`]) and the flags [`Self::PAUSED`],
    /// [`Self::INTERRUPTED`], [`Self::AWAITS_SIGNAL`], [`Self::BUDGET_REPORTED`],
    /// [`Self::LEFT_PATROL`] and [`Self::LEFT_TOWARD_SECOND`]. Above it, the
    /// low 24 bits of the poll count; the rest is in `rare` (a behaviour polled every tick needs
    /// 16 million ticks to carry into it). Four bytes for both, so that the component is 56.
    bits: u32,
}

/// The part of a [`Behavior`] that only interrupts, pauses and endings use, out of line so that
/// every unit's component stays small: it is allocated the first time one of them happens.
struct Rare {
    /// Runs instead of the main future until it completes (a stun); then the main one resumes.
    interrupt: SyncCell<Option<BoxedBehavior>>,
    outcome: Option<Outcome>,
    /// Ticks the interrupt did not run (paused): its clock is the tick minus this.
    interrupt_offset: u64,
    /// The first tick of the current interrupt (shifted by pauses during it).
    interrupted_at: u64,
    /// The first tick of the current pause (not polled).
    paused_at: u64,
    /// Ticks the main future did not run (paused or pre-empted): its clock is the tick minus
    /// this. Zero until a pause or an interrupt.
    clock_offset: u64,
    /// The poll count above the 24 bits kept in `Behavior::bits`.
    polls_high: u64,
    /// While an interrupt or a pause holds up the patrol the movement system walked: its
    /// motion as it was, heading for the waypoint it resumes toward.
    suspended: Option<Motion>,
}

impl Default for Rare {
    fn default() -> Self {
        Rare {
            interrupt: SyncCell::new(None),
            outcome: None,
            interrupt_offset: 0,
            interrupted_at: 0,
            paused_at: 0,
            clock_offset: 0,
            polls_high: 0,
            suspended: None,
        }
    }
}

impl Behavior {
    /// Tick value meaning "no timer".
    pub(crate) const NEVER: u64 = u64::MAX;
    /// `bits`: the bits of the state, [`Self::RUNNING`], [`Self::PARKED`] or
    /// [`Self::FINISHED`] (paused is a flag of its own).
    const STATE: u32 = 3;
    const RUNNING: u32 = 0;
    const PARKED: u32 = 1;
    const FINISHED: u32 = 2;
    /// `bits`: paused by the game.
    const PAUSED: u32 = 4;
    /// `bits`: `rare.interrupt` holds a future (readable without the exclusive access its cell
    /// needs).
    const INTERRUPTED: u32 = 8;
    /// `bits`: a pending `receive` wants to be woken by the next signal.
    const AWAITS_SIGNAL: u32 = 16;
    /// `bits`: a poll already spent its budget and was reported (reported once per behaviour).
    const BUDGET_REPORTED: u32 = 32;
    /// `bits`: the behaviour stopped asking for the patrol the movement system walked (it raced
    /// something that won, say) and keeps `walked` as a note of where it left it…
    const LEFT_PATROL: u32 = 64;
    /// …`bits`: heading for the route's second waypoint when it was left, else its first.
    const LEFT_TOWARD_SECOND: u32 = 128;
    /// `bits`: the poll count starts at this bit.
    const POLLS_SHIFT: u32 = 8;

    /// Wraps a future as a behaviour; it is first polled on the tick after it is inserted.
    ///
    /// The future returns `()`, or a `Result<(), E>` whose `Err` ends the behaviour as
    /// [`Outcome::Failed`] with the error's message (so `?` works inside it).
    pub fn new<O: BehaviorOutput>(future: impl Future<Output = O> + Send + 'static) -> Self {
        Self::from_boxed(Box::pin(ReportFailure { future }))
    }

    /// Wraps an already boxed future (avoids a second box).
    pub fn from_boxed(future: BoxedBehavior) -> Self {
        Behavior {
            future: SyncCell::new(Some(future)),
            rare: None,
            wake_at: Self::NEVER,
            activity: ActivityStack::EMPTY,
            walked: None,
            bits: Self::RUNNING,
        }
    }

    /// This behaviour, with `route` already handed to the movement system (the unit's `Motion`
    /// patrols it).
    pub(crate) fn walking(mut self, route: &Route) -> Self {
        self.walked = route.serial();
        self
    }

    /// The two-waypoint route the movement system patrols for this unit, if its `patrol` handed
    /// it one; kept while an interrupt or a pause holds the patrol up, which then resumes where
    /// it was. `motion` is the unit's [`Motion`], whose cells are the route's while it is walked.
    pub fn patrol_route(&self, motion: &Motion) -> Option<Route> {
        self.walked_patrol(motion).map(|walked| walked.route())
    }

    /// The route the movement system walks for this unit (see [`Self::patrol_route`]).
    #[inline]
    pub(crate) fn walked_patrol(&self, motion: &Motion) -> Option<Walked> {
        if self.bits & Self::LEFT_PATROL != 0 {
            return None;
        }
        let serial = self.walked?;
        let heading = if motion.is_patrolling() {
            *motion
        } else {
            self.rare.as_ref()?.suspended?
        };
        Some(Walked { serial, heading })
    }

    /// The waypoint the patrol of the route numbered `serial` was heading for when the
    /// behaviour stopped asking for it (see [`Self::leave_route`]), if that is the route left.
    pub(crate) fn left_patrol(&self, serial: Serial) -> Option<u16> {
        (self.bits & Self::LEFT_PATROL != 0 && self.walked == Some(serial))
            .then(|| u16::from(self.bits & Self::LEFT_TOWARD_SECOND != 0))
    }

    /// The movement system walks `route` from now on.
    pub(crate) fn walk_route(&mut self, route: &Route) {
        self.set_flag(Self::LEFT_PATROL | Self::LEFT_TOWARD_SECOND, false);
        self.walked = route.serial();
        if let Some(rare) = &mut self.rare {
            rare.suspended = None;
        }
    }

    /// The route held up by an interrupt or a pause is walked again.
    pub(crate) fn resume_route(&mut self) {
        if let Some(rare) = &mut self.rare {
            rare.suspended = None;
        }
    }

    /// The movement system walks no route for it any more, as its latest poll did not ask for
    /// one: the route it walked, if any, is noted with the waypoint it was heading for, so that
    /// its `patrol`, polled again later, resumes toward that waypoint rather than the one it
    /// knew when last polled (the movement system turned at waypoints without polling it).
    pub(crate) fn leave_route(&mut self, motion: &Motion) {
        if self.bits & Self::LEFT_PATROL != 0 {
            return; // left on an earlier poll: motion no longer says where it was heading
        }
        match self.walked_patrol(motion) {
            Some(walked) => {
                self.set_flag(Self::LEFT_PATROL, true);
                self.set_flag(Self::LEFT_TOWARD_SECOND, walked.next() == 1);
                if let Some(rare) = &mut self.rare {
                    rare.suspended = None;
                }
            }
            None => self.forget_route(),
        }
    }

    /// The movement system walks no route for it any more, and none is left to resume.
    pub(crate) fn forget_route(&mut self) {
        self.set_flag(Self::LEFT_PATROL | Self::LEFT_TOWARD_SECOND, false);
        self.walked = None;
        if let Some(rare) = &mut self.rare {
            rare.suspended = None;
        }
    }

    /// Keeps the patrol `motion` walks, before something else (a stun, a pause) replaces it: the
    /// patrol resumes toward the waypoint it was heading for.
    pub(crate) fn suspend_patrol(&mut self, motion: &Motion) {
        if self.walked.is_some() && motion.is_patrolling() {
            self.rare().suspended = Some(*motion);
        }
    }

    /// Running, parked, paused or finished.
    pub fn state(&self) -> BehaviorState {
        match self.bits & Self::STATE {
            Self::FINISHED => BehaviorState::Finished,
            _ if self.is_paused() => BehaviorState::Paused,
            Self::PARKED => BehaviorState::Parked,
            _ => BehaviorState::Running,
        }
    }

    /// What it awaits, as of its latest poll (empty before its first poll and once finished).
    pub fn activity(&self) -> &ActivityStack {
        &self.activity
    }

    /// Makes `frames` (and `truncated`) what it awaits (see [`ActivityStack::assign`]).
    pub(crate) fn set_activity(&mut self, frames: &[ActivityFrame], truncated: bool) {
        self.activity.assign(frames, truncated);
    }

    /// True if a pending `receive` wants to be woken by the next signal.
    pub(crate) fn awaits_signal(&self) -> bool {
        self.bits & Self::AWAITS_SIGNAL != 0
    }

    pub(crate) fn set_awaits_signal(&mut self, awaits: bool) {
        self.set_flag(Self::AWAITS_SIGNAL, awaits);
    }

    /// Notes that a poll spent its budget; true the first time (reported once per behaviour).
    pub(crate) fn note_budget_spent(&mut self) -> bool {
        let first = self.bits & Self::BUDGET_REPORTED == 0;
        self.set_flag(Self::BUDGET_REPORTED, true);
        first
    }

    /// How it ended, once it has.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.rare.as_ref()?.outcome.as_ref()
    }

    fn rare(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Takes the interrupt out, if there is one.
    fn take_interrupt(&mut self) -> Option<BoxedBehavior> {
        self.rare.as_mut()?.interrupt.get().take()
    }

    /// How many times it has been polled (its interrupts' polls included).
    pub fn polls(&self) -> u64 {
        let high = self.rare.as_ref().map_or(0, |rare| rare.polls_high);
        high << (32 - Self::POLLS_SHIFT) | u64::from(self.bits >> Self::POLLS_SHIFT)
    }

    /// True while an interrupt (such as a stun) runs in its place.
    pub fn is_interrupted(&self) -> bool {
        self.bits & Self::INTERRUPTED != 0
    }

    pub(crate) fn is_paused(&self) -> bool {
        self.bits & Self::PAUSED != 0
    }

    fn set_flag(&mut self, flag: u32, on: bool) {
        if on {
            self.bits |= flag;
        } else {
            self.bits &= !flag;
        }
    }

    /// See [`Rare::clock_offset`].
    fn clock_offset(&self) -> u64 {
        self.rare.as_ref().map_or(0, |rare| rare.clock_offset)
    }

    pub(crate) fn is_finished(&self) -> bool {
        self.bits & Self::STATE == Self::FINISHED
    }

    /// Makes it running or parked (paused is a flag, finished is [`Self::finish`]).
    pub(crate) fn set_state(&mut self, state: BehaviorState) {
        let state = match state {
            BehaviorState::Parked => Self::PARKED,
            BehaviorState::Finished => Self::FINISHED,
            BehaviorState::Running | BehaviorState::Paused => Self::RUNNING,
        };
        self.bits = self.bits & !Self::STATE | state;
    }

    /// Pauses it from `first_tick` on (the first tick not polled).
    pub(crate) fn pause_at(&mut self, first_tick: u64) {
        self.set_flag(Self::PAUSED, true);
        self.rare().paused_at = first_tick;
    }

    /// Ends a pause whose first tick not polled was `paused_at`, at `first_tick`: neither future
    /// ran in between, so both clocks skip those ticks. An interrupt set during the pause starts
    /// its pre-emption now.
    pub(crate) fn resume_at(&mut self, first_tick: u64) {
        let rare = self.rare.get_or_insert_with(Box::default);
        let paused_for = first_tick.saturating_sub(rare.paused_at);
        rare.clock_offset += paused_for;
        rare.interrupt_offset += paused_for;
        if rare.interrupted_at <= rare.paused_at {
            rare.interrupted_at += paused_for;
        } else {
            rare.interrupted_at = first_tick;
        }
        self.set_flag(Self::PAUSED, false);
    }

    /// Runs `interrupt` in place of the main future from tick `first_tick` on (replacing a
    /// running one).
    pub(crate) fn set_interrupt(&mut self, interrupt: BoxedBehavior, first_tick: u64) {
        let interrupted = self.is_interrupted();
        let rare = self.rare();
        if !interrupted {
            rare.interrupted_at = first_tick;
            rare.interrupt_offset = 0;
        }
        drop_isolated(rare.interrupt.get().replace(interrupt));
        self.set_flag(Self::INTERRUPTED, true);
    }

    /// Takes the futures out for one poll (Think polls them while the world is only read);
    /// [`attach`](Self::attach) puts them back.
    pub(crate) fn detach(&mut self) -> Detached {
        let (interrupt, interrupt_offset, interrupted_at) = match &mut self.rare {
            Some(rare) if self.bits & Self::INTERRUPTED != 0 => (
                rare.interrupt.get().take(),
                rare.interrupt_offset,
                rare.interrupted_at,
            ),
            _ => (None, 0, 0),
        };
        Detached {
            main: self.future.get().take(),
            interrupt,
            clock_offset: self.clock_offset(),
            interrupt_offset,
            interrupted_at,
            polls: 0,
            outcome: None,
        }
    }

    /// Puts back what [`detach`](Self::detach) took, with what the poll did: a finished
    /// behaviour records its outcome (its futures are already dropped).
    pub(crate) fn attach(&mut self, detached: &mut Detached) {
        let polls = u64::from(self.bits >> Self::POLLS_SHIFT) + detached.polls;
        // The low 24 bits; a carry goes to `rare`.
        let flags = self.bits & ((1 << Self::POLLS_SHIFT) - 1);
        self.bits = flags | (polls as u32) << Self::POLLS_SHIFT;
        let carry = polls >> (32 - Self::POLLS_SHIFT);
        if carry != 0 {
            self.rare().polls_high += carry;
        }
        if detached.clock_offset != self.clock_offset() {
            self.rare().clock_offset = detached.clock_offset;
        }
        *self.future.get() = detached.main.take();
        self.set_flag(Self::INTERRUPTED, detached.interrupt.is_some());
        if let Some(interrupt) = detached.interrupt.take() {
            *self.rare().interrupt.get() = Some(interrupt);
        }
        if let Some(outcome) = detached.outcome.take() {
            self.finish(outcome);
        }
    }

    /// Drops the futures now and records how the behaviour ended.
    pub(crate) fn finish(&mut self, outcome: Outcome) {
        drop_isolated(self.future.get().take());
        drop_isolated(self.take_interrupt());
        self.set_flag(
            Self::INTERRUPTED | Self::PAUSED | Self::AWAITS_SIGNAL,
            false,
        );
        self.set_state(BehaviorState::Finished);
        self.rare().outcome = Some(outcome);
        self.wake_at = Self::NEVER;
        self.activity.clear();
        self.forget_route();
    }
}

impl Drop for Behavior {
    /// Whatever removes a behaviour — a despawn, a replacement, a removal, the world's end — its
    /// futures drop isolated: a panicking destructor is logged, and never unwinds into the ECS
    /// in the middle of a despawn.
    fn drop(&mut self) {
        drop_isolated(self.future.get().take());
        drop_isolated(self.take_interrupt());
    }
}

/// The two-waypoint route the movement system walks for a unit: its serial number, and the
/// motion that walks it toward the waypoint it heads for (or resumes toward).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Walked {
    serial: Serial,
    heading: Motion,
}

impl Walked {
    /// [`Route::id`] of the route.
    #[inline]
    pub fn id(&self) -> usize {
        self.serial.route_id(self.heading.target, self.heading.then)
    }

    /// The index of the waypoint it heads for.
    #[inline]
    pub fn next(&self) -> u16 {
        self.serial.index_of(self.heading.target, self.heading.then)
    }

    pub fn route(&self) -> Route {
        Route::walked(self.serial, self.heading.target, self.heading.then)
    }

    /// The motion that walks the route toward its waypoint `next`.
    #[inline]
    pub fn motion(&self, next: u16) -> Motion {
        if next == self.next() {
            self.heading
        } else {
            Motion {
                target: self.heading.then,
                then: self.heading.target,
            }
        }
    }
}

/// A behaviour's futures and clocks, out of their component for one poll.
pub(crate) struct Detached {
    main: Option<BoxedBehavior>,
    interrupt: Option<BoxedBehavior>,
    /// See [`Rare::clock_offset`].
    pub clock_offset: u64,
    /// See [`Rare::interrupt_offset`].
    pub interrupt_offset: u64,
    /// See [`Rare::interrupted_at`].
    pub interrupted_at: u64,
    polls: u64,
    outcome: Option<Outcome>,
}

impl Detached {
    /// True while an interrupt runs in place of the main future.
    pub fn is_interrupted(&self) -> bool {
        self.interrupt.is_some()
    }

    /// How the behaviour ended in this poll, if it did.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Polls the interrupt once, if there is one; `None` if there is none. If the interrupt
    /// panics, the whole behaviour faults: see [`Self::poll_main`].
    pub fn poll_interrupt(&mut self) -> Option<Poll<()>> {
        let interrupt = self.interrupt.as_mut()?;
        self.polls += 1;
        match poll_isolated(interrupt) {
            Ok(Poll::Ready(())) => {
                drop_isolated(self.interrupt.take());
                Some(Poll::Ready(()))
            }
            Ok(Poll::Pending) => Some(Poll::Pending),
            Err(message) => {
                self.end(Outcome::Faulted(message.into()));
                Some(Poll::Ready(()))
            }
        }
    }

    /// Polls the main future once; on `Ready` drops it and records the outcome: `Completed`, or
    /// `Failed` if it returned an `Err` (reported through `failure`, read after the poll).
    ///
    /// The poll runs under `catch_unwind`: a panicking behaviour is dropped and finishes as
    /// `Faulted` with the panic's message, and the tick goes on for every other unit.
    pub fn poll_main(&mut self, failure: impl FnOnce() -> Option<String>) -> Poll<()> {
        let Some(future) = self.main.as_mut() else {
            return Poll::Ready(());
        };
        self.polls += 1;
        match poll_isolated(future) {
            Ok(Poll::Ready(())) => {
                let outcome = match failure() {
                    None => Outcome::Completed,
                    Some(message) => Outcome::Failed(message.into()),
                };
                self.end(outcome);
                Poll::Ready(())
            }
            Ok(Poll::Pending) => Poll::Pending,
            Err(message) => {
                self.end(Outcome::Faulted(message.into()));
                Poll::Ready(())
            }
        }
    }

    /// Drops the futures now and records the outcome for [`Behavior::attach`].
    fn end(&mut self, outcome: Outcome) {
        drop_isolated(self.main.take());
        drop_isolated(self.interrupt.take());
        self.outcome = Some(outcome);
    }
}

impl Drop for Detached {
    /// Only reached with futures still inside if Think itself panicked between detaching and
    /// attaching them: drop them isolated rather than lose the panic's cause to a second one.
    fn drop(&mut self) {
        if self.main.is_some() || self.interrupt.is_some() {
            drop_isolated(self.main.take());
            drop_isolated(self.interrupt.take());
        }
    }
}

/// What a behaviour's future may return: `()`, or `Result<(), E>` whose `Err` ends the
/// behaviour as [`Outcome::Failed`] with the error's message.
pub trait BehaviorOutput: Send + 'static {
    /// `Err(message)` for a failure.
    fn into_failure(self) -> Option<String>;
}

impl BehaviorOutput for () {
    #[inline]
    fn into_failure(self) -> Option<String> {
        None
    }
}

/// A behaviour that never returns (`async { loop { .. } }`): its output type is `!`.
impl BehaviorOutput for Never {
    fn into_failure(self) -> Option<String> {
        self
    }
}

/// Names the never type `!` on stable Rust, through the return type of a function pointer.
mod never {
    pub trait Returns {
        type Output;
    }

    impl<T> Returns for fn() -> T {
        type Output = T;
    }
}

type Never = <fn() -> ! as never::Returns>::Output;

impl<E: fmt::Display + Send + 'static> BehaviorOutput for Result<(), E> {
    fn into_failure(self) -> Option<String> {
        self.err().map(|error| error.to_string())
    }
}

pin_project_lite::pin_project! {
    /// Turns a behaviour's output into `()`, reporting a failure to the poll that sees it.
    struct ReportFailure<F> {
        #[pin]
        future: F,
    }
}

impl<F: Future<Output: BehaviorOutput>> Future for ReportFailure<F> {
    type Output = ();

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.project().future.poll(cx) {
            Poll::Ready(output) => {
                if let Some(message) = output.into_failure() {
                    crate::scope::report_failure(message);
                }
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Polls `future` once, turning a panic into its message.
fn poll_isolated(future: &mut BoxedBehavior) -> Result<Poll<()>, String> {
    let mut context = Context::from_waker(std::task::Waker::noop());
    panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut context)))
        .map_err(|payload| panic_message(payload.as_ref()))
}

/// Drops a future; a panic in its destructor is logged, not propagated.
fn drop_isolated(future: Option<BoxedBehavior>) {
    if future.is_none() {
        return;
    }
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| drop(future))) {
        tracing::error!(
            panic = %panic_message(payload.as_ref()),
            "a behaviour panicked while being dropped"
        );
    }
}

/// The text of a panic payload (`panic!` with a literal or with a format).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

impl fmt::Debug for Behavior {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Behavior")
            .field("state", &self.state())
            .field("outcome", &self.outcome())
            .field("polls", &self.polls())
            .finish_non_exhaustive()
    }
}

fn schedule_inserted_behavior(mut world: DeferredWorld, ctx: HookContext) {
    // A unit is given its id as it spawns, before this hook runs; without one it is no unit and
    // is never polled, wherever it sorts.
    let unit = world
        .get::<UnitId>(ctx.entity)
        .copied()
        .unwrap_or(UnitId::UNASSIGNED);
    // Looked up once: this runs for every unit spawned.
    let Some(mut executor) = world.get_resource_mut::<Executor>() else {
        panic!(
            "a Behavior was inserted into a World without tickweave: call \
             `tickweave::Tickweave::install` (or use `Simulation`) first"
        );
    };
    executor.queue.wake(unit, ctx.entity);
}

/// A despawn ends a running behaviour as `Despawned`. (Its hook runs before the discard's.)
fn end_despawned_behavior(mut world: DeferredWorld, ctx: HookContext) {
    end_running_behavior(&mut world, ctx.entity, Outcome::Despawned);
}

/// Inserting over a running behaviour, or removing it, ends it: as `Replaced` unless the
/// removal's hook, which runs next, says `Removed`. The old behaviour's requests die with it:
/// the unit stops walking (the route it patrolled, and what it awaited, go with the old
/// behaviour).
fn end_discarded_behavior(mut world: DeferredWorld, ctx: HookContext) {
    end_running_behavior(&mut world, ctx.entity, Outcome::Replaced);
    if let Some(mut motion) = world.get_mut::<Motion>(ctx.entity) {
        motion.stop();
    }
}

/// A behaviour that the discard hook just ended as `Replaced` was in fact removed. (A behaviour
/// ended as `Replaced` earlier is no longer there to be removed: the one that replaced it is.)
fn end_removed_behavior(mut world: DeferredWorld, ctx: HookContext) {
    let entity = ctx.entity;
    let Some(mut behavior) = world.get_mut::<Behavior>(entity) else {
        return;
    };
    if behavior.outcome() != Some(&Outcome::Replaced) {
        return;
    }
    behavior.rare().outcome = Some(Outcome::Removed);
    let mut executor = world.resource_mut::<Executor>();
    if let Some(ending) = executor.ended.iter_mut().rev().find(|e| e.entity == entity) {
        ending.outcome = Outcome::Removed;
    }
}

/// Ends the entity's behaviour as `outcome` if it is still running: drops its futures now
/// (isolated, so a panicking destructor never unwinds into the ECS) and queues the
/// announcement for when the change is complete.
fn end_running_behavior(world: &mut DeferredWorld, entity: Entity, outcome: Outcome) {
    let Some(mut behavior) = world.get_mut::<Behavior>(entity) else {
        return;
    };
    if behavior.is_finished() {
        return;
    }
    behavior.finish(outcome.clone());
    let unit = world
        .get::<UnitId>(entity)
        .copied()
        .unwrap_or(UnitId::UNASSIGNED);
    let Some(mut executor) = world.get_resource_mut::<Executor>() else {
        return;
    };
    executor.ended.push(BehaviorFinished {
        entity,
        unit,
        outcome,
    });
    world.commands().queue(announce_ended_by_hooks);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_behavior_is_56_bytes_and_counts_polls_past_24_bits() {
        assert_eq!(std::mem::size_of::<Behavior>(), 56);
        let mut behavior = Behavior::new(std::future::pending::<()>());
        behavior.bits = Behavior::PARKED | Behavior::BUDGET_REPORTED | u32::MAX << 8;
        for polls in [1 << 24, (1 << 24) + 1] {
            let mut detached = behavior.detach();
            assert_eq!(detached.poll_main(|| None), Poll::Pending);
            behavior.attach(&mut detached);
            assert_eq!(behavior.polls(), polls);
        }
        assert_eq!(behavior.state(), BehaviorState::Parked);
        assert!(!behavior.note_budget_spent());
    }
}
