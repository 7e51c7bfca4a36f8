//! Look-outs: parked behaviours waiting for a unit of another team to come within sight, and
//! the check Sense makes for them once per tick.

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::entity::Entity;
use bevy_ecs::system::Query;

use super::{RunQueue, SpatialIndex, radix};
use crate::components::{Behavior, UnitId};
use crate::scope::Lookout;

/// One parked behaviour's look-out.
#[derive(Clone, Copy, Debug)]
struct Watch {
    unit: UnitId,
    entity: Entity,
    lookout: Lookout,
    /// The first tick it must be checked on: until then nobody can have come within its
    /// radius, if every unit keeps to a step a tick.
    due: u64,
}

/// The most ticks a look-out goes unchecked: it searches `radius + 2 * HORIZON` steps around
/// for how far the nearest unit stands, and is next due when that unit could be in sight.
const HORIZON: u32 = 4;

/// The look-outs of the parked behaviours, in unit-id order.
///
/// A look-out holds until its behaviour is next polled: each poll asks afresh (a race that was
/// won withdraws its loser's), so after Think the look-outs of every unit it polled are replaced
/// by what those polls asked for. Both lists are in unit-id order, so that is one merge, and
/// the buffers keep their capacity: a steady simulation never allocates here.
#[derive(Debug, Default)]
pub(crate) struct Lookouts {
    /// Held by parked behaviours, in unit-id order.
    watching: Vec<Watch>,
    /// Asked for by this tick's polls that parked, in the order polled (unit-id order).
    asked: Vec<Watch>,
    /// Room for the merge.
    scratch: Vec<Watch>,
    /// The look-outs to check this tick, in the order of their units in the spatial index.
    visits: Vec<Visit>,
    /// Room for sorting `visits`.
    visits_scratch: Vec<Visit>,
}

/// A look-out to check, with what the check reads, so that checking in index order reads
/// `watching` only for the few that see someone.
#[derive(Clone, Copy, Debug)]
struct Visit {
    /// Its unit's place in the spatial index.
    place: u32,
    /// Its place in `watching`.
    at: u32,
    lookout: Lookout,
}

impl Lookouts {
    /// Notes the look-out the poll of `unit` parked on.
    pub fn ask(&mut self, unit: UnitId, entity: Entity, lookout: Lookout) {
        self.asked.push(Watch {
            unit,
            entity,
            lookout,
            due: 0,
        });
    }

    /// Replaces the look-outs of the units polled this tick (`polled`, in unit-id order, maybe
    /// with duplicates) by the ones their polls asked for.
    ///
    /// Few of the watching units are polled in a tick: the look-outs between two polled units
    /// are copied as one slice, found by galloping search, rather than compared one by one.
    pub fn after_polls(&mut self, polled: &[(UnitId, Entity)]) {
        if self.watching.is_empty() {
            std::mem::swap(&mut self.watching, &mut self.asked);
            return;
        }
        debug_assert!(polled.is_sorted_by_key(|&(unit, _)| unit));
        debug_assert!(self.asked.is_sorted_by_key(|watch| watch.unit));
        self.scratch.clear();
        self.scratch.reserve(self.watching.len() + self.asked.len());
        let mut rest = &self.watching[..];
        // Every look-out asked for is a polled unit's, so it goes in at that unit's turn.
        let mut asked = &self.asked[..];
        let mut last = None;
        for &(unit, _) in polled {
            if last == Some(unit) {
                continue;
            }
            last = Some(unit);
            let before = gallop(rest, unit);
            self.scratch.extend_from_slice(&rest[..before]);
            // Its look-out, if it kept one, is replaced by what it asks now.
            rest = &rest[before..];
            if rest.first().is_some_and(|watch| watch.unit == unit) {
                rest = &rest[1..];
            }
            let its = asked.iter().take_while(|watch| watch.unit == unit).count();
            self.scratch.extend_from_slice(&asked[..its]);
            asked = &asked[its..];
        }
        self.scratch.extend_from_slice(rest);
        debug_assert!(
            asked.is_empty(),
            "a look-out asked for by a unit not polled"
        );
        self.scratch.extend_from_slice(asked);
        self.asked.clear();
        std::mem::swap(&mut self.watching, &mut self.scratch);
    }

