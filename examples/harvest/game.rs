//! The harvest game: its components, resources, behaviours and setup, shared by
//! `examples/harvest.rs` and `tests/harvest.rs`.
//!
//! Ore deposits are plain entities (a [`Deposit`] cell and its [`Ore`]); workers are units whose
//! behaviour is [`worker`]. A worker walks to the nearest deposit that still has ore, mines one
//! ore a tick into its [`Cargo`] until it carries [`CAPACITY`], walks home and adds the load to
//! the [`Stockpile`]. Every [`HIRE_EVERY`] ore in the stockpile pays for one more worker (up to
//! [`MAX_WORKERS`]), spawned by the worker whose delivery crossed the mark. When no deposit has
//! ore left, workers bring home what they carry and stop.
//!
//! Exact accounting, whatever order units are polled in: every read sees the world as it stood
//! when Think began, so two workers at one deposit may both see its last ore. The ore therefore
//! moves inside Act, in one [`ecs::apply`] closure per dig or delivery, applied in its turn among
//! the writes (by unit id, then in the order issued) to the world as it stands then: a dig takes
//! `min(1, what is left now)` from the deposit, adds exactly that to the worker's own cargo and,
//! if that was the last ore, despawns the deposit; a delivery moves the whole cargo into the
//! stockpile and reports which hiring mark, if any, it crossed. The closure's result reaches the
//! behaviour on the next tick. Between ticks, every ore is in a deposit, in a cargo or in the
//! stockpile.

#![allow(
    dead_code,
    reason = "shared by the harvest example and its test; each uses a different part"
)]

use bevy_ecs::prelude::*;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use tickweave::prelude::*;

/// Where the stockpile stands; workers start here and bring their ore here.
pub const HOME: IVec2 = IVec2::ZERO;
/// How many deposits the map has.
pub const DEPOSITS: usize = 8;
/// Deposits lie within this many cells of home on each axis.
pub const EXTENT: i32 = 10;
/// Workers at the start.
pub const FIRST_WORKERS: u32 = 2;
/// Ore a worker carries at most.
pub const CAPACITY: u32 = 4;
/// One more worker for every this many ore in the stockpile.
pub const HIRE_EVERY: u32 = 20;
/// Workers at most.
pub const MAX_WORKERS: u32 = 6;

// A delivery carries less than `HIRE_EVERY`, so it crosses at most one hiring mark.
const _: () = assert!(CAPACITY < HIRE_EVERY);

/// Ore still in the ground, on a deposit entity.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ore(pub u32);

/// A deposit's cell. Deposits are not units: they have no behaviour and never move.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deposit {
    /// Where it lies.
    pub cell: IVec2,
}

/// Ore a worker carries (every worker has one).
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cargo(pub u32);

/// Ore delivered home.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stockpile(pub u32);

/// Who hired whom, in the order the hires were applied.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct Hires(pub Vec<Hire>);

/// One hire: a worker's delivery crossed a mark and it spawned `hired`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hire {
    /// The worker that hired.
    pub by: UnitId,
    /// The new worker.
    pub hired: UnitId,
}

/// What a worker's behaviour can fail with (a setup mistake, such as a missing resource).
pub type Failure = Box<dyn Error + Send + Sync>;

/// A worker's behaviour, boxed: a worker hires workers, so its future would contain its own
/// type, and Rust cannot prove such an `async fn` is `Send` (spawning requires it) unless boxed.
pub type WorkerBehavior = Pin<Box<dyn Future<Output = Result<(), Failure>> + Send>>;

/// The game for `seed`: `DEPOSITS` deposits whose cells and ore are drawn from the seed, and
/// `FIRST_WORKERS` workers at home.
pub fn setup(seed: u64) -> Simulation {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut cells = Vec::with_capacity(DEPOSITS);
    while cells.len() < DEPOSITS {
        let cell = ivec2(
            rng.random_range(-EXTENT..=EXTENT),
            rng.random_range(-EXTENT..=EXTENT),
        );
        if cell != HOME && !cells.contains(&cell) {
            cells.push(cell);
        }
    }
    let deposits: Vec<_> = cells
        .into_iter()
        .map(|cell| (cell, rng.random_range(8..=20)))
        .collect();
    setup_with(seed, &deposits, FIRST_WORKERS)
}

/// A game with these deposits (cell, ore) and `workers` workers at home.
pub fn setup_with(seed: u64, deposits: &[(IVec2, u32)], workers: u32) -> Simulation {
    let mut sim = Simulation::new(seed);
    let world = sim.world_mut();
    world.init_resource::<Stockpile>();
    world.init_resource::<Hires>();
    for &(cell, ore) in deposits {
        world.spawn((Deposit { cell }, Ore(ore)));
    }
    for index in 0..workers {
        let unit = sim.spawn(format!("w{index}"), HOME, worker());
        sim.world_mut().entity_mut(unit).insert(Cargo(0));
    }
    sim
}

/// A worker: mine, carry home, repeat while any deposit has ore; then bring home the rest.
pub fn worker() -> WorkerBehavior {
    Box::pin(async {
        loop {
            let Some((deposit, cell)) = nearest_deposit(unit::position())? else {
                deliver().await?;
                return Ok(());
            };
            // Walk there, unless it runs dry (or is gone) first: then choose again.
            let dried_up = wait_until(move || !has_ore(deposit));
            if let Winner::Second(()) = race(goto(cell), dried_up).await {
                continue;
            }
            mine(deposit).await?;
            if unit::get::<Cargo>()?.0 >= CAPACITY {
                deliver().await?;
            }
        }
    })
}

