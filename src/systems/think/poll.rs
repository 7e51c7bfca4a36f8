//! One unit's poll: its interrupt if it has one, then its main future, with the unit context
//! set up for it; and what the poll left for Think to write back.

use bevy_ecs::world::World;
use std::ops::Range;
use std::task::Poll;

use crate::components::{Activity, ActivityFrame, Detached, UnitId, UnitName};
use crate::events::UnitEvent;
use crate::outcome::Outcome;
use crate::scope::{PollEnd, PollStart, context, emit_at, poll_as, trail};

/// One unit of a round: its futures out of their component, and what its poll did.
pub(super) struct Polled {
    pub start: PollStart,
    pub behavior: Detached,
    /// Filled in by the poll.
    pub end: Option<Ended>,
}

/// What a unit's poll did.
pub(super) struct Ended {
    pub poll: Poll<()>,
    pub context: PollEnd,
    /// The offset of the clock the poll ran on.
    pub clock_offset: u64,
    /// The interrupt is still running: the main future was not polled.
    pub pre_empted: bool,
    /// Where its activity trail lies in its worker's trails.
    pub trail: Range<usize>,
    /// Frames were dropped from the trail for want of room.
    pub truncated: bool,
}

/// Polls each of `units` once, the world lent read only; their activity trails go to `trails`.
///
/// Each poll runs inside a `poll` span (fields `id` and `unit`, the unit's name), created only
/// when a subscriber wants it: disabled, it costs a check per poll.
pub(super) fn poll_units(
    world: &World,
    units: &mut [Polled],
    tick: u64,
    trails: &mut Vec<ActivityFrame>,
) {
    for unit in units {
        let span = tracing::debug_span!(
            target: "tickweave",
            "poll",
            id = unit.start.id.0,
            unit = tracing::field::Empty
        );
        if !span.is_disabled()
            && let Some(name) = world.get::<UnitName>(unit.start.entity)
        {
            span.record("unit", name.as_str());
        }
        let _unit_span = span.enter();
        unit.end = Some(poll_unit(&mut unit.behavior, unit.start, tick, trails));
        if let Some(outcome) = unit.behavior.outcome() {
            report_ending(unit.start.id, tick, outcome);
        }
    }
}

/// Polls the interrupt if there is one, and the main future unless the interrupt is still
/// running.
fn poll_unit(
    behavior: &mut Detached,
    mut start: PollStart,
    tick: u64,
    trails: &mut Vec<ActivityFrame>,
) -> Ended {
    trail::reset();
    if behavior.is_interrupted() {
        start.clock = tick - behavior.interrupt_offset;
        let mark = trail::enter(Activity::Interrupted);
        let (poll, context) = poll_as(start, || behavior.poll_interrupt());
        trail::leave(mark, false);
        if poll == Some(Poll::Pending) {
            let (trail, truncated) = trail::append_to(trails);
            return Ended {
                poll: Poll::Pending,
                context,
                clock_offset: behavior.interrupt_offset,
                pre_empted: true,
                trail,
                truncated,
            };
        }
        // The interrupt is over: the main future's clock skips the time it was pre-empted.
        behavior.clock_offset += tick - behavior.interrupted_at;
        trail::reset();
        start.position = context.position;
    }
    start.clock = tick - behavior.clock_offset;
    let (poll, context) = poll_as(start, || {
        behavior.poll_main(|| context::with("a behaviour's end", |unit| unit.failure.take()))
    });
    let (trail, truncated) = trail::append_to(trails);
    Ended {
        poll,
        context,
        clock_offset: behavior.clock_offset,
        pre_empted: false,
        trail,
        truncated,
    }
}

/// Raises the event of a behaviour's ending in its poll (a cancel raises its own elsewhere).
fn report_ending(unit: UnitId, tick: u64, outcome: &Outcome) {
    match outcome {
        Outcome::Completed => emit_at(tick, unit, UnitEvent::BehaviorCompleted),
        Outcome::Failed(message) => emit_at(
            tick,
            unit,
            UnitEvent::BehaviorFailed {
                message: message.clone(),
            },
        ),
        _ => {}
    }
}
