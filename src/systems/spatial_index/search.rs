//! Searches of the spatial index: every unit in reach, the nearest one a filter takes, and the
//! look-outs' questions (anyone of another team in sight? how far is the nearest?).

use glam::IVec2;

use super::{Entry, SpatialIndex};
use crate::components::Team;
use crate::ground::{Sighting, grid_distance};

impl SpatialIndex {
    /// Every unit within `radius` steps of `center`, in no particular order.
    pub fn for_each_within(&self, center: IVec2, radius: u32, mut visit: impl FnMut(&Sighting)) {
        let Some(reach) = self.reach(center, radius) else {
            return;
        };
        let mut within = |entry: &Entry| {
            if reach.holds(entry.position) {
                visit(&self.sighting_at(entry.unit as usize));
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
    ) -> Option<Sighting> {
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
    ) -> Option<Sighting> {
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
                        && self.team_at(other.unit as usize) != team
                })
        };
        // A layer of `team` holds no one of another team.
        let searched =
            (0..self.layers.len().max(1)).filter(|&layer| self.layers.get(layer) != Some(&team));
        { searched }.any(|layer| {
            if reach.covers_every_unit {
                return seen(self.layer(layer));
            }
            (reach.low.1..=reach.high.1)
                .any(|row| seen(self.row(layer, row, reach.low.0, reach.high.0)))
        })
    }

    /// A lower bound on how many steps from the unit at `place` the nearest unit not of
    /// `team` stands, at least `bound + 1` unless one stands within `bound`, computed without a
    /// branch a unit: the nearest unit in a layer other than `team`'s among the grid cells the
    /// search reads, or the edge of those cells if that is nearer. `None` when there are no
    /// layers, or the search would read every unit.
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
        // The cells read hold every unit nearer than their edge.
        let mut nearest = self.grid.outside_distance(center, reach.low, reach.high);
        for (layer, &holds) in self.layers.iter().enumerate() {
            if holds == team {
                continue;
            }
            for row in reach.low.1..=reach.high.1 {
                for other in self.row(layer, row, reach.low.0, reach.high.0) {
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
    ) -> Option<Sighting> {
        let reach = self.reach(center, radius)?;
        let layers = || (0..self.layers.len().max(1)).filter(|&layer| searched(layer));
        let mut best = Best {
            center,
            radius,
            index: self,
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
}

/// The nearest unit a query has found so far, and its distance.
struct Best<'a> {
    center: IVec2,
    radius: u32,
    /// The index, whose slots entries name.
    index: &'a SpatialIndex,
    found: Option<(u32, Sighting)>,
}

impl<'a> Best<'a> {
    fn scan(&mut self, entries: &[Entry], accept: &mut impl FnMut(&Sighting) -> bool) {
        for entry in entries {
            let distance = grid_distance(entry.position, self.center);
            if distance > self.radius || self.found.is_some_and(|(nearest, _)| distance > nearest) {
                continue;
            }
            // The sighting only for a unit as near as the nearest so far: ties go by id.
            let sighting = self.index.sighting_at(entry.unit as usize);
            if self
                .found
                .is_none_or(|(nearest, seen)| (distance, sighting.id) < (nearest, seen.id))
                && accept(&sighting)
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

#[cfg(test)]
mod tests {
    use super::super::tests::sighting;
    use super::*;
    use crate::components::UnitId;

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
    fn a_look_out_never_overestimates_how_far_the_nearest_other_team_stands() {
        // Sparse and crowded, two teams and units of none: each unit's bound is at most the
        // true distance, and the distance itself whenever that is within the search.
        for (count, side) in [(300_u64, 400), (2_000, 90), (40, 2_000)] {
            let all: Vec<Sighting> = (0..count)
                .map(|i| {
                    let mixed = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 30;
                    let (x, y) = ((mixed % side) as i32, ((mixed / side) % side) as i32);
                    let mut unit = sighting(i, x - 17, y);
                    unit.team = [None, Some(Team(0)), Some(Team(5))][(mixed % 3) as usize];
                    unit
                })
                .collect();
            let mut index = SpatialIndex::default();
            index.rebuild(|listing| all.iter().for_each(|&unit| listing.push(unit)));
            for unit in &all {
                let place = index.place_of(unit.id).expect("listed");
                let nearest = all
                    .iter()
                    .filter(|other| other.team != unit.team)
                    .map(|other| grid_distance(other.position, unit.position))
                    .min()
                    .unwrap_or(u32::MAX);
                for bound in [0, 3, 12, 40] {
                    let Some(found) = index.other_layers_distance(place, unit.team, bound) else {
                        continue;
                    };
                    assert!(found <= nearest, "{count} units, #{} {bound}", unit.id.0);
                    if nearest <= bound {
                        assert_eq!(found, nearest, "{count} units, #{} {bound}", unit.id.0);
                    } else {
                        assert!(found > bound, "{count} units, #{} {bound}", unit.id.0);
                    }
                }
            }
        }
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
