//! The event log: the transitions of a run, kept for a trace file or a test.

use bevy_ecs::resource::Resource;

use super::UnitEvent;
use crate::components::UnitId;

/// One recorded transition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedEvent {
    /// The tick it happened on. A control from the game between ticks `t` and `t + 1` (a
    /// cancel, a pause) carries tick `t`.
    pub tick: u64,
    /// The unit it happened to.
    pub unit: UnitId,
    /// What happened.
    pub event: UnitEvent,
}

/// Every [`UnitEvent`] since it was last drained, while recording is on (off by default: turn
/// it on with [`Tickweave::record_events`](crate::Tickweave::record_events) or
/// [`Simulation::record_events`](crate::Simulation::record_events)).
///
/// Entries are in the order they happened: by tick, and within a tick in the order the units
/// were polled, which is the same for the same run. For an order that does not depend on how
/// entities are laid out, sort a tick's entries by unit id with a stable sort (as the trace
/// file does). Drain it every tick or so: it keeps everything until then.
///
/// ```
/// # use tickweave::prelude::*;
/// use tickweave::events::UnitEvent;
///
/// let mut sim = Simulation::new(0);
/// sim.record_events(true);
/// sim.spawn("u", ivec2(0, 0), async { goto(ivec2(2, 0)).await });
/// sim.run(3);
/// let events: Vec<_> = sim.event_log().drain().map(|e| (e.tick, e.event)).collect();
/// assert_eq!(
///     events,
///     [
///         (1, UnitEvent::GotoIssued { cell: ivec2(2, 0) }),
///         (3, UnitEvent::GotoArrived { cell: ivec2(2, 0) }),
///         (3, UnitEvent::BehaviorCompleted),
///     ]
/// );
/// ```
#[derive(Resource, Debug, Default)]
pub struct EventLog {
    recording: bool,
    entries: Vec<LoggedEvent>,
}

impl EventLog {
    /// Starts or stops recording (stopping keeps what was recorded).
    pub fn set_recording(&mut self, recording: bool) {
        self.recording = recording;
    }

    /// Whether events are being recorded.
    pub fn is_recording(&self) -> bool {
        self.recording
    }

    /// The events recorded and not yet drained, oldest first.
    pub fn entries(&self) -> &[LoggedEvent] {
        &self.entries
    }

    /// Removes and yields the recorded events, oldest first; the log keeps its capacity, so
    /// recording a steady run allocates nothing once drained each tick.
    pub fn drain(&mut self) -> std::vec::Drain<'_, LoggedEvent> {
        self.entries.drain(..)
    }

    /// Records `event` if recording is on.
    pub(crate) fn push(&mut self, tick: u64, unit: UnitId, event: UnitEvent) {
        if self.recording {
            self.entries.push(LoggedEvent { tick, unit, event });
        }
    }

    /// Moves `later`'s entries after these (they happened after them).
    pub(crate) fn append(&mut self, later: &mut EventLog) {
        self.entries.append(&mut later.entries);
    }
}
