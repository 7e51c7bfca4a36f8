//! The largest values a scenario file may use. Each limit keeps a file from asking for more
//! than the simulator can do (an overflowing coordinate, a sensing query over the whole map, a
//! stack overflow while reading nested behaviours); `docs/scenario-format.md` lists them all.

/// A cell's coordinates lie within `-MAX_COORDINATE..=MAX_COORDINATE` on both axes, and so do
/// the world's bounds.
pub const MAX_COORDINATE: i32 = 1_000_000;

/// The most units a scenario may spawn, listed and generated together. The memory they need
/// must also fit [`MAX_MEMORY`], which for the simplest behaviours allows 5 million.
pub const MAX_UNITS: u64 = 10_000_000;

/// The most memory, in bytes, a scenario may need to run, as estimated from its counts before
/// anything is spawned (about 800 bytes a unit, more for behaviours that run several futures at
/// once or whose plans hold `Random` cells). A scenario estimated above it is refused.
pub const MAX_MEMORY: u64 = 4_000_000_000;

/// The largest scenario file, in bytes (16 MiB). Reading stops there, so a file of any size
/// (or an endless one such as `/dev/zero`) costs at most this much memory to refuse.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The most ticks a number of ticks may say (`ticks`, `Wait`, `Timeout`, `patience`,
/// `max_pause`) and the most times a `Repeat` may run.
pub const MAX_TICKS: u64 = 1_000_000_000;

/// How far a guard may see, in steps: sensing costs grow with the square of the sight.
pub const MAX_SIGHT: u32 = 256;

/// How deeply behaviours may nest inside each other (`Sequence([Repeat(body: ...)])` is 3
/// deep).
pub const MAX_DEPTH: usize = 32;

/// How deeply brackets may nest in the file, whatever they hold; the reader stops there rather
/// than run out of stack.
pub const MAX_BRACKETS: usize = 128;

/// The most items in one list: waypoints of a route, steps of a `Sequence`, branches of a
/// `Race` or `Join`, teams, parameters of a `Named` behaviour.
pub const MAX_LIST: usize = 1_024;

/// The most characters in a name: of the scenario, a unit, a group, a team, a label or a
/// parameter. A group's name and the number of its last unit together make that unit's name,
/// so they are held to it together.
pub const MAX_NAME: usize = 64;
