//! A guard behaviour written top to bottom in plain Rust.
//!
//! The guard patrols between two posts. Each tick it looks for a unit of another team within
//! 4 steps. When it sees one it chases it — two steps, then a tick to catch its breath — racing
//! the chase against losing sight of it for 3 ticks in a row: a caught intruder is removed, an
//! intruder that got away is let go. Either way the guard goes back to its patrol, heading for
//! the post it was walking to.
//!
//! Two intruders cross the field: one walks straight past the guard and is caught; the other
//! shows itself, then runs straight away and escapes. The program prints, every tick, where everyone is and what
//! the guard is doing (its activity stack).
#![allow(clippy::print_stdout, reason = "an example prints what happens")]

use tickweave::prelude::*;

/// Patrols `posts`; chases intruders it sees within `sight`; returns to the patrol.
async fn guard(posts: Route, sight: u32) {
    let mut rounds = patrol(posts);
    let my_team = unit::team();
    loop {
        // Walk the patrol, one tick at a time, until someone of another team is in sight.
        let intruder = loop {
            if let Some(seen) = nearest(|other| other.team != my_team, sight) {
                break seen.id;
            }
            let _ = race(&mut rounds, next_tick()).await;
        };
        // Chase it, unless it stays out of sight for 3 ticks in a row.
        let lose_sight = label("losing sight", async {
            let mut unseen = 0;
            while unseen < 3 {
                match distance_to(intruder) {
                    Ok(distance) if distance <= sight => unseen = 0,
                    _ => unseen += 1,
                }
                next_tick().await;
            }
        });
        let run_down = label("chase", async {
            loop {
                match timeout(2, chase(intruder)).await {
                    Ok(result) => break result,
                    Err(TimedOut { .. }) => label("catching breath", wait(1)).await,
                }
            }
        });
        match race(run_down, lose_sight).await {
            Winner::First(Ok(())) => {
                let _ = despawn_and_tally(intruder, "caught"); // gone already: nothing to do
                next_tick().await; // the catch takes the rest of the tick
            }
            Winner::First(Err(Despawned { .. })) => {}
            Winner::Second(()) => tally("escaped"),
        }
    }
}

fn main() -> Result<(), RouteError> {
    let mut sim = Simulation::new(1);
    sim.enable_sensing();
    let posts = Route::new([ivec2(-6, 0), ivec2(6, 0)])?;
    let guard_unit = sim.spawn_in_team("guard", Team(0), ivec2(0, 0), guard(posts, 4));
    sim.spawn_in_team("careless", Team(1), ivec2(-12, 3), goto(ivec2(12, 3)));
    sim.spawn_in_team("wary", Team(1), ivec2(14, -3), async {
        wait(15).await;
        goto(ivec2(9, -4)).await; // comes into sight...
        goto(ivec2(30, -4)).await; // ...and runs straight away
    });

    for _ in 0..30 {
        sim.step();
        let tick = sim.tick();
        let cells: Vec<String> = sim
            .units()
            .iter()
            .map(|unit| format!("{} ({},{})", unit.name, unit.position.x, unit.position.y))
            .collect();
        let doing = sim
            .activity(guard_unit)
            .map(ToString::to_string)
            .unwrap_or_default();
        println!("tick {tick:>2}  {:<48}  guard: {doing}", cells.join("  "));
    }
    println!(
        "caught {}, escaped {}",
        sim.tallies().get("caught"),
        sim.tallies().get("escaped")
    );
    Ok(())
}
