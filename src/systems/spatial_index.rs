//! A uniform grid over the units' cells, rebuilt once per tick in Sense, for sensing queries
//! whose cost follows the number of neighbours rather than the number of units.

use bevy_ecs::resource::Resource;
use glam::IVec2;

use crate::components::{Team, UnitId};
use crate::ground::{Sighting, grid_distance};

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
    /// The previous rebuild's `id_slots`: which units it saw.
    previous_slots: Vec<u32>,
    /// The first id of `traces` and `previous_slots`.
    traced_first_id: u64,
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
            if self.traced_first_id != first_id {
                self.traces.clear();
                self.previous_slots.clear();
                self.traced_first_id = first_id;
            }
            // Ids not seen yet: not seen by the previous rebuild either.
            self.traces.resize(span as usize, UNSEEN);
            self.previous_slots.resize(span as usize, u32::MAX);
        } else {
            self.traces.clear();
            self.previous_slots.clear();
        }
        if dense {
            self.first_id = first_id;
            self.id_slots.resize(span as usize, u32::MAX);
        } else {
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

    /// Every unit within `radius` steps of `center`, in no particular order.
    pub fn for_each_within(&self, center: IVec2, radius: u32, mut visit: impl FnMut(&Sighting)) {
        let Some(reach) = self.reach(center, radius) else {
            return;
        };
        let mut within = |entry: &Entry| {
            if reach.holds(entry.position) {
                visit(self.sighting(entry));
            }
        };
        if reach.covers_every_unit {
            self.entries.iter().for_each(within);
            return;
        }
        for layer in 0..self.layers.len().max(1) {
            for row in reach.low.1..=reach.high.1 {
                self.row(layer, row, reach.low.0, reach.high.0)
                    .iter()
                    .for_each(&mut within);
            }
        }
    }

    /// The unit nearest `center` within `radius` steps that `accept` takes, ties going to the
    /// lower unit id; `accept` is asked only about units that would be the nearest so far.
    ///
    /// It looks ring by ring of grid cells outward from `center`'s and stops once no unit
    /// further out can be nearer, so in a crowd it reads the few cells around `center`.
    pub fn nearest(
        &self,
        center: IVec2,
        radius: u32,
        accept: impl FnMut(&Sighting) -> bool,
    ) -> Option<&Sighting> {
        self.nearest_in_layers(center, radius, |_| true, accept)
    }

    /// As [`nearest`](Self::nearest), among the units whose team is not `team` (with `team`
    /// `None`, the units of any team). The units of `team` are not read at all, so a unit
    /// looking for enemies among its own crowd costs what the enemies near it do.
    pub fn nearest_not_in(
        &self,
        team: Option<Team>,
        center: IVec2,
        radius: u32,
        mut accept: impl FnMut(&Sighting) -> bool,
    ) -> Option<&Sighting> {
        let layers = &self.layers;
        self.nearest_in_layers(
            center,
            radius,
            |layer| layers.get(layer).is_none_or(|&holds| holds != team),
            |other| other.team != team && accept(other),
        )
    }

    /// Whether the unit at `place` (see [`place_of`](Self::place_of)) sees another unit not of
    /// `team` (of any team, with `team` `None`) within `radius` steps: whether
    /// [`nearest_not_in`](Self::nearest_not_in) would find one, at the cost of finding any
    /// rather than the nearest.
    pub(crate) fn sees_other_team(&self, place: usize, team: Option<Team>, radius: u32) -> bool {
        let Entry {
            position: center,
            unit: me,
        } = self.entries[place];
        let Some(reach) = self.reach(center, radius) else {
            return false;
        };
        // Whether anyone at all stands in reach, without a branch a unit (in a crowd the answer
        // is mostly no, and a branch a unit mispredicts at every slice's end); only then who.
        let seen = |entries: &[Entry]| {
            let anyone = entries
                .iter()
                .fold(false, |found, other| found | reach.holds(other.position));
            anyone
                && entries.iter().any(|other| {
                    reach.holds(other.position)
                        && other.unit != me
                        && self.units[other.unit as usize].team != team
                })
        };
        let cells = self.grid.cells();
        for layer in 0..self.layers.len().max(1) {
            if self.layers.get(layer) == Some(&team) {
                continue; // every unit of it is of `team`
            }
            if reach.covers_every_unit {
                if seen(self.layer(layer)) {
                    return true;
                }
                continue;
            }
            for row in reach.low.1..=reach.high.1 {
                let first = layer * cells + row * self.grid.width;
                let (start, end) = (
                    self.starts[first + reach.low.0] as usize,
                    self.starts[first + reach.high.0 + 1] as usize,
                );
                if seen(&self.entries[start..end]) {
                    return true;
                }
            }
        }
        false
    }

    /// How many steps from the unit at `place` the nearest unit in a layer other than `team`'s
    /// stands, or `bound + 1` if none is within `bound`: a lower bound on how far any unit not
    /// of `team` stands, computed without a branch a unit. `None` when there are no layers, or
    /// the search would read every unit.
    pub(crate) fn other_layers_distance(
        &self,
        place: usize,
        team: Option<Team>,
        bound: u32,
    ) -> Option<u32> {
        if self.layers.is_empty() {
            return None;
        }
        let center = self.entries[place].position;
        let beyond = bound.saturating_add(1);
        let Some(reach) = self.reach(center, bound) else {
            return Some(beyond);
        };
        if reach.covers_every_unit {
            return None;
        }
        let cells = self.grid.cells();
        let mut nearest = beyond;
        for (layer, &holds) in self.layers.iter().enumerate() {
            if holds == team {
                continue;
            }
            for row in reach.low.1..=reach.high.1 {
                let first = layer * cells + row * self.grid.width;
                let (start, end) = (
                    self.starts[first + reach.low.0] as usize,
                    self.starts[first + reach.high.0 + 1] as usize,
                );
                for other in &self.entries[start..end] {
                    nearest = nearest.min(grid_distance(other.position, center));
                }
            }
        }
        Some(nearest)
    }

    /// The nearest unit `accept` takes among the layers `searched` picks.
    fn nearest_in_layers(
        &self,
        center: IVec2,
        radius: u32,
        searched: impl Fn(usize) -> bool,
        mut accept: impl FnMut(&Sighting) -> bool,
    ) -> Option<&Sighting> {
        let reach = self.reach(center, radius)?;
        let layers = || (0..self.layers.len().max(1)).filter(|&layer| searched(layer));
        let mut best = Best {
            center,
            radius,
            units: &self.units,
            found: None,
        };
        if reach.covers_every_unit {
            for layer in layers() {
                best.scan(self.layer(layer), &mut accept);
            }
            return best.found.map(|(_, sighting)| sighting);
        }
        let (low, high) = (reach.low, reach.high);
        // Few units in reach (the rows of reach are a slice each, so they are counted at the
        // cost of a lookup a row): read them all, which costs less than going ring by ring.
        let rows = |layer| (low.1..=high.1).map(move |row| self.row(layer, row, low.0, high.0));
        let in_reach: usize = layers().flat_map(rows).map(<[Entry]>::len).sum();
        if in_reach <= Self::FEW_IN_REACH {
            for units in layers().flat_map(rows) {
                best.scan(units, &mut accept);
            }
            return best.found.map(|(_, sighting)| sighting);
        }
        // `center`'s cell, or the nearest cell in reach if `center` lies outside the grid.
        let (x, y) = self.grid.cell_of(reach.clamp(center));
        let rings = (x - low.0).max(high.0 - x).max(y - low.1).max(high.1 - y);
        for ring in 0..=rings {
            if ring > 0
                && let Some((nearest, _)) = best.found
                && i64::from(nearest) < self.grid.ring_distance(center, (x, y), ring)
            {
                break;
            }
            for layer in layers() {
                // Its top and bottom rows whole, then the cells at either end of the rows
                // between.
                let (from, to) = (x.saturating_sub(ring).max(low.0), (x + ring).min(high.0));
                let mut scan =
                    |row, from, to| best.scan(self.row(layer, row, from, to), &mut accept);
                if y >= low.1 + ring {
                    scan(y - ring, from, to);
                }
                if ring == 0 {
                    continue;
                }
                if y + ring <= high.1 {
                    scan(y + ring, from, to);
                }
                for row in (y + 1).saturating_sub(ring).max(low.1)..=(y + ring - 1).min(high.1) {
                    if x >= low.0 + ring {
                        scan(row, x - ring, x - ring);
                    }
                    if x + ring <= high.0 {
                        scan(row, x + ring, x + ring);
                    }
                }
            }
        }
        best.found.map(|(_, sighting)| sighting)
    }

    /// Every unit of layer `layer`.
    fn layer(&self, layer: usize) -> &[Entry] {
        let cells = self.grid.cells();
        &self.entries
            [self.starts[layer * cells] as usize..self.starts[(layer + 1) * cells] as usize]
    }

    /// The units of layer `layer` in grid cells `from..=to` of grid row `row`: one slice, as
    /// cells are stored row by row.
    fn row(&self, layer: usize, row: usize, from: usize, to: usize) -> &[Entry] {
        let first = layer * self.grid.cells() + row * self.grid.width;
        &self.entries[self.starts[first + from] as usize..self.starts[first + to + 1] as usize]
    }

    /// What a query of `radius` steps around `center` reads, or `None` if no unit can be
    /// within reach.
    fn reach(&self, center: IVec2, radius: u32) -> Option<Reach> {
        if self.entries.is_empty() {
            return None;
        }
        let (grid, radius) = (&self.grid, i64::from(radius));
        // The square within reach, cut to where units stand.
        let side = |center: i32, low: i32, high: i32| {
            let from = (i64::from(center) - radius).max(i64::from(low));
            let to = (i64::from(center) + radius).min(i64::from(high));
            // Both lie between `low` and `high` when the side is not empty.
            (from <= to).then_some((from as i32, to as i32))
        };
        let (from_x, to_x) = side(center.x, grid.low.x, grid.high.x)?;
        let (from_y, to_y) = side(center.y, grid.low.y, grid.high.y)?;
        let (from, to) = (IVec2::new(from_x, from_y), IVec2::new(to_x, to_y));
        let (low, high) = (grid.cell_of(from), grid.cell_of(to));
        // A query wider than the crowd scans every unit instead of every grid cell it covers.
        let covered = (high.0 - low.0 + 1).saturating_mul(high.1 - low.1 + 1);
        Some(Reach {
            from,
            to,
            low,
            high,
            covers_every_unit: covered >= self.entries.len(),
        })
    }

    /// The unit with this id, if it existed at the start of the tick.
    pub fn get(&self, id: UnitId) -> Option<&Sighting> {
        self.place_of(id)
            .map(|place| self.sighting(&self.entries[place]))
    }

    /// Where the unit with this id is in `entries` (see [`entry`](Self::entry)).
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

/// How the grid lies over the units: from the lowest corner of the box they stand in, cells of
/// `1 << shift` world cells a side, `width` × `height` of them.
#[derive(Clone, Copy, Debug, Default)]
struct Grid {
    /// The lowest x and y of any unit.
    low: IVec2,
    /// The highest x and y of any unit.
    high: IVec2,
    shift: u32,
    width: usize,
    height: usize,
}

impl Grid {
    /// The grid for these units: cells of about two units each on average over the box they
    /// stand in, so that a query scans few units however densely they crowd (a fixed side
    /// would scan hundreds where every cell holds one); and never many more cells than units.
    fn over(low: IVec2, high: IVec2, units: usize) -> Grid {
        // In integers, so that every platform lays the grid out alike: the side is about the
        // square root of twice the area a unit, so its logarithm is half the area's.
        let span = |low: i32, high: i32| (i64::from(high) - i64::from(low) + 1) as u64;
        let (width, height) = (span(low.x, high.x), span(low.y, high.y));
        let cells_per_two_units = 2 * u128::from(width) * u128::from(height) / units as u128;
        let mut shift = cells_per_two_units
            .checked_ilog2()
            .map_or(0, |log| log.div_ceil(2))
            .clamp(*SpatialIndex::SHIFTS.start(), *SpatialIndex::SHIFTS.end());
        let cells = |side: u64, shift: u32| ((side - 1) >> shift) + 1;
        // Far-flung units: wider cells, so that the grid costs no more than the units. At 32
        // one cell covers every unit.
        let most = 2 * units as u128 + 64;
        while u128::from(cells(width, shift)) * u128::from(cells(height, shift)) > most {
            shift += 1;
        }
        Grid {
            low,
            high,
            shift,
            width: cells(width, shift) as usize,
            height: cells(height, shift) as usize,
        }
    }

    /// How many cells the grid has.
    fn cells(&self) -> usize {
        self.width * self.height
    }

    /// The column and row of the cell holding `position`, which must lie in the units' box.
    fn cell_of(&self, position: IVec2) -> (usize, usize) {
        let offset = |at: i32, low: i32| ((i64::from(at) - i64::from(low)) >> self.shift) as usize;
        (
            offset(position.x, self.low.x),
            offset(position.y, self.low.y),
        )
    }

    /// The cell holding `position`, counted row by row.
    fn cell(&self, position: IVec2) -> usize {
        let (column, row) = self.cell_of(position);
        row * self.width + column
    }

    /// No unit in ring `ring` of cells around cell `(x, y)`, or further out, is nearer to
    /// `center` than this: each lies beyond the edge of the rings inside it on some side.
    fn ring_distance(&self, center: IVec2, (x, y): (usize, usize), ring: usize) -> i64 {
        let side = self.shift;
        let edges = |at: i32, low: i32, cell: usize| {
            let inner_first = i64::from(low) + (((cell as i64) - (ring as i64 - 1)) << side);
            let inner_last = i64::from(low) + (((cell + ring) as i64) << side) - 1;
            let at = i64::from(at);
            (at - inner_first + 1).min(inner_last + 1 - at)
        };
        edges(center.x, self.low.x, x).min(edges(center.y, self.low.y, y))
    }
}

/// The nearest unit a query has found so far, and its distance.
struct Best<'a> {
    center: IVec2,
    radius: u32,
    /// The index's sightings, which entries name.
    units: &'a [Sighting],
    found: Option<(u32, &'a Sighting)>,
}

impl<'a> Best<'a> {
    fn scan(&mut self, entries: &[Entry], accept: &mut impl FnMut(&Sighting) -> bool) {
        for entry in entries {
            let distance = grid_distance(entry.position, self.center);
            if distance > self.radius || self.found.is_some_and(|(nearest, _)| distance > nearest) {
                continue;
            }
            // The sighting only for a unit as near as the nearest so far: ties go by id.
            let sighting = &self.units[entry.unit as usize];
            if self
                .found
                .is_none_or(|(nearest, seen)| (distance, sighting.id) < (nearest, seen.id))
                && accept(sighting)
            {
                self.found = Some((distance, sighting));
            }
        }
    }
}

/// What a query reads.
struct Reach {
    /// The square within reach, cut to the units' box: a unit is within reach iff it stands in
    /// it.
    from: IVec2,
    to: IVec2,
    /// The grid cells (column, row) holding `from` and `to`.
    low: (usize, usize),
    high: (usize, usize),
    /// The query covers more grid cells than there are units: it scans every unit instead.
    covers_every_unit: bool,
}

impl Reach {
    fn holds(&self, position: IVec2) -> bool {
        position.cmpge(self.from).all() && position.cmple(self.to).all()
    }

    /// The point of the square nearest `position`.
    fn clamp(&self, position: IVec2) -> IVec2 {
        position.clamp(self.from, self.to)
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

    fn sighting(id: u64, x: i32, y: i32) -> Sighting {
        Sighting {
            id: UnitId(id),
            entity: Entity::PLACEHOLDER,
            position: IVec2::new(x, y),
            team: None,
        }
    }

    /// The index finds exactly the units of `all` within `radius` of `center`, as a scan of
    /// every unit does.
    fn assert_finds_exactly(index: &SpatialIndex, all: &[Sighting], center: IVec2, radius: u32) {
        let mut found = vec![];
        index.for_each_within(center, radius, |s| found.push(s.id));
        found.sort();
        let expected: Vec<UnitId> = all
            .iter()
            .filter(|s| grid_distance(s.position, center) <= radius)
            .map(|s| s.id)
            .collect();
        assert_eq!(found, expected, "center {center} radius {radius}");
    }

    #[test]
    fn finds_exactly_the_units_within_the_radius() {
        let mut index = SpatialIndex::default();
        let units: Vec<Sighting> = (0..400)
            .map(|i| sighting(i, (i as i32 % 20) * 3 - 30, (i as i32 / 20) * 3 - 30))
            .collect();
        let all = units.clone();
        index.rebuild(|listing| units.iter().for_each(|&unit| listing.push(unit)));
        for (center, radius) in [
            (IVec2::ZERO, 0),
            (IVec2::new(-7, 9), 5),
            (IVec2::new(40, 40), 100),
        ] {
            assert_finds_exactly(&index, &all, center, radius);
        }
        assert_eq!(
            index.get(UnitId(21)).unwrap().position,
            IVec2::new(-27, -27)
        );
        assert!(index.get(UnitId(400)).is_none());
    }

    #[test]
    fn crowded_sparse_and_far_flung_units_are_all_found() {
        let scattered = (0..2_000_u64)
            .map(|i| {
                let mixed = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
                ((mixed % 101) as i32 - 50, ((mixed / 101) % 101) as i32 - 50)
            })
            .collect();
        let layouts: [Vec<(i32, i32)>; 4] = [
            scattered,
            // Ten units on every cell of a small square: grid cells as small as they go.
            (0..1_000).map(|i| (i % 10, (i / 10) % 10)).collect(),
            // A few units far apart: grid cells as large as they go.
            (0..50).map(|i| (i * 997 - 20_000, i * -1_303)).collect(),
            // The edges of the world.
            vec![
                (i32::MIN, i32::MIN),
                (i32::MAX, i32::MAX),
                (0, 0),
                (i32::MIN, i32::MAX),
            ],
        ];
        for layout in layouts {
            let all: Vec<Sighting> = layout
                .iter()
                .enumerate()
                .map(|(id, &(x, y))| sighting(id as u64, x, y))
                .collect();
            let mut index = SpatialIndex::default();
            index.rebuild(|listing| all.iter().for_each(|&unit| listing.push(unit)));
            let centers = layout
                .iter()
                .take(20)
                .copied()
                .chain([(3, 4), (-7, 2), (5, 5)]);
            for (x, y) in centers {
                for radius in [0, 1, 4, 30, u32::MAX] {
                    let center = IVec2::new(x, y);
                    assert_finds_exactly(&index, &all, center, radius);
                    // The nearest that passes a filter, ties to the lower id, as a scan of
                    // every unit finds it.
                    let accept = |s: &Sighting| !s.id.0.is_multiple_of(3);
                    let nearest = all
                        .iter()
                        .filter(|s| accept(s) && grid_distance(s.position, center) <= radius)
                        .min_by_key(|s| (grid_distance(s.position, center), s.id))
                        .map(|s| s.id);
                    let found = index.nearest(center, radius, accept).map(|s| s.id);
                    assert_eq!(found, nearest, "nearest to {center} within {radius}");
                }
            }
        }
    }

    /// The index's nearest unit that `accept` takes is the one a scan of every unit finds:
    /// the least distance, then the lowest id.
    fn assert_finds_nearest(
        index: &SpatialIndex,
        all: &[Sighting],
        center: IVec2,
        radius: u32,
        accept: impl Fn(&Sighting) -> bool,
    ) {
        let expected = all
            .iter()
            .filter(|s| accept(s) && grid_distance(s.position, center) <= radius)
            .min_by_key(|s| (grid_distance(s.position, center), s.id))
            .map(|s| s.id);
        let found = index.nearest(center, radius, &accept).map(|s| s.id);
        assert_eq!(found, expected, "nearest to {center} within {radius}");
    }

    #[test]
    fn the_nearest_is_found_ring_by_ring_with_ties_to_the_lower_id() {
        // A crowd of one unit a cell on average, ids shuffled against positions, so that many
        // units tie on distance in every ring, and the lower id must win across cells.
        let all: Vec<Sighting> = (0..3_000_u64)
            .map(|i| {
                let mixed = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                let id = (i * 7_919) % 3_000;
                sighting(
                    id,
                    (mixed % 55) as i32 - 20,
                    ((mixed / 55) % 55) as i32 - 27,
                )
            })
            .collect();
        let mut index = SpatialIndex::default();
        index.rebuild(|listing| all.iter().for_each(|&unit| listing.push(unit)));
        for x in -24..40 {
            for y in [-31, -27, -3, 0, 1, 26, 30] {
                let center = IVec2::new(x, y);
                for radius in [0, 1, 2, 3, 4, 7, 100] {
                    assert_finds_nearest(&index, &all, center, radius, |_| true);
                    assert_finds_nearest(&index, &all, center, radius, |s| s.id.0 % 5 == 0);
                    assert_finds_nearest(&index, &all, center, radius, |s| s.id.0 % 97 == 1);
                }
            }
        }
    }

    #[test]
    fn a_search_for_other_teams_finds_what_a_scan_of_every_unit_does() {
        // Two teams and units of none (a layer each), then more teams than get layers.
        for teams in [3_u64, 40] {
            let all: Vec<Sighting> = (0..2_500_u64)
                .map(|i| {
                    let mixed = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                    let mut unit = sighting(i, (mixed % 60) as i32, ((mixed / 60) % 45) as i32);
                    unit.team = Some(Team((mixed % teams) as u32)).filter(|team| team.0 != 2);
                    unit
                })
                .collect();
            let mut index = SpatialIndex::default();
            index.rebuild(|listing| all.iter().for_each(|&unit| listing.push(unit)));
            for (x, y) in [(0, 0), (30, 20), (59, 44), (-5, 50), (17, 3)] {
                let center = IVec2::new(x, y);
                for radius in [0, 1, 3, 4, 9, 200] {
                    assert_finds_exactly(&index, &all, center, radius);
                    for team in [None, Some(Team(0)), Some(Team(1)), Some(Team(7))] {
                        let expected = all
                            .iter()
                            .filter(|s| {
                                s.team != team && grid_distance(s.position, center) <= radius
                            })
                            .filter(|s| s.id.0 % 4 != 1)
                            .min_by_key(|s| (grid_distance(s.position, center), s.id))
                            .map(|s| s.id);
                        let found = index
                            .nearest_not_in(team, center, radius, |s| s.id.0 % 4 != 1)
                            .map(|s| s.id);
                        assert_eq!(
                            found, expected,
                            "{teams} teams, not {team:?}, {center} {radius}"
                        );
                    }
                }
            }
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

    #[test]
    fn distance_counts_diagonal_steps_once() {
        assert_eq!(grid_distance(IVec2::ZERO, IVec2::new(3, -5)), 5);
        assert_eq!(
            grid_distance(IVec2::new(i32::MIN, 0), IVec2::new(i32::MAX, 0)),
            u32::MAX
        );
    }
}
