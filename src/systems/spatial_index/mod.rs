//! A uniform grid over the units' cells, rebuilt once per tick in Sense, for sensing queries
//! whose cost follows the number of neighbours rather than the number of units.

mod grid;
mod search;

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
    /// stands and where its sighting is in `units`: 12 bytes, so that a search reads few cache
    /// lines, and the grid of a crowd stays in cache.
    entries: Vec<Entry>,
    starts: Vec<u32>,
    /// The team of each layer, so that a search for another team's units never reads the
    /// searcher's own; empty when all units share one layer (too many teams for layers).
    layers: Vec<Option<Team>>,
    /// The units as Sense lists them, in the order it finds them; in unit-id order when ids are
    /// too far apart for `id_slots`, and `get` then searches it.
    units: Vec<Sighting>,
    /// Each unit's layer and cell, as an index into `starts`, while the index is built; then,
    /// when ids are too far apart for `id_slots`, each unit's place in `entries`.
    keys: Vec<u32>,
    /// While ids are dense: the place in `entries` of the unit with id `first_id + i` at `i`
    /// (`u32::MAX` for none). Empty when ids are too far apart.
    id_slots: Vec<u32>,
    first_id: u64,
    grid: Grid,
    survey: Survey,
    /// Where each unit stood and its team, by id slot, as the last rebuild that saw it found
    /// them (while ids are dense), to tell whether every unit moved at most one step since.
    traces: Vec<Trace>,
    /// The previous rebuild's `id_slots`: which units it saw. Like `traces`, counted from
    /// `first_id`.
    previous_slots: Vec<u32>,
    /// See [`is_steady`](Self::is_steady).
    steady: bool,
}

/// A unit as the last rebuild that saw it found it.
#[derive(Clone, Copy, Debug)]
struct Trace {
    position: IVec2,
    team: Option<Team>,
}

/// The trace of an id no rebuild saw (told apart by `previous_slots`).
const UNSEEN: Trace = Trace {
    position: IVec2::ZERO,
    team: None,
};

/// A unit in the grid: where it stands, and where its sighting is in `units`.
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

/// The units Sense lists for a rebuild: [`SpatialIndex::rebuild`] hands it out.
pub(crate) struct Listing<'a> {
    units: &'a mut Vec<Sighting>,
    survey: &'a mut Survey,
}