/// The nearest deposit with ore left, as the world stood when Think began; ties go to the lower
/// cell (x, then y), never to entity order.
fn nearest_deposit(from: IVec2) -> Result<Option<(Entity, IVec2)>, ecs::ReadError> {
    ecs::query(|deposits: Query<(Entity, &Deposit, &Ore)>| {
        deposits
            .iter()
            .filter(|(_, _, ore)| ore.0 > 0)
            .map(|(entity, deposit, _)| (entity, deposit.cell))
            .min_by_key(|&(_, cell)| (grid_distance(from, cell), cell.x, cell.y))
    })
}

/// Whether `deposit` still exists and has ore (as the tick began).
fn has_ore(deposit: Entity) -> bool {
    ecs::with(deposit, |ore: &Ore| ore.0 > 0).unwrap_or(false)
}

/// Mines `deposit`, one ore a tick, until the cargo is full or the deposit is worked out.
async fn mine(deposit: Entity) -> Result<(), Failure> {
    let me = unit::entity();
    while unit::get::<Cargo>()?.0 < CAPACITY && has_ore(deposit) {
        // Applied in Act; its result arrives on the next tick, with the cargo it filled.
        let left = ecs::apply(move |world: &mut World| dig(world, deposit, me)).await?;
        if left == 0 {
            return Ok(());
        }
    }
    Ok(())
}

/// One dig, in Act: takes one ore from `deposit` — none if earlier writes of this Act took its
/// last — puts it in `worker`'s cargo, and despawns the deposit once it is empty. Returns the ore
/// left in it.
fn dig(world: &mut World, deposit: Entity, worker: Entity) -> u32 {
    // Gone: another worker took its last ore earlier in this Act.
    let Some(&Ore(ore)) = world.get::<Ore>(deposit) else {
        return 0;
    };
    let taken = ore.min(1);
    let mut cargo = world
        .get_mut::<Cargo>(worker)
        .expect("every worker has a cargo");
    cargo.0 += taken;
    let left = ore - taken;
    if left == 0 {
        world.despawn(deposit);
    } else {
        world.get_mut::<Ore>(deposit).expect("read just above").0 = left;
    }
    left
}

/// Walks home and adds the cargo to the stockpile; if that crosses a hiring mark, hires.
async fn deliver() -> Result<(), Failure> {
    goto(HOME).await;
    if unit::get::<Cargo>()?.0 == 0 {
        return Ok(());
    }
    let me = unit::entity();
    let mark = ecs::apply(move |world: &mut World| store(world, me))
        .await? // the next tick: the stockpile has it
        .ok_or("the game has no stockpile")?;
    // Hire while there is room for another worker and ore left for it to mine.
    let ore_left = nearest_deposit(HOME)?.is_some();
    if mark > 0 && FIRST_WORKERS + mark <= MAX_WORKERS && ore_left {
        hire(mark).await?;
    }
    Ok(())
}

/// One delivery, in Act: moves `worker`'s whole cargo into the stockpile. Returns the hiring mark
/// it crossed (the stockpile's `n`-th multiple of [`HIRE_EVERY`]), 0 if none; `None` if there
/// is no stockpile (then the cargo stays where it is).
fn store(world: &mut World, worker: Entity) -> Option<u32> {
    let before = world.get_resource::<Stockpile>()?.0;
    let load = std::mem::take(&mut world.get_mut::<Cargo>(worker)?.0);
    let after = before + load;
    world.resource_mut::<Stockpile>().0 = after;
    let mark = after / HIRE_EVERY;
    Some(if mark > before / HIRE_EVERY { mark } else { 0 })
}

/// Spawns the worker paid for by the stockpile's `mark`-th mark, and records who hired it.
async fn hire(mark: u32) -> Result<(), Failure> {
    let name = format!("w{}", FIRST_WORKERS + mark - 1);
    let hired = ecs::spawn_with(Cargo(0), name, HOME, worker()).await?;
    let by = unit::id();
    ecs::modify_resource::<Hires>(move |hires| {
        hires.0.push(Hire {
            by,
            hired: hired.id,
        });
    });
    Ok(())
}

/// The state of the game between ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Census {
    /// The tick just run.
    pub tick: u64,
    /// Workers.
    pub workers: u32,
    /// Deposits not yet despawned.
    pub deposits: u32,
    /// Ore in those deposits.
    pub in_ground: u32,
    /// Ore the workers carry.
    pub carried: u32,
    /// Ore in the stockpile.
    pub stockpile: u32,
}

impl Census {
    /// The column names of [`Census::row`].
    pub const HEADER: &str = "tick  workers  deposits  in ground  carried  stockpile";

    /// Counts the world as it stands.
    pub fn take(sim: &mut Simulation) -> Self {
        let tick = sim.tick();
        let world = sim.world_mut();
        let (mut deposits, mut in_ground) = (0, 0);
        for ore in world.query_filtered::<&Ore, With<Deposit>>().iter(world) {
            deposits += 1;
            in_ground += ore.0;
        }
        let (mut workers, mut carried) = (0, 0);
        for cargo in world.query::<&Cargo>().iter(world) {
            workers += 1;
            carried += cargo.0;
        }
        Census {
            tick,
            workers,
            deposits,
            in_ground,
            carried,
            stockpile: world.resource::<Stockpile>().0,
        }
    }

    /// All the ore there is: it only moves.
    pub fn total(&self) -> u32 {
        self.in_ground + self.carried + self.stockpile
    }

    /// One line of the summary table.
    pub fn row(&self) -> String {
        format!(
            "{:>4}  {:>7}  {:>8}  {:>9}  {:>7}  {:>9}",
            self.tick, self.workers, self.deposits, self.in_ground, self.carried, self.stockpile
        )
    }
}
