//! The benchmark's errand workload: tickweave's `goto` and `wait` keep the tick semantics the
//! hand-written state machine reproduces, measured here rather than assumed, and both variants
//! put every unit on the same cell, tick after tick.

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::sync::{Arc, Mutex};
use tickweave::prelude::*;
use workload::{
    ErrandRoute, MAX_WAIT, SEED, Variant, Workload, assert_variants_agree, errand_routes,
    errand_state_machine,
};

/// What a behaviour noted, and on which tick's poll.
type Log = Arc<Mutex<Vec<(&'static str, u64)>>>;

fn note(log: &Log, what: &'static str) {
    log.lock().unwrap().push((what, unit::tick()));
}

/// Steps `sim` through `ticks` ticks and returns where `unit` stands after each.
fn cells_per_tick(sim: &mut Simulation, unit: bevy_ecs::entity::Entity, ticks: u64) -> Vec<IVec2> {
    (0..ticks)
        .map(|_| {
            sim.step();
            sim.position(unit).unwrap()
        })
        .collect()
}

#[test]
fn goto_and_wait_resume_on_the_ticks_the_state_machine_assumes() {
    let mut sim = Simulation::new(0);
    let log = Log::default();
    let unit = sim.spawn("u", ivec2(0, 0), {
        let log = log.clone();
        async move {
            note(&log, "start"); // spawned before tick 1: first polled on tick 1
            goto(ivec2(3, 1)).await; // first polled on tick 1, 3 steps: returns on tick 4
            note(&log, "at (3, 1)");
            wait(5).await; // first polled on tick 4: resumes on tick 9
            note(&log, "waited 5");
            goto(ivec2(3, 1)).await; // already there: returns in the same poll
            note(&log, "at (3, 1) again");
            goto(ivec2(1, 1)).await; // first polled on tick 9, 2 steps: returns on tick 11
            note(&log, "at (1, 1)");
            wait(1).await; // first polled on tick 11: resumes on tick 12
            note(&log, "waited 1");
            goto(ivec2(1, 2)).await; // first polled on tick 12, 1 step: returns on tick 13
            note(&log, "at (1, 2)");
        }
    });
    let cells = cells_per_tick(&mut sim, unit, 13);
    assert_eq!(
        *log.lock().unwrap(),
        [
            ("start", 1),
            ("at (3, 1)", 4),
            ("waited 5", 9),
            ("at (3, 1) again", 9),
            ("at (1, 1)", 11),
            ("waited 1", 12),
            ("at (1, 2)", 13),
        ]
    );
    // A `goto` first polled on tick t from d steps away steps on ticks t..t + d: it stands on
    // its target at the end of tick t + d - 1, one tick before its `.await` returns.
    let expected = [
        (1, 1), // tick 1: first step
        (2, 1),
        (3, 1), // tick 3 = 1 + 3 - 1: arrived
        (3, 1), // tick 4: the goto returns, the wait starts
        (3, 1),
        (3, 1),
        (3, 1),
        (3, 1),
        (2, 1), // tick 9: the wait ends and the next goto steps in the same tick
        (1, 1), // tick 10 = 9 + 2 - 1: arrived
        (1, 1), // tick 11: the goto returns, wait(1) starts
        (1, 2), // tick 12: the wait ends, the last goto steps and arrives
        (1, 2),
    ];
    assert_eq!(cells, expected.map(|(x, y)| ivec2(x, y)));
}

/// The errand with each return from `goto` and `wait` noted.
async fn noted_errand(route: ErrandRoute, log: Log) {
    loop {
        for (&waypoint, &ticks) in route.waypoints.iter().zip(&route.waits) {
            goto(waypoint).await;
            note(&log, "arrived");
            wait(ticks).await;
            note(&log, "waited");
        }
    }
}

/// Steps between two cells when a step may be diagonal.
fn steps(a: IVec2, b: IVec2) -> u64 {
    u64::from((a - b).abs().max_element().unsigned_abs())
}

#[test]
fn seeded_errands_arrive_and_resume_where_the_model_says() {
    const TICKS: u64 = 400;
    for route in errand_routes(40, SEED + 1) {
        let mut sim = Simulation::new(0);
        let log = Log::default();
        sim.spawn("u", route.waypoints[0], noted_errand(route, log.clone()));
        sim.run(TICKS);

        // The model: a goto first polled on tick t from d steps away returns on tick t + d, the
        // wait(k) after it, first polled then, returns on tick t + d + k.
        let mut expected = vec![];
        let (mut tick, mut here) = (1, route.waypoints[0]);
        'model: loop {
            for (&waypoint, &ticks) in route.waypoints.iter().zip(&route.waits) {
                tick += steps(here, waypoint);
                here = waypoint;
                for (what, on) in [("arrived", tick), ("waited", tick + ticks)] {
                    if on > TICKS {
                        break 'model;
                    }
                    expected.push((what, on));
                }
                tick += ticks;
            }
        }
        assert_eq!(*log.lock().unwrap(), expected, "{route:?}");
    }
}

