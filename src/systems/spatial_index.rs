//! A uniform grid over the units' cells, rebuilt once per tick in Sense, for sensing queries
//! whose cost follows the number of neighbours rather than the number of units.

use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use glam::IVec2;

use crate::components::UnitId;
use crate::ground::{Sighting, grid_distance};

/// Units bucketed by grid cell; a snapshot of the start of the tick.
///
/// Built in Sense only when sensing is enabled (it costs a pass over every unit per tick).
#[derive(Resource, Debug, Default)]
pub struct SpatialIndex {
    enabled: bool,
    /// Sightings grouped by bucket: bucket `b` holds `entries[starts[b]..starts[b + 1]]`.
    entries: Vec<Sighting>,
    starts: Vec<u32>,
    /// Sightings in unit-id order, for lookups by id.
    by_id: Vec<Sighting>,
    /// Scratch for ordering by id: the index of the unit with id `min + i` at `i`.
    slots: Vec<u32>,
    /// Grid cells are `1 << cell_shift` world cells on a side.
    cell_shift: u32,
}

impl SpatialIndex {
    /// The sides a grid cell may have, as powers of two: from 2 to 64 world cells.
    const SHIFTS: std::ops::RangeInclusive<u32> = 1..=6;

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
            self.by_id.clear();
            self.slots = Vec::new();
        }
    }

    /// Rebuilds the index from every unit; `units` is reused scratch filled by the caller.
    pub(crate) fn rebuild(&mut self, units: &mut Vec<Sighting>) {
        self.order_by_id(units);
        self.cell_shift = Self::cell_shift_for(units);
        let buckets = units.len().next_power_of_two().max(64);
        let mask = buckets - 1;
        self.starts.clear();
        self.starts.resize(buckets + 1, 0);
        for sighting in units.iter() {
            let bucket = Self::bucket(self.grid_cell(sighting.position), mask);
            self.starts[bucket + 1] += 1;
        }
        for bucket in 0..buckets {
            self.starts[bucket + 1] += self.starts[bucket];
        }
        self.entries.clear();
        self.entries
            .resize(units.len(), units.first().copied().unwrap_or(PLACEHOLDER));
        // Fill each bucket from its start; `starts[b]` walks forward, then is restored.
        for sighting in units.iter() {
            let bucket = Self::bucket(self.grid_cell(sighting.position), mask);
            self.entries[self.starts[bucket] as usize] = *sighting;
            self.starts[bucket] += 1;
        }
        for bucket in (1..=buckets).rev() {
            self.starts[bucket] = self.starts[bucket - 1];
        }
        self.starts[0] = 0;
        std::mem::swap(&mut self.by_id, units);
    }

    /// Puts `units` in id order. Ids are usually dense (allocated one after another), so they
    /// are placed by id in linear time; a sort (about 280 instructions a unit at 100,000 units)
    /// is left for ids spread far apart.
    fn order_by_id(&mut self, units: &mut Vec<Sighting>) {
        let Some((low, high)) = units.iter().fold(None, |range: Option<(u64, u64)>, unit| {
            let id = unit.id.0;
            Some(range.map_or((id, id), |(low, high)| (low.min(id), high.max(id))))
        }) else {
            return;
        };
        // Dense enough that the slots cost no more than a few passes over the units.
        let span = (high - low).saturating_add(1);
        if span > 4 * units.len() as u64 || units.len() >= u32::MAX as usize {
            units.sort_unstable_by_key(|sighting| sighting.id);
            return;
        }
        self.slots.clear();
        self.slots.resize(span as usize, u32::MAX);
        for (index, unit) in units.iter().enumerate() {
            self.slots[(unit.id.0 - low) as usize] = index as u32;
        }
        self.by_id.clear();
        self.by_id.extend(
            self.slots
                .iter()
                .filter(|&&index| index != u32::MAX)
                .map(|&index| units[index as usize]),
        );
        std::mem::swap(&mut self.by_id, units);
    }

    /// Every unit within `radius` steps of `center`, in no particular order.
    pub fn for_each_within(&self, center: IVec2, radius: u32, mut visit: impl FnMut(&Sighting)) {
        let Some(query) = self.query(center, radius) else {
            return;
        };
        let Query::Cells { low, high } = query else {
            self.scan_all(center, radius, &mut visit);
            return;
        };
        for cell_y in low.y..=high.y {
            for cell_x in low.x..=high.x {
                self.scan_cell(IVec2::new(cell_x, cell_y), center, radius, &mut visit);
            }
        }
    }

    /// Which grid cells a query of `radius` steps around `center` covers, or `None` if the
    /// index is empty.
    fn query(&self, center: IVec2, radius: u32) -> Option<Query> {
        if self.entries.is_empty() {
            return None;
        }
        let radius_cells = radius.min(i32::MAX as u32 / 2) as i32;
        let low = self.grid_cell(center.saturating_sub(IVec2::splat(radius_cells)));
        let high = self.grid_cell(center.saturating_add(IVec2::splat(radius_cells)));
        // A query wider than the crowd scans every unit instead of every grid cell it covers,
        // so that a huge radius costs one pass over the units, not a pass over empty cells.
        let covered = (i64::from(high.x) - i64::from(low.x) + 1)
            .saturating_mul(i64::from(high.y) - i64::from(low.y) + 1);
        Some(if covered >= self.entries.len() as i64 {
            Query::All
        } else {
            Query::Cells { low, high }
        })
    }

    /// Visits every unit within `radius` steps of `center`.
    fn scan_all(&self, center: IVec2, radius: u32, visit: &mut impl FnMut(&Sighting)) {
        for sighting in &self.entries {
            if grid_distance(sighting.position, center) <= radius {
                visit(sighting);
            }
        }
    }

    /// Visits the units of grid cell `cell` within `radius` steps of `center`.
    fn scan_cell(
        &self,
        cell: IVec2,
        center: IVec2,
        radius: u32,
        visit: &mut impl FnMut(&Sighting),
    ) {
        let bucket = Self::bucket(cell, self.starts.len() - 2);
        let range = self.starts[bucket] as usize..self.starts[bucket + 1] as usize;
        for sighting in &self.entries[range] {
            // Other cells share buckets: keep only this cell's units.
            if self.grid_cell(sighting.position) == cell
                && grid_distance(sighting.position, center) <= radius
            {
                visit(sighting);
            }
        }
    }

    /// The unit with this id, if it existed at the start of the tick.
    pub fn get(&self, id: UnitId) -> Option<&Sighting> {
        self.by_id
            .binary_search_by_key(&id, |sighting| sighting.id)
            .ok()
            .map(|index| &self.by_id[index])
    }

    /// Every unit, in unit-id order.
    pub fn units(&self) -> &[Sighting] {
        &self.by_id
    }

    /// The grid cell's side for these units: about two units to a grid cell on average over
    /// the area they cover, so that a query scans few units however densely they crowd — a
    /// fixed side would scan hundreds of units per query where every cell holds one.
    fn cell_shift_for(units: &[Sighting]) -> u32 {
        let Some(first) = units.first() else {
            return *Self::SHIFTS.end();
        };
        let (low, high) = units
            .iter()
            .fold((first.position, first.position), |(low, high), unit| {
                (low.min(unit.position), high.max(unit.position))
            });
        // In integers, so that every platform lays the grid out alike: the side is about the
        // square root of twice the area a unit, so its logarithm is half the area's.
        let span = |low: i32, high: i32| (i64::from(high) - i64::from(low) + 1) as u128;
        let cells_per_two_units =
            2 * span(low.x, high.x) * span(low.y, high.y) / units.len() as u128;
        let shift = cells_per_two_units
            .checked_ilog2()
            .map_or(0, |log| log.div_ceil(2));
        shift.clamp(*Self::SHIFTS.start(), *Self::SHIFTS.end())
    }

    fn grid_cell(&self, position: IVec2) -> IVec2 {
        // An arithmetic shift floors, as a division of negative cells must.
        IVec2::new(position.x >> self.cell_shift, position.y >> self.cell_shift)
    }

    fn bucket(cell: IVec2, mask: usize) -> usize {
        // A multiplicative hash of both coordinates; any mix works, collisions are filtered.
        let mixed = (cell.x as u32 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ (cell.y as u32 as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        ((mixed >> 32) as usize) & mask
    }
}

/// What a query scans.
enum Query {
    /// Every unit: the query covers more grid cells than there are units.
    All,
    /// The grid cells from `low` to `high`, corners included.
    Cells { low: IVec2, high: IVec2 },
}

const PLACEHOLDER: Sighting = Sighting {
    id: UnitId(0),
    entity: Entity::PLACEHOLDER,
    position: IVec2::ZERO,
    team: None,
};

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut units: Vec<Sighting> = (0..400)
            .map(|i| sighting(i, (i as i32 % 20) * 3 - 30, (i as i32 / 20) * 3 - 30))
            .collect();
        let all = units.clone();
        index.rebuild(&mut units);
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
            index.rebuild(&mut all.clone());
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
                    let mut best: Option<(u32, UnitId)> = None;
                    index.for_each_within(center, radius, |s| {
                        let key = (grid_distance(s.position, center), s.id);
                        if accept(s) && best.is_none_or(|seen| key < seen) {
                            best = Some(key);
                        }
                    });
                    assert_eq!(best.map(|(_, id)| id), nearest, "nearest to {center}");
                }
            }
        }
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
            let mut units: Vec<Sighting> = ids
                .iter()
                .map(|&id| sighting(id, (id % 97) as i32, (id % 89) as i32))
                .collect();
            index.rebuild(&mut units);
            let mut sorted = ids.clone();
            sorted.sort_unstable();
            let listed: Vec<u64> = index.units().iter().map(|s| s.id.0).collect();
            assert_eq!(listed, sorted);
            for &id in &ids {
                assert_eq!(index.get(UnitId(id)).unwrap().id, UnitId(id));
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
