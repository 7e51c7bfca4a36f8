//! `label`: name a step so that it shows in the unit's activity stack.

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::components::Activity;
use crate::scope::{budget, trail};

/// Runs `future` under the name `name`: while it is pending, the unit's
/// [`ActivityStack`](crate::components::ActivityStack) shows
/// `name` with what the future awaits nested inside, e.g. `flee > goto(3,4)`.
///
/// ```
/// # use tickweave::prelude::*;
/// let mut sim = Simulation::new(0);
/// let unit = sim.spawn("u", ivec2(0, 0), label("flee", goto(ivec2(3, 4))));
/// sim.step();
/// let activity = sim.world().get::<Behavior>(unit).unwrap().activity();
/// assert_eq!(activity.to_string(), "flee > goto(3,4)");
/// ```
pub fn label<F: Future>(name: &'static str, future: F) -> Label<F> {
    Label { name, future }
}

pin_project! {
    /// The future returned by [`label`].
    #[must_use = "futures do nothing unless you .await or poll them"]
    #[derive(Debug)]
    pub struct Label<F> {
        name: &'static str,
        #[pin]
        future: F,
    }
}

impl<F: Future> Future for Label<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        if budget::budget_spent("label") {
            return Poll::Pending; // the poll's budget is spent: on the next tick
        }
        let mark = trail::enter(Activity::Label(this.name));
        let poll = this.future.poll(cx);
        trail::leave(mark, poll.is_ready());
        if poll.is_ready() {
            budget::count_await();
        }
        poll
    }
}
