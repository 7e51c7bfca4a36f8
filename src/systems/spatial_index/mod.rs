//! A uniform grid over the units' cells, rebuilt once per tick in Sense, for sensing queries
//! whose cost follows the number of neighbours rather than the number of units.

mod grid;
mod search;

use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use glam::IVec2;

use crate::components::{Team, UnitId};
use crate::ground::{Sighting, grid_distance};
use grid::Grid;

/// Units bucketed by grid cell; a snapshot of the start of the tick.
///
/// Built in Sense only when sensing is enabled (it costs a pass over every unit per tick).
#[derive(Resource, Debug, Default)]
pub struct SpatialIndex {
    enabled: bool,
    /// The units grouped by team, then by grid cell, the cells row by row, each cell's in
    /// unit-id order: cell `c` of layer `l` holds `entries[starts[l * cells + c]..starts[l *
    /// cells + c + 1]]`, so a row of neighbouring cells is one slice. An entry is where the unit
    /// stands and where its slot is in `slots`: 12 bytes, so that a search reads few cache
    /// lines, and the grid of a crowd stays in cache.
    entries: Vec<Entry>,
    starts: Vec<u32>,
    /// The team of each layer, so that a search for another team's units never reads the
    /// searcher's own; empty when all units share one layer (too many teams for layers).
    layers: Vec<Option<Team>>,
    /// The units in id order: where each stands and its team, 16 bytes, so that counting and
    /// placing read little. While ids are dense (`by_id`), the slot of the unit with id
    /// `first_id + i` is `slots[i]`, and a slot holds a unit of this rebuild only if it is
    /// marked with `stamp`: the others keep the last unit that stood in them, which is what
    /// tells whether every unit kept to a step (see [`is_steady`](Self::is_steady)). Else every
    /// slot holds a unit of this rebuild, sorted by id (their ids in `ids`), and `get` searches
    /// them.
    slots: Vec<Slot>,
    /// Each slot's entity.
    entities: Vec<Entity>,
    /// Each slot's id, when the slots are sorted rather than by id.
    ids: Vec<UnitId>,
    /// Each slot's place in `entries`.
    places: Vec<u32>,
    by_id: bool,
    first_id: u64,
    /// This rebuild's number, as the slots it listed note it.
    stamp: u32,
    /// Units the listing found no free slot for: outside the slots' ids, or a second unit
    /// with an id.
    strays: Vec<Sighting>,
    grid: Grid,
    survey: Survey,
    /// See [`is_steady`](Self::is_steady).
    steady: bool,
}

/// A unit as the rebuild that last listed it found it.
#[derive(Clone, Copy, Debug)]
struct Slot {
    position: IVec2,
    /// Its team's number, 0 if it has none.
    team: u32,
    /// The number of the rebuild that last listed it ([`UNLISTED`] if none did) shifted left
    /// once, the low bit set if it has a team.
    mark: u32,
}

impl Slot {
    fn new(position: IVec2, team: Option<Team>, stamp: u32) -> Slot {
        Slot {
            position,
            team: team.map_or(0, |team| team.0),
            mark: stamp << 1 | u32::from(team.is_some()),
        }
    }

    fn team(&self) -> Option<Team> {
        (self.mark & 1 == 1).then_some(Team(self.team))
    }

    fn stamp(&self) -> u32 {
        self.mark >> 1
    }
}

/// The stamp of a slot no rebuild listed a unit in; stamps start above it, so that a stamp
/// one after it is never the current one's.
const UNLISTED: u32 = 0;

const FIRST_STAMP: u32 = 2;

/// Stamps go up to this and then start again, as a slot keeps one in 31 bits.
const LAST_STAMP: u32 = u32::MAX >> 1;

const EMPTY_SLOT: Slot = Slot {
    position: IVec2::ZERO,
    team: 0,
    mark: UNLISTED,
};

/// A unit in the grid: where it stands, and where its slot is in `slots`.
#[derive(Clone, Copy, Debug)]
struct Entry {
    position: IVec2,
    unit: u32,
}

