//! Where a unit stands on the integer grid.

use bevy_ecs::component::Component;
use glam::IVec2;

/// A unit's cell on the 2-D integer grid.
///
/// Movement is one step per tick: each axis moves by the sign of its difference to the target,
/// so a diagonal step changes both coordinates.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Position(pub IVec2);

impl Position {
    /// The cell one step from `self` toward `target` (`self` if already there).
    ///
    /// ```
    /// # use tickweave::prelude::*;
    /// assert_eq!(Position(ivec2(0, 0)).step_toward(ivec2(-3, 7)), Position(ivec2(-1, 1)));
    /// assert_eq!(Position(ivec2(4, 2)).step_toward(ivec2(4, 2)), Position(ivec2(4, 2)));
    /// ```
    #[inline]
    #[must_use]
    pub fn step_toward(self, target: IVec2) -> Self {
        // Branch-free sign of each lane's distance (`i32::signum` on two lanes compiles to more
        // instructions); comparing instead of subtracting cannot overflow.
        let sign = |to: i32, from: i32| (to > from) as i32 - (to < from) as i32;
        let here = self.0;
        Position(here + IVec2::new(sign(target.x, here.x), sign(target.y, here.y)))
    }
}

/// Whether two cells are the same, compared as one 64-bit value.
///
/// `IVec2`'s `==` compares lane by lane with a branch each; units that share one coordinate but
/// not the other are common, so those branches mispredict. One comparison does not.
///
/// ```
/// # use tickweave::components::same_cell;
/// # use tickweave::prelude::*;
/// assert!(same_cell(ivec2(3, -4), ivec2(3, -4)));
/// assert!(!same_cell(ivec2(3, -4), ivec2(3, 4)));
/// ```
#[inline]
pub fn same_cell(a: IVec2, b: IVec2) -> bool {
    let pack = |cell: IVec2| (cell.x as u32 as u64) | ((cell.y as u32 as u64) << 32);
    pack(a) == pack(b)
}

impl From<IVec2> for Position {
    fn from(cell: IVec2) -> Self {
        Position(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_axis_moves_by_the_sign_of_its_distance() {
        let origin = Position(IVec2::ZERO);
        for (target, step) in [
            (IVec2::new(5, 0), IVec2::new(1, 0)),
            (IVec2::new(-5, 2), IVec2::new(-1, 1)),
            (IVec2::new(0, -9), IVec2::new(0, -1)),
            (IVec2::new(i32::MAX, i32::MIN), IVec2::new(1, -1)),
        ] {
            assert_eq!(
                origin.step_toward(target),
                Position(step),
                "toward {target}"
            );
        }
        let corner = Position(IVec2::new(i32::MAX, i32::MIN));
        assert_eq!(
            corner.step_toward(IVec2::new(i32::MIN, i32::MAX)),
            Position(IVec2::new(i32::MAX - 1, i32::MIN + 1))
        );
    }
}