    /// Wakes every parked behaviour with a unit of another team within its look-out's radius,
    /// as the units stand in `index` (the start of tick `now`); forgets the look-outs of units
    /// that are gone or lost their behaviour.
    ///
    /// A look-out that sees nobody learns how far the nearest unit of another team stands: as
    /// long as every unit moves at most a step a tick (the index is steady), that distance
    /// shrinks by at most two a tick, and the look-out is not checked until it could have
    /// shrunk to its radius. Any tick the index is not steady, every look-out is checked.
    ///
    /// The check is the one the behaviour's own poll makes, on the same snapshot, so a
    /// behaviour is woken exactly on the ticks its poll would find someone. The look-outs are
    /// checked in the order their units lie in the index, where neighbours lie together, so
    /// that the cells one look-out reads are still at hand for the next.
    pub fn wake_sighted(
        &mut self,
        now: u64,
        index: &SpatialIndex,
        queue: &mut RunQueue,
        behaviors: &mut Query<&mut Behavior>,
    ) {
        let Lookouts {
            watching,
            visits,
            visits_scratch,
            ..
        } = self;
        visits.clear();
        let mut forget = false;
        let steady = index.is_steady();
        for (at, watch) in watching.iter().enumerate() {
            if steady && watch.due > now {
                continue;
            }
            match index.place_of(watch.unit) {
                Some(place) => visits.push(Visit {
                    place: place as u32,
                    at: at as u32,
                    lookout: watch.lookout,
                }),
                None => forget = true, // despawned
            }
        }
        radix::sort_by_key(visits, visits_scratch, |visit| u64::from(visit.place));
        for visit in visits.iter() {
            let Lookout { team, radius } = visit.lookout;
            let place = visit.place as usize;
            let bound = radius.saturating_add(2 * HORIZON);
            let due = match index.other_layers_distance(place, team, bound) {
                // Safe for `(distance - radius - 1) / 2` ticks after this one.
                Some(distance) if distance > radius => {
                    now + 1 + u64::from((distance - radius - 1) / 2)
                }
                _ if index.sees_other_team(place, team, radius) => now,
                _ => now + 1,
            };
            let watch = &mut watching[visit.at as usize];
            watch.due = due;
            if due > now {
                continue;
            }
            match behaviors.get_mut(watch.entity) {
                // A paused behaviour stays put: it is polled when resumed, and looks again then.
                Ok(mut behavior) => {
                    queue.unpark(watch.unit, watch.entity, behavior.bypass_change_detection());
                }
                Err(_) => forget = true, // its behaviour was removed
            }
        }
        if forget {
            watching.retain(|watch| {
                index.place_of(watch.unit).is_some() && behaviors.contains(watch.entity)
            });
        }
    }

    /// Whether any parked behaviour keeps a look-out.
    pub fn is_empty(&self) -> bool {
        self.watching.is_empty()
    }
}

/// How many of `watches` (in unit-id order) are of units before `unit`: a galloping search,
/// which costs the logarithm of the answer rather than of the length, as the next polled unit is
/// mostly near.
fn gallop(watches: &[Watch], unit: UnitId) -> usize {
    let mut end = 1;
    while end <= watches.len() && watches[end - 1].unit < unit {
        end *= 2;
    }
    let start = end / 2;
    let end = end.min(watches.len());
    start + watches[start..end].partition_point(|watch| watch.unit < unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(id: u64) -> Watch {
        let index = u32::try_from(id).expect("small ids") + 1;
        Watch {
            unit: UnitId(id),
            entity: Entity::from_raw_u32(index).expect("a valid index"),
            lookout: Lookout {
                team: None,
                radius: id as u32,
            },
            due: 0,
        }
    }

    fn ask(lookouts: &mut Lookouts, id: u64) {
        let Watch {
            unit,
            entity,
            mut lookout,
            ..
        } = watch(id);
        lookout.radius += 100; // tells a fresh look-out from the one it replaces
        lookouts.ask(unit, entity, lookout);
    }

    fn watched(lookouts: &Lookouts) -> Vec<(u64, u32)> {
        lookouts
            .watching
            .iter()
            .map(|watch| (watch.unit.0, watch.lookout.radius))
            .collect()
    }

    #[test]
    fn galloping_finds_what_a_binary_search_does() {
        for len in 0..40 {
            let watches: Vec<Watch> = (0..len).map(|id| watch(2 * id + 1)).collect();
            for unit in 0..2 * len + 3 {
                let expected = watches.partition_point(|watch| watch.unit.0 < unit);
                assert_eq!(gallop(&watches, UnitId(unit)), expected, "{len} {unit}");
            }
        }
    }

    #[test]
    fn a_poll_replaces_its_units_look_out_and_the_others_stand() {
        let mut lookouts = Lookouts::default();
        for id in [1, 3, 5, 7] {
            lookouts.watching.push(watch(id));
        }
        // Polled: 0 (asks), 3 (no longer looks out), 5 twice (asks again), 6 (asks), 9.
        for id in [0, 5, 6] {
            ask(&mut lookouts, id);
        }
        let polled: Vec<(UnitId, Entity)> = [0, 3, 5, 5, 6, 9]
            .into_iter()
            .map(|id| (watch(id).unit, watch(id).entity))
            .collect();
        lookouts.after_polls(&polled);
        assert_eq!(
            watched(&lookouts),
            [(0, 100), (1, 1), (5, 105), (6, 106), (7, 7)]
        );
        lookouts.after_polls(&[]);
        assert_eq!(
            watched(&lookouts).len(),
            5,
            "nothing polled, nothing changes"
        );
    }
}
