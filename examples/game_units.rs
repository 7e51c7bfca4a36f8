//! The seed's `game-units` example, written against the library in plain Rust.
//!
//! Two units start at (0, 0). Unit `u0` patrols between (-5, 0) and (5, 0) forever; unit `u1`
//! walks to (12, 0) and stops. Every tick, a walking unit moves one cell toward its target; a
//! patrol turns at a waypoint without losing a tick, and `u1`'s behaviour finishes on the tick
//! after it arrives. The program prints the x coordinate of both units for ticks 0 to 30.
#![allow(clippy::print_stdout, reason = "an example prints its table")]

use tickweave::prelude::*;

fn main() -> Result<(), RouteError> {
    let mut sim = Simulation::new(0);
    let route = Route::new([ivec2(-5, 0), ivec2(5, 0)])?;
    let u0 = sim.spawn("u0", ivec2(0, 0), patrol(route));
    let u1 = sim.spawn("u1", ivec2(0, 0), async {
        goto(ivec2(12, 0)).await;
    });

    println!("tick  u0  u1  u1 behaviour");
    for tick in 0..=30 {
        if tick > 0 {
            sim.step();
        }
        let x = |unit| sim.position(unit).expect("no unit is despawned here").x;
        let state = sim.state(u1).expect("u1 keeps its Behavior component");
        println!("{tick:>4} {:>3} {:>3}  {state:?}", x(u0), x(u1));
    }
    Ok(())
}
