//! `race`: the first of two futures to finish wins; the other is dropped.

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::scope::{context, trail};

/// Which future of a [`race`] won, with its output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Winner<A, B> {
    /// The first argument finished first (or in the same poll as the second).
    First(A),
    /// The second argument finished strictly first.
    Second(B),
}

/// Polls `first` then `second` on each poll; completes with the first to finish.
///
/// Ties go to `first`: if both could finish in the same poll, `second` is not even polled. The
/// loser is dropped in the same tick (when the race's caller moves on), and whatever it asked
/// for — a walk, a timer — is withdrawn at once. The behaviour parks only if both branches do.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("u", ivec2(0, 0), async {
///     match race(goto(ivec2(10, 0)), wait(3)).await {
///         Winner::First(()) => unreachable!("too far to arrive in 3 ticks"),
///         Winner::Second(()) => {} // on tick 4, after 3 steps: the walk stops
///     }
/// });
/// sim.run(6);
/// assert_eq!(sim.position(unit), Some(ivec2(3, 0)));
/// ```
pub fn race<A: Future, B: Future>(first: A, second: B) -> Race<A, B> {
    Race { first, second }
}

pin_project! {
    /// The future returned by [`race`].
    #[must_use = "futures do nothing unless you .await or poll them"]
    #[derive(Debug)]
    pub struct Race<A, B> {
        #[pin]
        first: A,
        #[pin]
        second: B,
    }
}

impl<A: Future, B: Future> Future for Race<A, B> {
    type Output = Winner<A::Output, B::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let before = context::requests("race");
        let mark = trail::enter(Activity::Race);
        let finish = |winner| {
            trail::leave(mark, true);
            context::set_requests("race", before);
            Poll::Ready(winner)
        };
        context::set_park("race", false);
        if let Poll::Ready(output) = this.first.poll(cx) {
            return finish(Winner::First(output));
        }
        let first_parks = context::take_park("race");
        if let Poll::Ready(output) = this.second.poll(cx) {
            return finish(Winner::Second(output));
        }
        let second_parks = context::take_park("race");
        context::set_park("race", first_parks && second_parks);
        trail::leave(mark, false);
        Poll::Pending
    }
}
