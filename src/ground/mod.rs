//! Small value types of the grid that behaviours, systems and scenarios all use: routes, areas,
//! distances, sightings, signal recipients. They import nothing of the layers above them.

mod area;
mod grid;
mod route;
mod signal;

pub use area::Area;
pub use grid::{Sighting, grid_distance};
pub(crate) use route::Serial;
pub use route::{Route, RouteError};
pub(crate) use signal::Envelope;
pub use signal::Recipient;
