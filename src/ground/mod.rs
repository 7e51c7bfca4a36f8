//! Small value types of the grid that behaviours, systems and scenarios all use: routes, areas,
//! distances, sightings, signal recipients. They import nothing of the layers above them.

mod area;
mod grid;
mod recipient;
mod route;

pub use area::Area;
pub use grid::{Sighting, grid_distance};
pub use recipient::Recipient;
pub use route::{Route, RouteError};
