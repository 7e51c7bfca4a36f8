//! `race`: the first of two futures to finish wins; the other is dropped.

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::scope::Branches;

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
        let Some(mut branches) = Branches::enter("race", |_| Activity::Race) else {
            return Poll::Pending; // the poll's budget is spent: on the next tick
        };
        if let Poll::Ready(output) = branches.poll(|| this.first.poll(cx)) {
            return branches.complete(Winner::First(output));
        }
        if let Poll::Ready(output) = branches.poll(|| this.second.poll(cx)) {
            return branches.complete(Winner::Second(output));
        }
        branches.pending()
    }
}