/// What Sense learns of the units as it lists them for a rebuild.
#[derive(Debug, Default)]
struct Survey {
    /// The box they stand in.
    low: IVec2,
    high: IVec2,
    /// The lowest and highest id.
    first_id: u64,
    last_id: u64,
    /// Their teams, in the order first met, unless there are too many for layers.
    teams: Vec<Option<Team>>,
    too_many_teams: bool,
    /// The team of the unit listed last.
    last_team: Option<Option<Team>>,
}

/// The units Sense lists for a rebuild: [`SpatialIndex::rebuild`] hands it out. Each unit goes
/// straight to its slot by id, where it meets the trace of the unit listed there last.
pub(crate) struct Listing<'a> {
    /// The slots by id, from `first_id`, and their entities; empty when ids were not dense
    /// last time.
    slots: &'a mut [Slot],
    entities: &'a mut [Entity],
    first_id: u64,
    stamp: u32,
    /// Units put in their slots.
    listed: usize,
    /// Every unit put in its slot was listed last time too, of the same team, at most a step
    /// from where it stood.
    steady: bool,
    strays: &'a mut Vec<Sighting>,
    survey: &'a mut Survey,
}

impl Listing<'_> {
    /// Lists one unit.
    #[inline]
    pub fn push(&mut self, sighting: Sighting) {
        self.survey.note(&sighting);
        let index =
            usize::try_from(sighting.id.0.wrapping_sub(self.first_id)).unwrap_or(usize::MAX);
        match self.slots.get_mut(index) {
            Some(slot) if slot.stamp() != self.stamp => {
                let now = Slot::new(sighting.position, sighting.team, self.stamp);
                // Without a branch: a unit that breaks the run is rare. Listed last time with
                // a team or without one, as now.
                self.steady &= (slot.mark == now.mark - 2)
                    & (slot.team == now.team)
                    & (grid_distance(slot.position, now.position) <= 1);
                *slot = now;
                // An id's entity seldom changes: read, not written.
                if let Some(entity) = self.entities.get_mut(index)
                    && *entity != sighting.entity
                {
                    *entity = sighting.entity;
                }
                self.listed += 1;
            }
            _ => self.strays.push(sighting),
        }
    }
}

impl SpatialIndex {
    /// The sides a grid cell is given, as powers of two, from 2 to 64 world cells, unless units
    /// so far apart need wider cells to keep the grid small.
    const SHIFTS: std::ops::RangeInclusive<u32> = 1..=6;

    /// At most this many units in reach, `nearest` reads them all rather than ring by ring.
    const FEW_IN_REACH: usize = 24;

    /// The most teams given layers of their own: each costs a grid's worth of cell starts.
    const MOST_LAYERS: usize = 8;

