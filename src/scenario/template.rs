//! Generated groups: a checked template whose `Random` cells are drawn for each unit.

use glam::IVec2;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::fmt;
use std::sync::Arc;

use super::{BehaviorPlan, UnitPlan};
use crate::behaviors::game::Area;
use crate::components::{Team, decimal};
use crate::ground::Route;

/// A value that is either fixed or drawn for each unit of a group.
pub(crate) enum Drawn<T> {
    /// The same for every unit.
    Fixed(T),
    /// Drawn for each unit.
    Random(Arc<dyn Fn(&mut Draw) -> T + Send + Sync>),
}

impl<T> Clone for Drawn<T>
where
    T: Clone,
{
    fn clone(&self) -> Self {
        match self {
            Drawn::Fixed(value) => Drawn::Fixed(value.clone()),
            Drawn::Random(draw) => Drawn::Random(Arc::clone(draw)),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> Drawn<T> {
    /// The value for the unit `draw` is drawing for.
    pub fn draw(&self, draw: &mut Draw) -> T {
        match self {
            Drawn::Fixed(value) => value.clone(),
            Drawn::Random(make) => make(draw),
        }
    }

    /// The fixed value, if it is one.
    pub fn fixed(&self) -> Option<&T> {
        match self {
            Drawn::Fixed(value) => Some(value),
            Drawn::Random(_) => None,
        }
    }

    /// `f` applied to the value.
    pub fn map<U>(self, f: impl Fn(T) -> U + Send + Sync + 'static) -> Drawn<U> {
        match self {
            Drawn::Fixed(value) => Drawn::Fixed(f(value)),
            Drawn::Random(make) => Drawn::Random(Arc::new(move |draw| f(make(draw)))),
        }
    }

    /// The values of all of `items`, fixed if all of them are.
    pub fn all(items: Vec<Drawn<T>>) -> Drawn<Vec<T>> {
        if items.iter().all(|item| item.fixed().is_some()) {
            return Drawn::Fixed(
                items
                    .into_iter()
                    .filter_map(|item| match item {
                        Drawn::Fixed(value) => Some(value),
                        Drawn::Random(_) => None,
                    })
                    .collect(),
            );
        }
        Drawn::Random(Arc::new(move |draw| {
            items.iter().map(|item| item.draw(draw)).collect()
        }))
    }
}

impl Drawn<IVec2> {
    /// A cell of the group's area, drawn for each unit.
    pub fn random_cell() -> Self {
        Drawn::Random(Arc::new(Draw::cell))
    }
}

/// Draws a route whose `Random` waypoints (`None`) each differ from both neighbours.
///
/// The route is closed, so the first waypoint's neighbours are the second and the *last*. Each
/// random waypoint is drawn to differ from the neighbours known when it is drawn: those before
/// it (already drawn) and the fixed ones after it, the last included; a random neighbour after
/// it is drawn later and avoids it in turn. So every pair of neighbours differs by
/// construction, given what the caller checked: at least two waypoints, fixed neighbours that
/// differ, and an area of at least 3 cells (so that a cell avoiding two others exists).
pub(crate) fn random_route(waypoints: Vec<Option<IVec2>>) -> Drawn<Route> {
    Drawn::Random(Arc::new(move |draw| {
        let count = waypoints.len();
        // Two waypoints (most routes) are drawn in place: no buffer per unit.
        let (mut two, mut more) = ([IVec2::ZERO; 2], Vec::new());
        let cells: &mut [IVec2] = if count <= 2 {
            &mut two[..count]
        } else {
            more.resize(count, IVec2::ZERO);
            &mut more
        };
        for (index, waypoint) in waypoints.iter().enumerate() {
            let cell = match waypoint {
                Some(cell) => *cell,
                None => {
                    let before = match index.checked_sub(1) {
                        Some(before) => Some(cells[before]),
                        // The first follows the last: fixed, or drawn later to avoid this one.
                        None => waypoints[count - 1],
                    };
                    let after = if index + 1 == count {
                        (index > 0).then(|| cells[0])
                    } else {
                        waypoints[index + 1]
                    };
                    loop {
                        let cell = draw.cell();
                        if Some(cell) != before && Some(cell) != after {
                            break cell;
                        }
                    }
                }
            };
            cells[index] = cell;
        }
        Route::new(cells.iter().copied()).unwrap_or_else(|error| {
            unreachable!("drawn waypoints differ from their neighbours, yet: {error}")
        })
    }))
}

/// The source of one unit's random values: a generator of its own, and the group's area.
pub(crate) struct Draw {
    rng: Xoshiro256PlusPlus,
    area: Area,
}

impl Draw {
    /// The draws of unit `index` of a group whose stream is `stream` (see [`GroupPlan`]).
    pub fn new(stream: u64, index: u64, area: Area) -> Self {
        // Spread the index over all bits so that neighbouring units get unrelated seeds;
        // `seed_from_u64` then mixes the seed further.
        let seed = stream ^ index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Draw {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            area,
        }
    }

    /// A cell of the area, every cell equally likely.
    pub fn cell(&mut self) -> IVec2 {
        IVec2::new(
            self.rng.random_range(self.area.min.x..=self.area.max.x),
            self.rng.random_range(self.area.min.y..=self.area.max.y),
        )
    }
}

/// A checked generated group: `count` units named `name0`, `name1`, ...
///
/// Unit `i` draws its `Random` cells from a generator seeded with the scenario's seed, the
/// group's name and `i`, so a seed reproduces every unit, and adding units to a group or
/// adding another group moves none of the others.
#[derive(Clone)]
pub struct GroupPlan {
    /// The units' names start with this.
    pub name: String,
    /// How many units.
    pub count: u64,
    /// Their team, if any.
    pub team: Option<Team>,
    /// Where `Random` cells are drawn from.
    pub area: Area,
    pub(crate) stream: u64,
    pub(crate) position: Drawn<IVec2>,
    pub(crate) behavior: Drawn<BehaviorPlan>,
}

impl GroupPlan {
    /// Unit `index` (from 0) of the group, its random cells drawn.
    pub fn unit(&self, index: u64) -> UnitPlan {
        let (position, behavior) = self.draw(index);
        UnitPlan {
            name: numbered(&self.name, index),
            team: self.team,
            position,
            behavior,
        }
    }

    /// The starting cell and the behaviour of unit `index`, drawn.
    pub(crate) fn draw(&self, index: u64) -> (IVec2, BehaviorPlan) {
        let mut draw = Draw::new(self.stream, index, self.area);
        let position = self.position.draw(&mut draw);
        (position, self.behavior.draw(&mut draw))
    }

    /// Whether each unit draws its own behaviour (it has `Random` cells), rather than sharing
    /// the group's.
    pub(crate) fn behavior_is_drawn(&self) -> bool {
        self.behavior.fixed().is_none()
    }

    /// Every unit of the group, in order, drawn as they are asked for.
    pub fn units(&self) -> impl ExactSizeIterator<Item = UnitPlan> + '_ {
        (0..self.count as usize).map(|index| self.unit(index as u64))
    }
}

/// `prefix` followed by `index` in decimal, allocated once at its exact size (a million names
/// are made when a million units spawn).
fn numbered(prefix: &str, index: u64) -> String {
    let mut buffer = [0u8; 20];
    let digits = decimal(index, &mut buffer);
    let mut name = String::with_capacity(prefix.len() + digits.len());
    name.push_str(prefix);
    name.extend(digits.iter().map(|&digit| char::from(digit)));
    name
}

/// The stream of a group: its units' generators derive from it.
pub(crate) fn stream(seed: u64, group: &str) -> u64 {
    // FNV-1a: stable across platforms and versions, unlike the standard hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in group.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    seed ^ hash
}

impl fmt::Debug for GroupPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupPlan")
            .field("name", &self.name)
            .field("count", &self.count)
            .field("team", &self.team)
            .field("area", &self.area)
            .field("first", &self.unit(0))
            .finish_non_exhaustive()
    }
}

