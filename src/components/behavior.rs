//! The `Behavior` component: a unit's pinned, boxed `async` behaviour and its scheduling state.

use bevy_ecs::component::Component;
use bevy_ecs::lifecycle::HookContext;
use bevy_ecs::world::DeferredWorld;
use bevy_platform::cell::SyncCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::Motion;
use crate::systems::RunQueue;

/// A behaviour future as stored in a [`Behavior`]: pinned, boxed, `Send`, owning its data.
pub type BoxedBehavior = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Where a behaviour stands with the executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BehaviorState {
    /// Polled on the next tick.
    Running,
    /// Waiting for a native system (movement, a timer) to wake it; costs no poll meanwhile.
    Parked,
    /// Returned `Ready`; its future has been dropped and it is never polled again.
    Finished,
}

/// A unit's behaviour: an `async` block the Think phase polls at most once per tick.
///
/// Inserting a `Behavior` schedules it for the next tick; inserting another over it replaces it
/// (the old future is dropped at once); removing or despawning drops it, exactly once.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("walker", ivec2(0, 0), async { goto(ivec2(2, 0)).await });
/// sim.run(3);
/// let behavior = sim.world().get::<Behavior>(unit).unwrap();
/// assert_eq!(behavior.state(), BehaviorState::Finished);
/// assert_eq!(behavior.polls(), 2); // one to start walking, one to notice the arrival
/// ```
#[derive(Component)]
#[component(on_insert = schedule_inserted_behavior, on_discard = stop_replaced_behavior)]
#[require(Motion)]
pub struct Behavior {
    future: SyncCell<Option<BoxedBehavior>>,
    state: BehaviorState,
    polls: u64,
    /// Tick of the latest poll: a unit woken twice in one tick is still polled once.
    pub(crate) last_polled: u64,
    /// The tick at which a timer wakes this behaviour (`NEVER` if none).
    pub(crate) wake_at: u64,
}

impl Behavior {
    /// Tick value meaning "no timer".
    pub(crate) const NEVER: u64 = u64::MAX;

    /// Wraps a future as a behaviour; it is first polled on the tick after it is inserted.
    pub fn new(future: impl Future<Output = ()> + Send + 'static) -> Self {
        Self::from_boxed(Box::pin(future))
    }

    /// Wraps an already boxed future (avoids a second box).
    pub fn from_boxed(future: BoxedBehavior) -> Self {
        Behavior {
            future: SyncCell::new(Some(future)),
            state: BehaviorState::Running,
            polls: 0,
            last_polled: u64::MAX,
            wake_at: Self::NEVER,
        }
    }

    /// Running, parked or finished.
    pub fn state(&self) -> BehaviorState {
        self.state
    }

    /// How many times the future has been polled.
    pub fn polls(&self) -> u64 {
        self.polls
    }

    pub(crate) fn set_state(&mut self, state: BehaviorState) {
        self.state = state;
    }

    /// Polls the future once; on `Ready` drops it and marks the behaviour finished.
    pub(crate) fn poll(&mut self, tick: u64) -> Poll<()> {
        let Some(future) = self.future.get().as_mut() else {
            return Poll::Ready(());
        };
        self.polls += 1;
        self.last_polled = tick;
        let poll = future
            .as_mut()
            .poll(&mut Context::from_waker(std::task::Waker::noop()));
        if poll.is_ready() {
            *self.future.get() = None;
            self.state = BehaviorState::Finished;
            self.wake_at = Self::NEVER;
        }
        poll
    }
}

impl fmt::Debug for Behavior {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Behavior")
            .field("state", &self.state)
            .field("polls", &self.polls)
            .finish_non_exhaustive()
    }
}

fn schedule_inserted_behavior(mut world: DeferredWorld, ctx: HookContext) {
    let Some(mut queue) = world.get_resource_mut::<RunQueue>() else {
        panic!(
            "a Behavior was inserted into a World without tickweave: call \
             `tickweave::Tickweave::install` (or use `Simulation`) first"
        );
    };
    queue.wake(ctx.entity);
}

/// The old behaviour's requests die with it: a replaced or removed behaviour stops walking.
fn stop_replaced_behavior(mut world: DeferredWorld, ctx: HookContext) {
    if let Some(mut motion) = world.get_mut::<Motion>(ctx.entity) {
        motion.target = None;
    }
}