    /// Whether Sense rebuilds the index every tick.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Turns sensing on or off, from the next Sense on (`Simulation::enable_sensing`, or the
    /// resource of a game's own world). Turned off, the index is emptied: a behaviour that
    /// senses then panics with a message saying sensing is off, and faults alone.
    pub fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
        if !enabled {
            // Emptied, so that turned on again it never shows where units stood back then.
            *self = SpatialIndex::default();
        }
    }

    /// Whether every unit now in the index was in it at the previous rebuild, with the same
    /// team, at most one step from where it stood then (Chebyshev): what a look-out needs to
    /// know that nobody of another team can have come nearer to it by more than two steps a
    /// tick. False after a spawn, a jump (`set_position`, `place`, a game moving a unit), a
    /// change of team, or whenever ids are too far apart to trace.
    pub(crate) fn is_steady(&self) -> bool {
        self.steady
    }

    /// Rebuilds the index from every unit, which `list` lists (in any order).
    ///
    /// While ids are dense, the listing puts each unit in its slot by id, and two passes over
    /// the slots in id order count the units by layer and cell and move them into place, so
    /// that each cell lists its units by id however the world orders them.
    pub(crate) fn rebuild(&mut self, list: impl FnOnce(&mut Listing)) {
        self.stamp = match self.stamp + 1 {
            stamp @ FIRST_STAMP..=LAST_STAMP => stamp,
            _ => {
                // Run out (or the first rebuild): no slot may look listed last time.
                self.slots.iter_mut().for_each(|slot| slot.mark = UNLISTED);
                FIRST_STAMP
            }
        };
        self.strays.clear();
        self.survey.reset();
        let (slots, entities): (&mut [Slot], &mut [Entity]) = if self.by_id {
            (&mut self.slots, &mut self.entities)
        } else {
            (&mut [], &mut [])
        };
        let mut listing = Listing {
            slots,
            entities,
            first_id: self.first_id,
            stamp: self.stamp,
            listed: 0,
            steady: true,
            strays: &mut self.strays,
            survey: &mut self.survey,
        };
        list(&mut listing);
        let (listed, steady) = (listing.listed, listing.steady);
        let count = listed + self.strays.len();
        if count == 0 {
            let (enabled, stamp) = (self.enabled, self.stamp);
            *self = SpatialIndex::default();
            (self.enabled, self.stamp) = (enabled, stamp);
            return;
        }
        // An entry names its slot in 32 bits.
        assert!(
            u32::try_from(count).is_ok_and(|count| count < u32::MAX),
            "the spatial index holds fewer than 2^32 - 1 units"
        );
        self.steady = steady && self.strays.is_empty() && self.by_id;
        self.settle(count);
        self.grid = Grid::over(self.survey.low, self.survey.high, count);
        let cells = self.grid.cells();
        self.lay_out_teams(count, cells);
        self.count(cells);
        // Every entry is written below.
        self.entries.resize(count, PLACEHOLDER);
        self.place();
        self.starts.truncate(self.layers.len().max(1) * cells + 1);
    }

    /// Gives every stray a slot, and the slots ids from where the units' ids begin when they
    /// have drifted far from it: slots by id again while ids are dense (at most four ids a
    /// unit), else every unit sorted by id.
    fn settle(&mut self, count: usize) {
        let survey = &self.survey;
        let span = (survey.last_id - survey.first_id).saturating_add(1);
        let dense = span <= 4 * count as u64 && span < u64::from(u32::MAX);
        let (first_id, span) = (survey.first_id, usize::try_from(span).unwrap_or(usize::MAX));
        let drifted = self.slots.len() > span.saturating_mul(2).saturating_add(64)
            || self.first_id > first_id;
        if self.strays.is_empty() && !drifted {
            return;
        }
        if dense {
            self.lay_out_slots(first_id, span);
            let (slots, entities, stamp) = (&mut self.slots, &mut self.entities, self.stamp);
            // A unit whose id another unit listed here has: only sorted slots hold both.
            self.strays.retain(|&sighting| {
                let index = (sighting.id.0 - first_id) as usize;
                if slots[index].stamp() == stamp {
                    return true;
                }
                slots[index] = Slot::new(sighting.position, sighting.team, stamp);
                entities[index] = sighting.entity;
                false
            });
            if self.strays.is_empty() {
                return;
            }
        }
        // Ids far apart: sorted instead (about 280 instructions a unit at 100,000 units).
        self.steady = false;
        // Gathered among the strays, whose room (like the slots') is kept from tick to tick.
        let listed = (0..self.slots.len()).filter(|&index| self.slots[index].stamp() == self.stamp);
        for index in listed {
            let sighting = self.sighting_at(index);
            self.strays.push(sighting);
        }
        self.strays.sort_unstable_by_key(|sighting| sighting.id);
        let stamp = self.stamp;
        self.slots.clear();
        self.entities.clear();
        self.ids.clear();
        for sighting in self.strays.drain(..) {
            self.slots
                .push(Slot::new(sighting.position, sighting.team, stamp));
            self.entities.push(sighting.entity);
            self.ids.push(sighting.id);
        }
        self.by_id = false;
    }

    /// Makes the slots those of ids `first_id..first_id + span`, keeping what the slots of
    /// those ids hold.
    fn lay_out_slots(&mut self, first_id: u64, span: usize) {
        if !self.by_id {
            // Sorted slots say nothing of where ids stood.
            self.slots.clear();
            self.entities.clear();
            self.ids.clear();
            self.first_id = first_id;
        }
        let mut slots = vec![EMPTY_SLOT; span];
        let mut entities = vec![Entity::PLACEHOLDER; span];
        let old = self.first_id;
        for (index, (slot, entity)) in self.slots.iter().zip(&self.entities).enumerate() {
            let id = old + index as u64;
            if let Some(new) = id
                .checked_sub(first_id)
                .and_then(|i| usize::try_from(i).ok())
                && new < span
            {
                slots[new] = *slot;
                entities[new] = *entity;
            }
        }
        self.slots = slots;
        self.entities = entities;
        self.first_id = first_id;
        self.by_id = true;
    }

    /// Gives each team a layer of its own, in team order, if there are few enough teams that
    /// their layers cost about what the units do; else one layer holds every unit.
    fn lay_out_teams(&mut self, units: usize, cells: usize) {
        self.layers.clear();
        let teams = &self.survey.teams;
        if self.survey.too_many_teams || teams.len() * cells > 4 * units + 64 {
            return;
        }
        self.layers.extend_from_slice(teams);
        self.layers.sort_unstable();
    }

    /// The units of this rebuild with their slots' places in `slots`, in id order, each with
    /// its key: its layer and cell, as an index into `starts`.
    fn keyed<'a>(
        slots: &'a [Slot],
        stamp: u32,
        grid: Grid,
        layers: &'a [Option<Team>],
    ) -> impl Iterator<Item = (usize, &'a Slot, usize)> + 'a {
        let cells = grid.cells();
        // Units of a team mostly come one after another: the last one's layer is kept.
        let mut last = (None, 0);
        slots
            .iter()
            .enumerate()
            .filter(move |(_, slot)| slot.stamp() == stamp)
            .map(move |(index, slot)| {
                let team = slot.team();
                if last.0 != Some(team) {
                    let layer = layers.iter().position(|&t| t == team).unwrap_or(0);
                    last = (Some(team), layer * cells);
                }
                let key = last.1 + grid.cell(slot.position);
                (index, slot, key)
            })
    }

    /// Counts the units of each key, a counting sort's first half: key `k` is counted at
    /// `starts[k + 2]`, and after the sums `starts[k + 1]` is where key `k` begins.
    fn count(&mut self, cells: usize) {
        let keys = self.layers.len().max(1) * cells;
        self.starts.clear();
        self.starts.resize(keys + 2, 0);
        let starts = &mut self.starts[..];
        for (_, _, key) in Self::keyed(&self.slots, self.stamp, self.grid, &self.layers) {
            starts[key + 2] += 1;
        }
        let mut sum = 0;
        for start in &mut starts[2..] {
            sum += *start;
            *start = sum;
        }
    }

    /// Moves the units into `entries` in id order, noting each one's place.
    fn place(&mut self) {
        self.places.resize(self.slots.len(), u32::MAX);
        let (starts, entries) = (&mut self.starts[..], &mut self.entries[..]);
        let places = &mut self.places[..];
        for (index, slot, key) in Self::keyed(&self.slots, self.stamp, self.grid, &self.layers) {
            let next = &mut starts[key + 1];
            entries[*next as usize] = Entry {
                position: slot.position,
                unit: index as u32,
            };
            places[index] = *next;
            *next += 1;
        }
    }

    /// The unit with this id, if it existed at the start of the tick.
    pub fn get(&self, id: UnitId) -> Option<Sighting> {
        self.index_of(id).map(|index| self.sighting_at(index))
    }

    /// Where the unit with this id is in `entries`: units near each other in the world are near
    /// each other there.
    pub(crate) fn place_of(&self, id: UnitId) -> Option<usize> {
        self.index_of(id).map(|index| self.places[index] as usize)
    }

    /// Where the slot of the unit with this id is in `slots`, if this rebuild listed it.
    fn index_of(&self, id: UnitId) -> Option<usize> {
        if !self.by_id {
            return self.ids.binary_search(&id).ok();
        }
        let index = usize::try_from(id.0.checked_sub(self.first_id)?).ok()?;
        (self.slots.get(index)?.stamp() == self.stamp).then_some(index)
    }

    /// The unit in slot `index`.
    fn sighting_at(&self, index: usize) -> Sighting {
        let slot = &self.slots[index];
        Sighting {
            id: if self.by_id {
                UnitId(self.first_id + index as u64)
            } else {
                self.ids[index]
            },
            entity: self.entities[index],
            position: slot.position,
            team: slot.team(),
        }
    }

    /// The team of the unit in slot `index`.
    fn team_at(&self, index: usize) -> Option<Team> {
        self.slots[index].team()
    }

    /// The units this rebuild listed into their slots, in id order.
    fn listed(&self) -> impl Iterator<Item = Sighting> + '_ {
        (0..self.slots.len())
            .filter(|&index| self.slots[index].stamp() == self.stamp)
            .map(|index| self.sighting_at(index))
    }

    /// How many units the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index holds no unit (sensing is off, or there are no units).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every unit, in unit-id order.
    pub fn units(&self) -> impl Iterator<Item = Sighting> + '_ {
        self.listed()
    }
}

