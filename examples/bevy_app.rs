//! tickweave in a headless Bevy `App`, through `TickweavePlugin` (feature `bevy_plugin`).
//!
//! The plugin runs one tick per run of `Update`. A courier walks to three cells in turn, then
//! its behaviour completes; a game system reads the `BehaviorFinished` message and reports it.
//! The app is updated by hand 12 times (a game would use its runner).
#![allow(clippy::print_stdout, reason = "an example prints what happens")]

use bevy_app::{App, Update};
use bevy_ecs::prelude::*;
use tickweave::TickweavePlugin;
use tickweave::prelude::*;
use tickweave::systems::Tick;

fn report(tick: Res<Tick>, mut finished: MessageReader<BehaviorFinished>) {
    for message in finished.read() {
        println!(
            "tick {}: unit {} {}",
            tick.get(),
            message.unit,
            message.outcome
        );
    }
}

fn main() {
    let mut app = App::new();
    app.add_plugins(TickweavePlugin::new(Update).seed(5))
        .add_systems(Update, report.in_set(TickPhase::Observe));
    let courier = spawn_unit(app.world_mut(), "courier", ivec2(0, 0), async {
        for stop in [ivec2(2, 0), ivec2(2, 2), ivec2(0, 2)] {
            goto(stop).await;
        }
    });
    for _ in 0..12 {
        app.update();
    }
    let position = app
        .world()
        .get::<Position>(courier)
        .expect("the courier exists");
    println!("the courier ended at ({}, {})", position.0.x, position.0.y);
}
