//! Embedding tickweave in a game's own `World` and `Schedule`.
//!
//! The game installs tickweave, spawns two units with `async` behaviours, and adds its own
//! system ordered after Act, which reads every unit's position each tick (here it prints them;
//! a game would draw them). Each run of the schedule is one tick.
#![allow(clippy::print_stdout, reason = "an example prints what happens")]

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use tickweave::prelude::*;
use tickweave::systems::Tick;

/// The game's own system: runs after Act, so it sees this tick's movement.
fn draw(tick: Res<Tick>, units: Query<(&UnitId, &UnitName, &Position)>) {
    let mut units: Vec<_> = units.iter().collect();
    units.sort_by_key(|(id, ..)| **id); // never rely on entity order
    let line: Vec<String> = units
        .iter()
        .map(|(_, name, position)| format!("{name} at ({}, {})", position.0.x, position.0.y))
        .collect();
    println!("tick {:>2}: {}", tick.get(), line.join(", "));
}

fn main() -> Result<(), RouteError> {
    let mut world = World::new();
    let mut schedule = Schedule::default();
    schedule.set_executor(SingleThreadedExecutor::new());
    Tickweave::new().seed(9).install(&mut world, &mut schedule);
    schedule.add_systems(draw.after(TickPhase::Act));

    let route = Route::new([ivec2(0, 0), ivec2(3, 3)])?;
    spawn_unit(&mut world, "sentry", ivec2(0, 0), patrol(route));
    spawn_unit(&mut world, "runner", ivec2(-4, 0), async {
        goto(ivec2(4, 0)).await;
        wait(2).await;
        goto(ivec2(4, 4)).await;
    });

    for _ in 0..12 {
        schedule.run(&mut world);
        world.clear_trackers();
    }
    Ok(())
}
