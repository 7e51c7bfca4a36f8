//! Over a million completed behaviours, not one finished future is polled again — counted.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use tickweave::prelude::*;

static COMPLETIONS: AtomicU64 = AtomicU64::new(0);
static POLLS_AFTER_COMPLETION: AtomicU64 = AtomicU64::new(0);

/// Wraps a future and counts polls that come after it returned `Ready`.
struct Watched<F> {
    inner: Pin<Box<F>>,
    done: bool,
}

impl<F: Future<Output = ()>> Future for Watched<F> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done {
            POLLS_AFTER_COMPLETION.fetch_add(1, Ordering::Relaxed);
            return Poll::Ready(());
        }
        let poll = self.inner.as_mut().poll(cx);
        if poll.is_ready() {
            self.done = true;
            COMPLETIONS.fetch_add(1, Ordering::Relaxed);
        }
        poll
    }
}

fn watched<F: Future<Output = ()>>(inner: F) -> Watched<F> {
    Watched {
        inner: Box::pin(inner),
        done: false,
    }
}

#[test]
fn a_million_short_behaviours_complete_and_none_is_polled_after() {
    const UNITS: u64 = 20_000;
    const ROUNDS: u64 = 50;
    let mut sim = Simulation::new(0);
    let units: Vec<_> = (0..UNITS)
        .map(|i| sim.spawn(format!("u{i}"), ivec2(0, 0), async {}))
        .collect();
    for round in 0..ROUNDS {
        for (i, &unit) in units.iter().enumerate() {
            // Short behaviours of three shapes: instant, a wait, a short walk.
            let behavior: Behavior = match (i as u64 + round) % 3 {
                0 => Behavior::new(watched(async {})),
                1 => Behavior::new(watched(wait(1 + i as u64 % 2))),
                _ => Behavior::new(watched(goto(ivec2(round as i32 % 2, 0)))),
            };
            sim.world_mut().entity_mut(unit).insert(behavior);
        }
        sim.run(3); // every one of them completes within 3 ticks
        sim.run(2); // and is offered two more ticks to be polled wrongly
    }
    assert_eq!(COMPLETIONS.load(Ordering::Relaxed), UNITS * ROUNDS);
    assert_eq!(POLLS_AFTER_COMPLETION.load(Ordering::Relaxed), 0);
}
