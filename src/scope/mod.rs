//! The poll scope: everything a behaviour's futures reach while Think polls them — the world as
//! it stood when Think began (read only), the unit being polled, the tick view (mailboxes, the
//! outbox of commands, the event log) and the activity trail.
//!
//! Think lends these for the length of its polls and takes them back afterwards, through guards
//! that give everything back even when something panics. Behaviours never hold a reference into
//! the world across an `.await`, and no `unsafe` is needed: the world is lent through a scoped
//! thread-local, the rest is moved into thread-local slots and out again.
//!
//! Data flows one way through here: systems install the scope, behaviours use it.

mod branches;
pub(crate) mod budget;
pub(crate) mod context;
mod emit;
mod nest;
mod outbox;
pub(crate) mod trail;
pub(crate) mod view;

pub(crate) use branches::Branches;
pub(crate) use context::{
    Lookout, NativePatrol, PollEnd, PollStart, Requests, UnitContext, lend_world, poll_as,
    report_failure,
};
pub(crate) use emit::{emit, emit_at, emit_into, listening_with, recording_during_think};
pub(crate) use nest::set_aside_enclosing_poll;
pub use outbox::WriteError;
pub(crate) use outbox::{Outbox, Request, Write};
pub(crate) use view::{SharedMailboxes, TickView};
