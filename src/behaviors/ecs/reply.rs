//! What a write's handle gives back once Act has applied it (or could not).

use bevy_ecs::entity::Entity;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use crate::components::{Activity, UnitId};
use crate::scope::WriteError;
use crate::scope::{budget, trail};

/// A unit spawned by a behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Spawned {
    /// Its stable id: ids are handed out in the order spawns are applied (by spawning unit's
    /// id, then in order), so the same seed gives the same ids.
    pub id: UnitId,
    /// Its entity.
    pub entity: Entity,
}

/// Where Act puts a write's result, for a handle that may await it.
pub(super) type Reply<T> = Arc<OnceLock<Result<T, WriteError>>>;

/// The handle of a write: `.await` it for what the write gave back once Act has applied it
/// (`()` for most writes, the new unit for a [`spawn`](super::spawn), the closure's result for
/// [`apply`](super::apply)), or the [`WriteError`] that stopped it. It resolves on the next
/// tick's poll, keeping its behaviour polled each tick until then (never parked). Dropping it
/// does not cancel the write.
///
/// Not `#[must_use]`, unlike most futures: the write happens whether or not it is awaited.
#[derive(Debug)]
pub struct Pending<T> {
    pub(super) reply: Reply<T>,
    pub(super) what: &'static str,
}

/// The handle of most writes: resolves to `Ok(())` once applied.
pub type Applied = Pending<()>;

/// The handle of a [`spawn`](super::spawn): resolves to the new unit's id and entity.
pub type Spawning = Pending<Spawned>;

impl<T: Clone> Future for Pending<T> {
    type Output = Result<T, WriteError>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        match self.reply.get() {
            Some(_) if !budget::complete_await(self.what) => Poll::Pending, // budget spent
            Some(result) => Poll::Ready(result.clone()),
            None => {
                trail::leaf(Activity::Applying(self.what));
                Poll::Pending
            }
        }
    }
}
