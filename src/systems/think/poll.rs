//! One unit's poll: its interrupt if it has one, then its main future, with the unit context
//! set up for it; and what the poll left for Think to write back.

use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use glam::IVec2;
use std::ops::Range;
use std::task::Poll;

use crate::components::{Activity, ActivityFrame, Detached, UnitId, UnitName};
use crate::events::UnitEvent;
use crate::outcome::Outcome;
use crate::scope::{PollEnd, PollStart, context, emit_at, poll_as, trail};

/// One unit of a round: its futures out of their component, and what its poll starts from (the
/// tick and the clock are the round's and the poll's own, so they are not kept here).
///
/// At most 128 bytes: a round is built by pushing these one at a time, and a larger one is copied
/// through a call to `memcpy`.
pub(super) struct Polled {
    pub entity: Entity,
    pub id: UnitId,
    /// Where the unit stood when Think began.
    pub position: IVec2,
    pub behavior: Detached,
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

impl Ended {
    /// Where a poll's end is kept before the poll writes it.
    const NONE: Ended = Ended {
        poll: Poll::Pending,
        context: PollEnd::NONE,
        clock_offset: 0,
        pre_empted: false,
        trail: 0..0,
        truncated: false,
    };
}

/// Polls each of `units` once, the world lent read only; their activity trails go to `trails`,
/// and what each poll did to the end of the same index in `ends`.
///
/// The ends are kept from round to round, and each poll writes its own in place, field by field
/// from the unit context: an end is 112 bytes, and returned by value it was copied from one
/// temporary to the next on its way into the round, and out again to be written back.
///
/// Each poll runs inside a `poll` span (fields `id` and `unit`, the unit's name), created only
/// when a subscriber wants it: disabled, it costs a check per poll.
pub(super) fn poll_units(
    world: &World,
    units: &mut [Polled],
    tick: u64,
    trails: &mut Vec<ActivityFrame>,
    ends: &mut Vec<Ended>,
) {
    if ends.len() < units.len() {
        ends.resize_with(units.len(), || Ended::NONE);
    }
    for (unit, end) in units.iter_mut().zip(ends.iter_mut()) {
        // Named as the span is made, so that a layer that writes a span when it begins (the
        // profile's) has the name; looked up only while anyone may listen at this level.
        let name = (tracing::level_filters::LevelFilter::current() >= tracing::Level::DEBUG)
            .then(|| world.get::<UnitName>(unit.entity).map(UnitName::as_str))
            .flatten();
        let span = tracing::debug_span!(target: "tickweave", "poll", id = unit.id.0, unit = name);
        let _unit_span = span.enter();
        let start = PollStart {
            entity: unit.entity,
            id: unit.id,
            tick,
            clock: tick,
            position: unit.position,
        };
        poll_unit(&mut unit.behavior, start, tick, trails, end);
        if let Some(outcome) = unit.behavior.outcome() {
            report_ending(unit.id, tick, outcome);
        }
    }
}

/// Polls the interrupt if there is one, and the main future unless the interrupt is still
/// running; writes what the poll did to `end`.
fn poll_unit(
    behavior: &mut Detached,
    mut start: PollStart,
    tick: u64,
    trails: &mut Vec<ActivityFrame>,
    end: &mut Ended,
) {
    trail::reset();
    if behavior.is_interrupted() {
        start.clock = tick - behavior.interrupt_offset;
        let mark = trail::enter(Activity::Interrupted);
        let poll = poll_as(start, &mut end.context, || behavior.poll_interrupt());
        trail::leave(mark, false);
        if poll == Some(Poll::Pending) {
            end.poll = Poll::Pending;
            end.clock_offset = behavior.interrupt_offset;
            end.pre_empted = true;
            (end.trail, end.truncated) = trail::append_to(trails);
            return;
        }
        // The interrupt is over: the main future's clock skips the time it was pre-empted.
        behavior.clock_offset += tick - behavior.interrupted_at;
        trail::reset();
        start.position = end.context.position;
    }
    start.clock = tick - behavior.clock_offset;
    end.poll = poll_as(start, &mut end.context, || {
        behavior.poll_main(|| context::with("a behaviour's end", |unit| unit.failure.take()))
    });
    end.clock_offset = behavior.clock_offset;
    end.pre_empted = false;
    (end.trail, end.truncated) = trail::append_to(trails);
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
        Outcome::Faulted(message) => emit_at(
            tick,
            unit,
            UnitEvent::BehaviorFaulted {
                message: message.clone(),
            },
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_of_a_round_is_at_most_128_bytes() {
        assert!(size_of::<Polled>() <= 128, "{} bytes", size_of::<Polled>());
    }
}
