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
        let d = target - self.0;
        // Branch-free sign per lane: `i32::signum` on two lanes compiles to more instructions.
        let sign = |v: i32| (v > 0) as i32 - (v < 0) as i32;
        Position(self.0 + IVec2::new(sign(d.x), sign(d.y)))
    }
}

impl From<IVec2> for Position {
    fn from(cell: IVec2) -> Self {
        Position(cell)
    }
}
