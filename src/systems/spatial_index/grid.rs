//! The spatial index's grid: how its cells lie over the units.

use glam::IVec2;

use super::SpatialIndex;

/// How the grid lies over the units: from the lowest corner of the box they stand in, cells of
/// `1 << shift` world cells a side, `width` × `height` of them.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Grid {
    /// The lowest x and y of any unit.
    pub(super) low: IVec2,
    /// The highest x and y of any unit.
    pub(super) high: IVec2,
    pub(super) shift: u32,
    pub(super) width: usize,
    pub(super) height: usize,
}

impl Grid {
    /// The grid for these units: cells of about two units each on average over the box they
    /// stand in, so that a query scans few units however densely they crowd (a fixed side
    /// would scan hundreds where every cell holds one); and never many more cells than units.
    pub(super) fn over(low: IVec2, high: IVec2, units: usize) -> Grid {
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
    pub(super) fn cells(&self) -> usize {
        self.width * self.height
    }

    /// The column and row of the cell holding `position`, which must lie in the units' box.
    pub(super) fn cell_of(&self, position: IVec2) -> (usize, usize) {
        let offset = |at: i32, low: i32| ((i64::from(at) - i64::from(low)) >> self.shift) as usize;
        (
            offset(position.x, self.low.x),
            offset(position.y, self.low.y),
        )
    }

    /// The cell holding `position`, counted row by row.
    pub(super) fn cell(&self, position: IVec2) -> usize {
        let (column, row) = self.cell_of(position);
        row * self.width + column
    }

    /// No unit in ring `ring` of cells around cell `(x, y)`, or further out, is nearer to
    /// `center` than this: each lies beyond the edge of the rings inside it on some side.
    pub(super) fn ring_distance(&self, center: IVec2, (x, y): (usize, usize), ring: usize) -> i64 {
        let side = self.shift;
        let edges = |at: i32, low: i32, cell: usize| {
            let inner_first = i64::from(low) + (((cell as i64) - (ring as i64 - 1)) << side);
            let inner_last = i64::from(low) + (((cell + ring) as i64) << side) - 1;
            let at = i64::from(at);
            (at - inner_first + 1).min(inner_last + 1 - at)
        };
        edges(center.x, self.low.x, x).min(edges(center.y, self.low.y, y))
    }

    /// The fewest steps from `center`, which lies in the block of cells from column and row
    /// `low` to `high`, to any cell outside that block within the grid; `u32::MAX` if the
    /// block covers the grid.
    pub(super) fn outside_distance(
        &self,
        center: IVec2,
        low: (usize, usize),
        high: (usize, usize),
    ) -> u32 {
        let side = |at: i32, origin: i32, low: usize, high: usize, cells: usize| {
            let at = i64::from(at);
            let first = i64::from(origin) + ((low as i64) << self.shift);
            let past = i64::from(origin) + (((high + 1) as i64) << self.shift);
            let below = if low > 0 { at - first + 1 } else { i64::MAX };
            let above = if high + 1 < cells {
                past - at
            } else {
                i64::MAX
            };
            below.min(above)
        };
        let x = side(center.x, self.low.x, low.0, high.0, self.width);
        let y = side(center.y, self.low.y, low.1, high.1, self.height);
        x.min(y).clamp(0, i64::from(u32::MAX)) as u32
    }
}
