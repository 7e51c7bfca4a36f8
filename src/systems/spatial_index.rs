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
}

impl SpatialIndex {
    /// Side of a grid cell, in cells of the world.
    const CELL: i32 = 8;

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
        let buckets = units.len().next_power_of_two().max(64);
        let mask = buckets - 1;
        self.starts.clear();
        self.starts.resize(buckets + 1, 0);
        for sighting in units.iter() {
            self.starts[Self::bucket(Self::grid_cell(sighting.position), mask) + 1] += 1;
        }
        for bucket in 0..buckets {
            self.starts[bucket + 1] += self.starts[bucket];
        }
        self.entries.clear();
        self.entries
            .resize(units.len(), units.first().copied().unwrap_or(PLACEHOLDER));
        // Fill each bucket from its start; `starts[b]` walks forward, then is restored.
        for sighting in units.iter() {
            let bucket = Self::bucket(Self::grid_cell(sighting.position), mask);
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
        if self.entries.is_empty() {
            return;
        }
        let mask = self.starts.len() - 2;
        let radius_cells = radius.min(i32::MAX as u32 / 2) as i32;
        let low = Self::grid_cell(center.saturating_sub(IVec2::splat(radius_cells)));
        let high = Self::grid_cell(center.saturating_add(IVec2::splat(radius_cells)));
        for cell_y in low.y..=high.y {
            for cell_x in low.x..=high.x {
                let cell = IVec2::new(cell_x, cell_y);
                let bucket = Self::bucket(cell, mask);
                let range = self.starts[bucket] as usize..self.starts[bucket + 1] as usize;
                for sighting in &self.entries[range] {
                    // Other cells share buckets: keep only this cell's units.
                    if Self::grid_cell(sighting.position) == cell
                        && grid_distance(sighting.position, center) <= radius
                    {
                        visit(sighting);
                    }
                }
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

    fn grid_cell(position: IVec2) -> IVec2 {
        IVec2::new(
            position.x.div_euclid(Self::CELL),
            position.y.div_euclid(Self::CELL),
        )
    }

    fn bucket(cell: IVec2, mask: usize) -> usize {
        // A multiplicative hash of both coordinates; any mix works, collisions are filtered.
        let mixed = (cell.x as u32 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ (cell.y as u32 as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        ((mixed >> 32) as usize) & mask
    }
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
        assert_eq!(
            index.get(UnitId(21)).unwrap().position,
            IVec2::new(-27, -27)
        );
        assert!(index.get(UnitId(400)).is_none());
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
