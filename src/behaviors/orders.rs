//! Requests a behaviour makes beyond its own unit, carried out in Act.

use super::sense::Despawned;
use crate::components::UnitId;
use crate::scope::Request;
use crate::scope::{context, view};
use crate::systems::UnitIndex;

/// Queues `request` from the unit being polled if `target` is alive.
fn request_for(caller: &'static str, target: UnitId, request: Request) -> Result<(), Despawned> {
    let from = context::with(caller, |unit| unit.id);
    if context::with_world(caller, |world| world.resource::<UnitIndex>().entity(target)).is_none() {
        return Err(Despawned { unit: target });
    }
    view::with(caller, |view| view.outbox.push(from, request));
    Ok(())
}

/// Despawns `target` (dropping its behaviour) in Act of this tick, or returns
/// `Err(Despawned)` if it is already gone. Requests of one tick are applied by requesting unit
/// id, then in order; despawning a unit another request removed first does nothing.
pub fn despawn(target: UnitId) -> Result<(), Despawned> {
    let request = Request::Despawn {
        target,
        tally: None,
    };
    request_for("despawn", target, request)
}

/// Like [`despawn`], and if `target` still existed when the despawn was applied, adds one to
/// the count named `name` — so two units removing the same target in one tick count once.
pub fn despawn_and_tally(target: UnitId, name: &'static str) -> Result<(), Despawned> {
    let request = Request::Despawn {
        target,
        tally: Some(name),
    };
    request_for("despawn_and_tally", target, request)
}

/// Adds one to the simulation's count named `name` (see
/// [`Tallies`](crate::systems::Tallies)), e.g. `tally("caught")`. Counted in Act of this tick.
pub fn tally(name: &'static str) {
    let from = context::with("tally", |unit| unit.id);
    view::with("tally", |view| view.outbox.push(from, Request::Tally(name)));
}