#[test]
fn the_errand_state_machine_walks_the_cells_tickweave_walks() {
    let route = ErrandRoute {
        waypoints: [ivec2(0, 0), ivec2(2, 1), ivec2(2, -1), ivec2(-1, 0)],
        waits: [2, 1, 3, 1],
    };
    let expected = [
        (0, 0), // tick 1: on the first waypoint already; wait(2) starts
        (0, 0),
        (1, 1), // tick 3: the wait ends, the walk to (2, 1) steps
        (2, 1), // tick 4: there
        (2, 1), // tick 5: goto returns, wait(1) starts
        (2, 0), // tick 6: off to (2, -1)
        (2, -1),
        (2, -1), // tick 8: wait(3) starts
        (2, -1),
        (2, -1),
        (1, 0), // tick 11: off to (-1, 0)
        (0, 0),
        (-1, 0),
        (-1, 0), // tick 14: wait(1) starts
        (0, 0),  // tick 15: back to the first waypoint, one step
        (0, 0),  // tick 16: wait(2) starts
        (0, 0),
        (1, 1), // tick 18: the second round
        (2, 1),
    ]
    .map(|(x, y)| ivec2(x, y));

    let mut machine = errand_state_machine(&[route]);
    let machine_cells: Vec<IVec2> = (0..expected.len())
        .map(|_| {
            machine.step();
            machine.positions()[0]
        })
        .collect();
    assert_eq!(machine_cells, expected, "errand_state_machine");

    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", route.waypoints[0], workload::errand(route));
    let tickweave_cells = cells_per_tick(&mut sim, unit, expected.len() as u64);
    assert_eq!(tickweave_cells, expected, "tickweave");
}

#[test]
fn every_variant_puts_every_unit_on_the_same_cell_every_tick() {
    assert_eq!(Workload::Errand.kinds().len(), 2);
    let starts: Vec<_> = errand_routes(300, SEED)
        .iter()
        .map(|route| route.waypoints[0])
        .collect();
    // Long enough for every unit to go round its errand at least once (at most 4 × (100 + 20)
    // ticks), so every leg and every wait is checked.
    assert_variants_agree(Workload::Errand, 300, &starts, 500);
}

#[test]
fn errands_are_seeded_distinct_and_on_the_grid() {
    let first = errand_routes(1_000, SEED);
    assert_eq!(first, errand_routes(1_000, SEED), "same seed, same routes");
    assert_ne!(first, errand_routes(1_000, SEED + 1));
    for ErrandRoute { waypoints, waits } in first {
        for leg in 0..4 {
            assert_ne!(waypoints[leg], waypoints[(leg + 1) % 4], "{waypoints:?}");
            assert!(waypoints[leg].abs().max_element() <= workload::EXTENT);
            assert!((1..=MAX_WAIT).contains(&waits[leg]));
        }
    }
}