impl Survey {
    fn reset(&mut self) {
        self.low = IVec2::MAX;
        self.high = IVec2::MIN;
        self.first_id = u64::MAX;
        self.last_id = 0;
        self.teams.clear();
        self.too_many_teams = false;
        self.last_team = None;
    }

    #[inline]
    fn note(&mut self, unit: &Sighting) {
        self.low = self.low.min(unit.position);
        self.high = self.high.max(unit.position);
        self.first_id = self.first_id.min(unit.id.0);
        self.last_id = self.last_id.max(unit.id.0);
        if self.last_team != Some(unit.team) {
            self.meet(unit.team);
        }
    }

    /// Notes a team other than the last unit's: units of a team mostly come one after another.
    #[cold]
    #[inline(never)]
    fn meet(&mut self, team: Option<Team>) {
        self.last_team = Some(team);
        if self.too_many_teams || self.teams.contains(&team) {
            return;
        }
        if self.teams.len() == SpatialIndex::MOST_LAYERS {
            self.too_many_teams = true;
        } else {
            self.teams.push(team);
        }
    }
}

const PLACEHOLDER: Entry = Entry {
    position: IVec2::ZERO,
    unit: u32::MAX,
};

#[cfg(test)]
mod tests {
    use super::*;
    use bevy_ecs::entity::Entity;