impl PartialEq for GroupPlan {
    /// Two groups are equal when they make the same units (judged by their first).
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.count == other.count
            && self.team == other.team
            && self.area == other.area
            && self.unit(0) == other.unit(0)
    }
}

impl Eq for GroupPlan {}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> Area {
        Area::new(IVec2::new(0, 0), IVec2::new(2, 0))
    }

    #[test]
    fn random_waypoints_differ_from_their_neighbours() {
        let route = random_route(vec![None, Some(IVec2::new(1, 0)), None, None]);
        for index in 0..200 {
            let route = route.draw(&mut Draw::new(7, index, area()));
            let cells = route.waypoints();
            for (at, cell) in cells.iter().enumerate() {
                assert!(area().contains(*cell));
                assert_ne!(*cell, cells[(at + 1) % cells.len()], "{cells:?}");
            }
        }
    }

    /// Every mix of `Random` and fixed waypoints (of routes up to 5 long, over the 3 cells of
    /// the smallest area allowed) whose fixed neighbours differ draws a valid route for every
    /// unit: the rule the check leaves to the draw holds by construction.
    #[test]
    fn every_mix_of_random_and_fixed_waypoints_draws_a_route() {
        let choices = [
            None,
            Some(IVec2::new(0, 0)),
            Some(IVec2::new(1, 0)),
            Some(IVec2::new(2, 0)),
        ];
        for length in 2..=5u32 {
            for code in 0..choices.len().pow(length) {
                let waypoints: Vec<Option<IVec2>> = (0..length)
                    .map(|at| choices[code / choices.len().pow(at) % choices.len()])
                    .collect();
                let clash = (0..waypoints.len()).any(|at| {
                    let next = waypoints[(at + 1) % waypoints.len()];
                    waypoints[at].is_some() && waypoints[at] == next
                });
                if clash {
                    continue;
                }
                let route = random_route(waypoints.clone());
                for index in 0..20 {
                    let drawn = route.draw(&mut Draw::new(3, index, area()));
                    let cells = drawn.waypoints();
                    for (at, waypoint) in waypoints.iter().enumerate() {
                        assert!(
                            waypoint.is_none_or(|cell| cell == cells[at]),
                            "{waypoints:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn names_are_numbered() {
        assert_eq!(numbered("p", 0), "p0");
        assert_eq!(numbered("scout", 1_000_007), "scout1000007");
        assert_eq!(numbered("", u64::MAX), u64::MAX.to_string());
    }

    #[test]
    fn a_unit_draws_the_same_cells_every_time() {
        let cell = Drawn::random_cell();
        let first = cell.draw(&mut Draw::new(1, 5, area()));
        assert_eq!(cell.draw(&mut Draw::new(1, 5, area())), first);
        let cells: Vec<IVec2> = (0..50)
            .map(|index| cell.draw(&mut Draw::new(1, index, area())))
            .collect();
        assert!(cells.iter().any(|cell| *cell != first), "units differ");
    }
}
