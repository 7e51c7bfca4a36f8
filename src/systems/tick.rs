//! The tick counter, and the `tracing` span each tick runs in.

use bevy_ecs::resource::Resource;

/// The current tick: 0 before the first step, then 1, 2, … — each step advances it in Sense.
/// Read it with [`Tick::get`]; only Sense advances it, so a game cannot skew the clock every
/// wait and trace counts on.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tick(pub(crate) u64);

impl Tick {
    /// The tick's number.
    pub fn get(self) -> u64 {
        self.0
    }
}

/// The `tick` span (target `tickweave`, level `DEBUG`, field `tick`) of the current tick.
///
/// Sense opens it; tickweave's systems that raise events enter it while they run, so that every
/// event of a tick is reported inside it, in a `Simulation` or in a game's own schedule alike. A
/// game's systems may enter it too. It closes when [`Simulation::step`](crate::Simulation::step)
/// returns (in a game's own schedule, when the next tick's Sense opens the next one), so a
/// subscriber that times spans from opening to closing (a profiler) sees one `tick` span a tick.
/// When no subscriber wants it, it is a disabled span: opening and entering it cost a check
/// each.
#[derive(Resource, Debug)]
pub struct TickSpan(pub(crate) tracing::Span);

impl Default for TickSpan {
    fn default() -> Self {
        TickSpan(tracing::Span::none())
    }
}

impl TickSpan {
    /// The span itself, e.g. to open a game's own spans inside it.
    pub fn span(&self) -> &tracing::Span {
        &self.0
    }

    /// Enters the span until the guard is dropped.
    pub fn enter(&self) -> tracing::span::Entered<'_> {
        self.0.enter()
    }
}