    /// A unit of no team.
    pub(super) fn sighting(id: u64, x: i32, y: i32) -> Sighting {
        Sighting {
            id: UnitId(id),
            entity: Entity::PLACEHOLDER,
            position: IVec2::new(x, y),
            team: None,
        }
    }

    #[test]
    fn units_are_found_by_id_when_some_ids_are_gone() {
        let mut index = SpatialIndex::default();
        // Ids 10..400 with every third gone, shuffled.
        let units: Vec<Sighting> = (0..400_u64)
            .map(|i| (i * 211) % 400)
            .filter(|id| *id >= 10 && id % 3 != 0)
            .map(|id| sighting(id, id as i32 % 13, -(id as i32 % 7)))
            .collect();
        index.rebuild(|listing| units.iter().for_each(|&unit| listing.push(unit)));
        for id in 0..420_u64 {
            let found = index.get(UnitId(id)).map(|s| s.position);
            let expected = (10..400).contains(&id) && id % 3 != 0;
            assert_eq!(found.is_some(), expected, "unit {id}");
            if let Some(position) = found {
                assert_eq!(position, IVec2::new(id as i32 % 13, -(id as i32 % 7)));
            }
        }
        assert!(index.get(UnitId(u64::MAX)).is_none());
    }

    #[test]
    fn units_are_listed_by_id_whatever_order_they_came_in() {
        // Dense ids (placed by id) and ids far apart (sorted), each shuffled.
        for ids in [
            (0..500).map(|i| (i * 7919) % 500 + 3).collect::<Vec<u64>>(),
            (0..200).map(|i| ((i * 37) % 200) * 1_000_003).collect(),
            vec![u64::MAX, 0, u64::MAX - 1],
        ] {
            let mut index = SpatialIndex::default();
            let units: Vec<Sighting> = ids
                .iter()
                .map(|&id| sighting(id, (id % 97) as i32, (id % 89) as i32))
                .collect();
            index.rebuild(|listing| units.iter().for_each(|&unit| listing.push(unit)));
            let mut sorted = ids.clone();
            sorted.sort_unstable();
            let listed: Vec<u64> = index.units().map(|s| s.id.0).collect();
            assert_eq!(listed, sorted);
            for &id in &ids {
                assert_eq!(index.get(UnitId(id)).unwrap().id, UnitId(id));
            }
        }
    }

