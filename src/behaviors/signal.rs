//! Signals: send a typed value to a unit, a team or everyone; await one.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::sense::Despawned;
use crate::components::{Activity, UnitId};
use crate::events::UnitEvent;
use crate::ground::Envelope;
use crate::ground::Recipient;
use crate::scope::Request;
use crate::scope::{context, emit_at, trail, view};
use crate::systems::UnitIndex;
use crate::type_names::short_name_of;

/// Sends `value` to `to` (a unit, a team, or everyone but the sender). Sending to a unit that
/// no longer exists returns `Err(Despawned)`; sending to a team or to everyone always succeeds.
///
/// Delivery happens in Act of this tick, in a fixed order: by sender's unit id, then in the
/// order the sender sent. A signal sent on tick `t` is seen by `receive` from tick `t + 1`, and
/// waits in the recipient's mailbox until received — it is never lost because nobody was
/// waiting at that instant. (A mailbox keeps the latest
/// [`MAILBOX_CAPACITY`](crate::systems::MAILBOX_CAPACITY) signals of each type; past that, the
/// oldest of that type is dropped and reported.)
///
/// ```
/// # use tickweave::prelude::*;
/// #[derive(Clone, Debug, PartialEq)]
/// struct Alarm(IVec2);
///
/// let mut sim = Simulation::new(0);
/// let sentry = sim.spawn("sentry", ivec2(0, 0), async {
///     wait(5).await; // not listening yet when the alarm arrives on tick 1
///     let alarm = receive::<Alarm>().await; // tick 6: it is waiting in the mailbox
///     goto(alarm.value.0).await;
/// });
/// let sentry_id = sim.unit_id(sentry).unwrap();
/// sim.spawn("lookout", ivec2(9, 9), async move {
///     send(Recipient::Unit(sentry_id), Alarm(ivec2(9, 9))).expect("the sentry is alive");
/// });
/// sim.run(6);
/// assert_eq!(sim.position(sentry), Some(ivec2(1, 1)));
/// ```
pub fn send<T: Send + Sync + 'static>(to: Recipient, value: T) -> Result<(), Despawned> {
    let (from, tick) = context::with("send", |unit| (unit.id, unit.tick));
    if let Recipient::Unit(unit) = to
        && context::with_world("send", |world| world.resource::<UnitIndex>().entity(unit)).is_none()
    {
        return Err(Despawned { unit });
    }
    view::with("send", |view| {
        let envelope = Envelope::new(Some(from), tick, value);
        view.outbox.push(from, Request::Signal { to, envelope });
    });
    let kind = short_name_of::<T>();
    emit_at(tick, from, UnitEvent::SignalSent { to, kind });
    Ok(())
}

/// A signal taken from the mailbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received<T> {
    /// The sending unit, or `None` if the game sent it.
    pub from: Option<UnitId>,
    /// The tick it was sent on.
    pub sent_at: u64,
    /// The value sent.
    pub value: T,
}

/// Waits for a signal of type `T` and takes it from the mailbox: at once if one is waiting
/// (the oldest), otherwise the behaviour parks until one is delivered.
pub fn receive<T: Clone + Send + Sync + 'static>() -> Receive<T> {
    Receive { kind: PhantomData }
}

/// The future returned by [`receive`].
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug)]
pub struct Receive<T> {
    kind: PhantomData<fn() -> T>,
}

impl<T: Clone + Send + Sync + 'static> Future for Receive<T> {
    type Output = Received<T>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Received<T>> {
        // Counted as completing before looking, so that a spent budget leaves the signal in the
        // mailbox; given back below if there is none.
        let Some((entity, id, tick)) = context::with("receive", |unit| {
            unit.complete_await("receive")
                .then_some((unit.entity, unit.id, unit.tick))
        }) else {
            return Poll::Pending; // the poll's budget is spent
        };
        let envelope = view::with("receive", |view| {
            view.mailboxes.with(|mailboxes| mailboxes.take::<T>(entity))
        });
        match envelope {
            Some(envelope) => {
                let value = envelope
                    .payload
                    .downcast_ref::<T>()
                    .expect("`take` matched the type")
                    .clone();
                emit_at(
                    tick,
                    id,
                    UnitEvent::SignalReceived {
                        from: envelope.from,
                        kind: short_name_of::<T>(),
                        sent_at: envelope.sent_at,
                    },
                );
                Poll::Ready(Received {
                    from: envelope.from,
                    sent_at: envelope.sent_at,
                    value,
                })
            }
            None => {
                context::with("receive", |unit| {
                    unit.budget += 1;
                    unit.requests.awaits_signal = true;
                    unit.requests.park = true;
                });
                trail::leaf(Activity::Receive(short_name_of::<T>()));
                Poll::Pending
            }
        }
    }
}
