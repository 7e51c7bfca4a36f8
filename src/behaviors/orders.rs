//! Requests a behaviour makes beyond its own unit, carried out in Act.

use super::{context, view};
use crate::components::UnitId;
use crate::systems::Request;

/// Despawns `target` (dropping its behaviour) in Act of this tick; a unit already gone is
/// ignored. Requests of one tick are applied by requesting unit id, then in order.
pub fn despawn(target: UnitId) {
    let from = context::with("despawn", |unit| unit.id);
    let request = Request::Despawn {
        target,
        tally: None,
    };
    view::with("despawn", |view| view.outbox.push(from, request));
}

/// Like [`despawn`], and if `target` still existed when the despawn was applied, adds one to
/// the count named `name` — so two units removing the same target in one tick count once.
pub fn despawn_and_tally(target: UnitId, name: &'static str) {
    let from = context::with("despawn_and_tally", |unit| unit.id);
    let request = Request::Despawn {
        target,
        tally: Some(name),
    };
    view::with("despawn_and_tally", |view| view.outbox.push(from, request));
}

/// Adds one to the simulation's count named `name` (see
/// [`Tallies`](crate::systems::Tallies)), e.g. `tally("caught")`. Counted in Act of this tick.
pub fn tally(name: &'static str) {
    let from = context::with("tally", |unit| unit.id);
    view::with("tally", |view| view.outbox.push(from, Request::Tally(name)));
}
