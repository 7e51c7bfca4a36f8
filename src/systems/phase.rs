//! The four phases of a tick, as a public `SystemSet` a game orders its own systems against.

use bevy_ecs::schedule::SystemSet;

/// The phases of one tick, chained in this order.
///
/// Data flows one way: Sense builds read-only views, Think polls behaviours (which only request
/// changes to their own unit), Act applies the requests in a stable order. Observe holds none of
/// tickweave's systems: it is where a game records the finished tick (statistics, traces,
/// rendering) after everything in it has happened.
/// A game adds its own systems `.in_set(..)`, `.before(..)` or `.after(..)` these.
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TickPhase {
    /// Advance the tick counter and build the views behaviours read.
    Sense,
    /// Poll every behaviour that can make progress, once, with a noop waker.
    Think,
    /// Native systems carry out what behaviours asked for (movement) and wake them when done.
    Act,
    /// The game's own: record the finished tick (tickweave adds no system here).
    Observe,
}
