//! A patrol a behaviour stops polling for a while (it raced something that won first) resumes
//! toward the waypoint the unit was heading for when it stopped, whatever order the race polls
//! in: the movement system turned at waypoints meanwhile without polling it.

mod common;

use tickweave::prelude::*;

/// A sentry patrols (0,0)–(4,0) and looks out one step around; an intruder stands at (2,1)
/// from the start of tick `appears` to the end of tick `appears + 1`. The sentry waits two ticks
/// when it sees someone, then patrols on. Returns the sentry's x at the end of each tick 1 to 16.
fn xs(sight_first: bool, appears: u64) -> Vec<i32> {
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    let route = Route::new([ivec2(0, 0), ivec2(4, 0)]).expect("two waypoints");
    let sentry = sim.spawn_in_team("sentry", Team(0), ivec2(0, 0), async move {
        let mut rounds = patrol(route);
        loop {
            if sight_first {
                race(enemy_in_sight(1), &mut rounds).await;
            } else {
                race(&mut rounds, enemy_in_sight(1)).await;
            }
            wait(2).await;
        }
    });
    let mut xs = vec![];
    let mut intruder = None;
    for tick in 1..=16 {
        if tick == appears {
            intruder = Some(sim.spawn_in_team("intruder", Team(1), ivec2(2, 1), async {}));
        }
        sim.step();
        xs.push(sim.position(sentry).expect("the sentry stays").x);
        if tick == appears + 1 {
            sim.despawn(intruder.expect("spawned"));
        }
    }
    xs
}

#[test]
fn a_patrol_left_for_a_race_resumes_toward_the_waypoint_it_was_heading_for() {
    // Seen on the way out (tick 3, from (2,0)): after the wait, on toward (4,0).
    let out = [1, 2, 2, 2, 3, 4, 3, 2, 1, 0, 1, 2, 3, 4, 3, 2];
    // Seen on the way back (tick 6, from (3,0)), after the movement system turned at (4,0)
    // without polling the patrol: after the wait, on toward (0,0), not back to (4,0).
    let back = [1, 2, 3, 4, 3, 3, 3, 2, 1, 0, 1, 2, 3, 4, 3, 2];
    for (appears, expected) in [(3, out), (6, back)] {
        assert_eq!(
            xs(true, appears),
            expected,
            "looking first, seen on tick {appears}"
        );
        assert_eq!(
            xs(false, appears),
            expected,
            "patrolling first, seen on tick {appears}"
        );
    }
}