    #[test]
    fn slots_follow_ids_that_drift_and_keep_what_they_traced() {
        let mut index = SpatialIndex::default();
        let mut rebuild = |ids: std::ops::Range<u64>| {
            index.rebuild(|listing| {
                // Listed from the highest id down, so that each rebuild meets strays first.
                for id in ids.clone().rev() {
                    listing.push(sighting(id, (id % 50) as i32, 3));
                }
            });
            for id in ids.start.saturating_sub(5)..ids.end + 5 {
                let found = index.get(UnitId(id));
                assert_eq!(found.is_some(), ids.contains(&id), "unit {id}");
                if let Some(unit) = found {
                    assert_eq!((unit.id, unit.position), (UnitId(id), ivec(id)));
                }
            }
            assert!(index.units().map(|unit| unit.id.0).eq(ids.clone()));
            index.is_steady()
        };
        fn ivec(id: u64) -> IVec2 {
            IVec2::new((id % 50) as i32, 3)
        }
        assert!(!rebuild(0..100), "nobody was listed before");
        assert!(rebuild(0..100));
        // Most gone: the slots move to the ids left, which stood still.
        assert!(rebuild(90..100), "units left, none moved");
        assert!(rebuild(90..100));
        // New ids past the slots, then ids far past: every unit there is new.
        assert!(!rebuild(90..300));
        assert!(rebuild(90..300));
        assert!(!rebuild(10_000..10_400));
        assert!(rebuild(10_000..10_400));
    }

    #[test]
    fn steady_while_every_unit_keeps_to_a_step_a_tick() {
        let mut index = SpatialIndex::default();
        let mut rebuild = |units: &[(u64, i32, i32, Option<u32>)]| {
            index.rebuild(|listing| {
                for &(id, x, y, team) in units {
                    let mut unit = sighting(id, x, y);
                    unit.team = team.map(Team);
                    listing.push(unit);
                }
            });
            index.is_steady()
        };
        let start = [(0, 5, 5, Some(1)), (1, -3, 0, None), (2, 40, 9, Some(2))];
        assert!(!rebuild(&start), "nobody was seen before");
        assert!(rebuild(&start), "nobody moved");
        let stepped = [(0, 6, 4, Some(1)), (1, -3, 1, None), (2, 39, 9, Some(2))];
        assert!(rebuild(&stepped), "a step each, diagonals too");
        assert!(
            !rebuild(&[stepped[0], (1, -3, 3, None), stepped[2]]),
            "two steps"
        );
        assert!(rebuild(&[stepped[0], (1, -3, 3, None), stepped[2]]));
        assert!(
            !rebuild(&[(0, 6, 4, Some(2)), (1, -3, 3, None), stepped[2]]),
            "new team"
        );
        assert!(rebuild(&[(0, 6, 4, Some(2)), (1, -3, 3, None), stepped[2]]));
        // Gone for a rebuild, then back where it was: it could have been anywhere between.
        assert!(
            rebuild(&[(0, 6, 4, Some(2)), (1, -3, 3, None)]),
            "a unit left"
        );
        assert!(!rebuild(&[
            (0, 6, 4, Some(2)),
            (1, -3, 3, None),
            stepped[2]
        ]));
        // A new id where an unseen one's trace would say it stood.
        assert!(!rebuild(&[
            (0, 6, 4, Some(2)),
            (1, -3, 3, None),
            stepped[2],
            (3, 0, 1, None)
        ]));
        // Ids too far apart to trace.
        let far = [(0, 6, 4, Some(2)), (1_000_000, 0, 0, None)];
        assert!(!rebuild(&far));
        assert!(!rebuild(&far));
    }
}
