//! Cells, areas and routes: fixed cells inside the world, `Random` only in a group, and every
//! rule a drawn route relies on checked for every mix of `Random` and fixed waypoints.

use glam::IVec2;

use super::super::template::{Drawn, random_route};
use super::Checker;
use crate::behaviors::game::Area;
use crate::ground::{Route, RouteError};
use crate::scenario::limits::{MAX_COORDINATE, MAX_LIST};
use crate::scenario::{AreaSpec, CellSpec};

impl Checker<'_> {
    /// An area: fixed corners inside the world (or, for the world itself, inside the limits).
    pub(super) fn area(&mut self, area: &AreaSpec, path: &str, in_world: bool) -> Option<Area> {
        let from = self.corner(area.from, format!("{path}.from"), in_world);
        let to = self.corner(area.to, format!("{path}.to"), in_world);
        Some(Area::new(from?, to?))
    }

    fn corner(&mut self, cell: CellSpec, path: String, in_world: bool) -> Option<IVec2> {
        match cell {
            CellSpec::Random => {
                self.problem(path, "an area's corners are cells `(x, y)`, not `Random`");
                None
            }
            CellSpec::At(x, y) if in_world => self.inside(IVec2::new(x, y), path),
            CellSpec::At(x, y) => {
                let cell = IVec2::new(x, y);
                // `unsigned_abs`: the absolute value of `i32::MIN` does not fit an `i32`.
                if x.unsigned_abs().max(y.unsigned_abs()) > MAX_COORDINATE.unsigned_abs() {
                    self.problem(
                        path,
                        format!(
                            "({x}, {y}) is beyond the limit: coordinates run from \
                             -{MAX_COORDINATE} to {MAX_COORDINATE}"
                        ),
                    );
                    return None;
                }
                Some(cell)
            }
        }
    }

    /// A fixed cell inside the world.
    fn inside(&mut self, cell: IVec2, path: String) -> Option<IVec2> {
        if self.world.contains(cell) {
            return Some(cell);
        }
        let (min, max) = (self.world.min, self.world.max);
        self.problem(
            path,
            format!(
                "({}, {}) is outside the world, which runs from ({}, {}) to ({}, {})",
                cell.x, cell.y, min.x, min.y, max.x, max.y
            ),
        );
        None
    }

    /// A cell inside the world, or `Random` where `random` (a group's area) allows it.
    pub(super) fn cell(
        &mut self,
        cell: CellSpec,
        path: &str,
        random: Option<Area>,
    ) -> Option<Drawn<IVec2>> {
        match cell {
            CellSpec::At(x, y) => self
                .inside(IVec2::new(x, y), path.to_owned())
                .map(Drawn::Fixed),
            CellSpec::Random if random.is_some() => Some(Drawn::random_cell()),
            CellSpec::Random => {
                self.problem(
                    path.to_owned(),
                    "`Random` is only allowed in a group (`groups: [...]`); write a cell `(x, y)`",
                );
                None
            }
        }
    }

    /// A closed patrol route. Fixed waypoints are checked here; `Random` ones are drawn to
    /// differ from both neighbours (see [`random_route`]), which needs at least two waypoints,
    /// fixed neighbours that differ (the last and the first included) and an area of at least
    /// 3 cells — all checked here.
    pub(super) fn route(
        &mut self,
        waypoints: &[CellSpec],
        path: &str,
        random: Option<Area>,
    ) -> Option<Drawn<Route>> {
        if waypoints.len() > MAX_LIST {
            self.problem(
                path.to_owned(),
                format!(
                    "{} waypoints are more than the limit of {MAX_LIST}",
                    waypoints.len()
                ),
            );
            return None;
        }
        let cells: Vec<Option<Drawn<IVec2>>> = waypoints
            .iter()
            .enumerate()
            .map(|(index, cell)| self.cell(*cell, &format!("{path}[{index}]"), random))
            .collect();
        let cells: Vec<Drawn<IVec2>> = cells.into_iter().collect::<Option<_>>()?;
        let fixed: Vec<Option<IVec2>> = cells.iter().map(|cell| cell.fixed().copied()).collect();
        if fixed.iter().all(Option::is_some) {
            return match Route::new(fixed.into_iter().flatten()) {
                Ok(route) => Some(Drawn::Fixed(route)),
                Err(error) => {
                    self.problem(path.to_owned(), error.to_string());
                    None
                }
            };
        }
        // Some are random: only the fixed neighbours can clash for sure.
        let mut ok = true;
        if fixed.len() < 2 {
            self.problem(
                path.to_owned(),
                RouteError::TooFewWaypoints { found: fixed.len() }.to_string(),
            );
            ok = false;
        }
        for index in 0..fixed.len() {
            let next = (index + 1) % fixed.len();
            if let (Some(cell), Some(after)) = (fixed[index], fixed[next])
                && cell == after
                && index != next
            {
                self.problem(
                    path.to_owned(),
                    RouteError::RepeatedWaypoint { index, next, cell }.to_string(),
                );
                ok = false;
            }
        }
        let area = random.unwrap_or(self.world);
        let size = (area.max - area.min + IVec2::ONE).as_i64vec2();
        if size.x * size.y < 3 {
            self.problem(
                path.to_owned(),
                "`Random` waypoints need a group area of at least 3 cells, so that each can \
                 differ from both of its neighbours",
            );
            ok = false;
        }
        ok.then(|| random_route(fixed))
    }
}
