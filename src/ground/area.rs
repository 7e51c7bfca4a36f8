//! `Area`: a rectangle of cells.

use glam::IVec2;

/// A rectangle of cells, corners included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Area {
    /// The corner with the smallest coordinates.
    pub min: IVec2,
    /// The corner with the largest coordinates.
    pub max: IVec2,
}

impl Area {
    /// The area between two corners given in any order.
    pub fn new(a: IVec2, b: IVec2) -> Self {
        Area {
            min: a.min(b),
            max: a.max(b),
        }
    }

    /// Whether `cell` lies inside.
    pub fn contains(&self, cell: IVec2) -> bool {
        cell.cmpge(self.min).all() && cell.cmple(self.max).all()
    }
}