impl Listing<'_> {
    /// Lists one unit.
    #[inline]
    pub fn push(&mut self, sighting: Sighting) {
        self.survey.note(&sighting);
        self.units.push(sighting);
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
            self.entries.clear();
            self.starts.clear();
            self.layers.clear();
            self.units = Vec::new();
            self.keys = Vec::new();
            self.id_slots = Vec::new();
            self.grid = Grid::default();
            self.traces = Vec::new();
            self.previous_slots = Vec::new();
            self.steady = false;
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
    /// Three passes over the units: one lists them (and surveys them as it goes), one counts
    /// them by layer and cell and notes each one's place by id, and one moves them into place in
    /// id order, so that each cell lists its units by id however the world orders them.
    pub(crate) fn rebuild(&mut self, list: impl FnOnce(&mut Listing)) {
        let mut units = std::mem::take(&mut self.units);
        units.clear();
        self.survey.reset();
        list(&mut Listing {
            units: &mut units,
            survey: &mut self.survey,
        });
        if units.is_empty() {
            self.units = units;
            self.entries.clear();
            self.starts.clear();
            self.id_slots.clear();
            self.grid = Grid::default();
            self.traces.clear();
            self.previous_slots.clear();
            self.steady = false;
            return;
        };
        // An entry names its unit in 32 bits.
        assert!(
            u32::try_from(units.len()).is_ok_and(|count| count < u32::MAX),
            "the spatial index holds fewer than 2^32 - 1 units"
        );
        let survey = &self.survey;
        let span = (survey.last_id - survey.first_id).saturating_add(1);
        let first_id = survey.first_id;
        self.grid = Grid::over(survey.low, survey.high, units.len());
        let cells = self.grid.cells();
        self.lay_out_teams(units.len(), cells);
        // Dense enough that the slots cost no more than a few passes over the units.
        let dense = span <= 4 * units.len() as u64;
        // Units are traced while ids are dense (look-outs use the trace only with layers).
        std::mem::swap(&mut self.id_slots, &mut self.previous_slots);
        self.id_slots.clear();
        if dense {
            if self.first_id != first_id {
                // Counted from another id: nothing to compare with.
                self.traces.clear();
                self.previous_slots.clear();
                self.first_id = first_id;
            }
            // Ids not seen yet: not seen by the previous rebuild either.
            self.traces.resize(span as usize, UNSEEN);
            self.previous_slots.resize(span as usize, u32::MAX);
            self.id_slots.resize(span as usize, u32::MAX);
        } else {
            self.traces.clear();
            self.previous_slots.clear();
            // Ids far apart: sorted instead (about 280 instructions a unit at 100,000 units).
            units.sort_unstable_by_key(|sighting| sighting.id);
        }
        self.count(&units, cells);
        // Every entry is written below.
        self.entries.resize(units.len(), PLACEHOLDER);
        self.steady = if dense {
            self.place_by_slots(&units)
        } else {
            self.place_in_order(&units);
            false
        };
        self.starts.truncate(self.layers.len().max(1) * cells + 1);
        self.units = units;
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

    /// Works out each unit's key (its layer and cell) and counts the units of each key, a
    /// counting sort's first half: key `k` is counted at `starts[k + 2]`, and after the sums
    /// `starts[k + 1]` is where key `k` begins. While ids are dense, notes each unit's place in
    /// `units` in its id slot.
    fn count(&mut self, units: &[Sighting], cells: usize) {
        let keys = self.layers.len().max(1) * cells;
        self.starts.clear();
        self.starts.resize(keys + 2, 0);
        // Every key is written below.
        self.keys.resize(units.len(), 0);
        let (grid, layers, starts) = (self.grid, &self.layers, &mut self.starts[..]);
        // Units of a team mostly come one after another: the last one's layer is kept.
        let mut last = (None, 0);
        let units_and_keys = units.iter().zip(&mut self.keys[..units.len()]);
        for (index, (sighting, unit_key)) in units_and_keys.enumerate() {
            if last.0 != Some(sighting.team) {
                let layer = layers
                    .iter()
                    .position(|&team| team == sighting.team)
                    .unwrap_or(0);
                last = (Some(sighting.team), layer * cells);
            }
            let key = last.1 + grid.cell(sighting.position);
            *unit_key = key as u32;
            starts[key + 2] += 1;
            let id_slot = sighting.id.0.wrapping_sub(self.first_id) as usize;
            if let Some(slot) = self.id_slots.get_mut(id_slot) {
                *slot = index as u32;
            }
        }
        let mut sum = 0;
        for start in &mut starts[2..] {
            sum += *start;
            *start = sum;
        }
    }

    /// Moves the units into `entries`, going through the id slots in order; each slot turns
    /// from the unit's place in `units` to its place in `entries`. Updates each unit's trace
    /// on the way, and returns whether every unit was seen by the previous rebuild, of the same
    /// team, at most one step from where it stood then.
    fn place_by_slots(&mut self, units: &[Sighting]) -> bool {
        let mut steady = true;
        let slots = self.id_slots.iter_mut().zip(&mut self.traces);
        for ((slot, trace), &seen) in slots.zip(&self.previous_slots) {
            if *slot == u32::MAX {
                continue;
            }
            let unit = *slot as usize;
            let sighting = &units[unit];
            let next = &mut self.starts[self.keys[unit] as usize + 1];
            self.entries[*next as usize] = Entry {
                position: sighting.position,
                unit: *slot,
            };
            *slot = *next;
            *next += 1;
            // Without a branch: a unit that breaks the run is rare.
            steady &= (seen != u32::MAX)
                & (trace.team == sighting.team)
                & (grid_distance(trace.position, sighting.position) <= 1);
            *trace = Trace {
                position: sighting.position,
                team: sighting.team,
            };
        }
        steady
    }

    /// Moves the units, already in id order, into `entries`; each key turns into the unit's
    /// place in `entries`.
    fn place_in_order(&mut self, units: &[Sighting]) {
        for (unit, (sighting, key)) in units.iter().zip(&mut self.keys).enumerate() {
            let next = &mut self.starts[*key as usize + 1];
            self.entries[*next as usize] = Entry {
                position: sighting.position,
                unit: unit as u32,
            };
            *key = *next;
            *next += 1;
        }
    }

    /// The unit with this id, if it existed at the start of the tick.
    pub fn get(&self, id: UnitId) -> Option<&Sighting> {
        self.place_of(id)
            .map(|place| self.sighting(&self.entries[place]))
    }

    /// Where the unit with this id is in `entries`: units near each other in the world are near
    /// each other there.
    pub(crate) fn place_of(&self, id: UnitId) -> Option<usize> {
        if self.id_slots.is_empty() {
            let index = self
                .units
                .binary_search_by_key(&id, |sighting| sighting.id)
                .ok()?;
            return Some(self.keys[index] as usize);
        }
        let slot = usize::try_from(id.0.checked_sub(self.first_id)?).ok()?;
        let place = *self.id_slots.get(slot)?;
        (place != u32::MAX).then_some(place as usize)
    }

    /// The sighting of the unit an entry stands for.
    fn sighting(&self, entry: &Entry) -> &Sighting {
        &self.units[entry.unit as usize]
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
    pub fn units(&self) -> impl Iterator<Item = &Sighting> + '_ {
        let (by_slot, sorted) = if self.id_slots.is_empty() {
            (&[][..], &self.units[..])
        } else {
            (&self.id_slots[..], &[][..])
        };
        let placed = by_slot
            .iter()
            .filter(|&&slot| slot != u32::MAX)
            .map(|&slot| self.sighting(&self.entries[slot as usize]));
        placed.chain(sorted)
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
