//! `join`: wait for two futures to both finish.

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::scope::Branches;

/// Polls both futures (the first, then the second) until both have finished; completes with
/// both outputs in the poll that finishes the last one. A finished branch is not polled again,
/// and whatever it asked for (a walk, a timer) is withdrawn as it finishes. The behaviour parks
/// only if every unfinished branch does.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("u", ivec2(0, 0), async {
///     let ((), ()) = join(goto(ivec2(2, 0)), wait(5)).await; // resumes on tick 6
///     goto(ivec2(0, 0)).await;
/// });
/// sim.run(5);
/// assert_eq!(sim.position(unit), Some(ivec2(2, 0)));
/// sim.step();
/// assert_eq!(sim.position(unit), Some(ivec2(1, 0)));
/// ```
pub fn join<A: Future, B: Future>(first: A, second: B) -> Join<A, B> {
    Join {
        first,
        second,
        first_output: None,
        second_output: None,
    }
}

pin_project! {
    /// The future returned by [`join`].
    #[must_use = "futures do nothing unless you .await or poll them"]
    #[derive(Debug)]
    pub struct Join<A: Future, B: Future> {
        #[pin]
        first: A,
        #[pin]
        second: B,
        first_output: Option<A::Output>,
        second_output: Option<B::Output>,
    }
}

impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Some(mut branches) = Branches::enter("join", |_| Activity::Join) else {
            return Poll::Pending; // the poll's budget is spent: on the next tick
        };
        if this.first_output.is_none()
            && let Poll::Ready(output) = branches.poll(|| this.first.poll(cx))
        {
            *this.first_output = Some(output);
        }
        if this.second_output.is_none()
            && let Poll::Ready(output) = branches.poll(|| this.second.poll(cx))
        {
            *this.second_output = Some(output);
        }
        if this.first_output.is_some() && this.second_output.is_some() {
            let first = this.first_output.take().expect("checked above");
            let second = this.second_output.take().expect("checked above");
            return branches.complete((first, second));
        }
        branches.pending()
    }
}
