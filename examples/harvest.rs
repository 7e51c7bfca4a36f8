//! A harvest game: workers mine ore, carry it home, and the stockpile pays for more workers.
//!
//! Eight ore deposits lie around home, each a plain entity with a cell and some ore (both drawn
//! from the seed). Two workers start at home. Each tick a worker does one thing: steps toward
//! the nearest deposit that still has ore (choosing again if it runs dry on the way), mines one
//! ore into its cargo, steps toward home, or empties its cargo into the stockpile. A worker
//! carries at most 4 ore; whoever takes a deposit's last ore despawns it. Every 20 ore in the
//! stockpile, the worker whose delivery crossed the mark hires another worker (up to 6). When
//! no deposit has ore left, the workers bring home what they carry and stop.
//!
//! The program prints a line for each tick on which a delivery, a worked-out deposit or a hire
//! happened, then the workers and the stockpile at the end. A hire is listed the tick after the
//! new worker appears: its hirer learns the new unit's id when the spawn's handle resolves.
//!
//! `cargo run --example harvest -- [--seed N (7)] [--ticks N (200)]`
#![allow(clippy::print_stdout, reason = "an example prints what happens")]
#![allow(clippy::print_stderr, reason = "argument errors go to stderr")]

#[path = "harvest/game.rs"]
mod game;

use bevy_ecs::prelude::*;
use game::{Cargo, Census, Deposit, Hires};
use std::collections::BTreeMap;
use std::process::ExitCode;
use tickweave::prelude::*;

const USAGE: &str = "usage: harvest [--seed N (7)] [--ticks N (200)]";

struct Options {
    seed: u64,
    ticks: u64,
}

fn parse_options() -> Result<Option<Options>, String> {
    let mut options = Options {
        seed: 7,
        ticks: 200,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let value = args.next().ok_or(format!("{name} needs a value"))?;
            value
                .parse()
                .map_err(|_| format!("{name}: expected a whole number, not `{value}`"))
        };
        match arg.as_str() {
            "--seed" => options.seed = number("--seed")?,
            "--ticks" => options.ticks = number("--ticks")?,
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(Some(options))
}

/// What each worker carries, which deposits are left and how many hires there were: two
/// snapshots say what happened between them.
struct Snapshot {
    cargo: BTreeMap<UnitId, (String, u32)>,
    deposits: BTreeMap<Entity, IVec2>,
    hires: usize,
}

impl Snapshot {
    fn take(sim: &mut Simulation) -> Self {
        let world = sim.world_mut();
        let cargo = world
            .query::<(&UnitId, &UnitName, &Cargo)>()
            .iter(world)
            .map(|(&id, name, cargo)| (id, (name.to_string(), cargo.0)))
            .collect();
        let deposits = world
            .query::<(Entity, &Deposit)>()
            .iter(world)
            .map(|(entity, deposit)| (entity, deposit.cell))
            .collect();
        let hires = world.resource::<Hires>().0.len();
        Snapshot {
            cargo,
            deposits,
            hires,
        }
    }

    /// What happened between `self` and `now`: deliveries, worked-out deposits, hires.
    fn news(&self, now: &Snapshot, sim: &Simulation) -> Vec<String> {
        let mut news = Vec::new();
        for (id, (name, load)) in &self.cargo {
            if let Some((_, after)) = now.cargo.get(id)
                && after < load
            {
                news.push(format!("{name} delivered {}", load - after));
            }
        }
        for (entity, cell) in &self.deposits {
            if !now.deposits.contains_key(entity) {
                news.push(format!("({},{}) worked out", cell.x, cell.y));
            }
        }
        let name = |id: UnitId| now.cargo.get(&id).map_or("?", |(name, _)| name.as_str());
        for hire in &sim.world().resource::<Hires>().0[self.hires..] {
            news.push(format!("{} hired {}", name(hire.by), name(hire.hired)));
        }
        news
    }
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("harvest: {message}");
            return ExitCode::from(2);
        }
    };

    let mut sim = game::setup(options.seed);
    let mut census = Census::take(&mut sim);
    let mut before = Snapshot::take(&mut sim);
    println!(
        "seed {}: {} deposits holding {} ore, {} workers",
        options.seed,
        census.deposits,
        census.total(),
        census.workers
    );
    println!("{}  what happened", Census::HEADER);
    for _ in 0..options.ticks {
        sim.step();
        census = Census::take(&mut sim);
        let after = Snapshot::take(&mut sim);
        let news = before.news(&after, &sim);
        if !news.is_empty() {
            println!("{}  {}", census.row(), news.join(", "));
        }
        before = after;
    }
    let finished = sim
        .units()
        .iter()
        .filter(|unit| unit.state == Some(BehaviorState::Finished))
        .count();
    println!(
        "ore left in the ground: {}, carried: {}; {finished} of {} workers done",
        census.in_ground, census.carried, census.workers
    );
    println!("workers: {}", census.workers);
    println!("stockpile: {}", census.stockpile);
    ExitCode::SUCCESS
}
