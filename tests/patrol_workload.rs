//! The benchmark workload is one workload: all four ways of running it put every unit on the
//! same cell, tick after tick, so their timings compare like with like.

#[path = "../benches/workload/mod.rs"]
mod workload;

use workload::{Kind, SEED, routes};

#[test]
fn every_variant_puts_every_unit_on_the_same_cell_every_tick() {
    let routes = routes(300, SEED);
    let mut variants: Vec<_> = Kind::ALL.iter().map(|kind| kind.build(&routes)).collect();
    let starts: Vec<_> = routes.iter().map(|[first, _]| *first).collect();
    for (kind, variant) in Kind::ALL.iter().zip(&mut variants) {
        assert_eq!(variant.positions(), starts, "{kind} before the first tick");
    }
    for tick in 1..=250 {
        for variant in &mut variants {
            variant.step();
        }
        let expected = variants[0].positions();
        for (kind, variant) in Kind::ALL.iter().zip(&mut variants).skip(1) {
            assert_eq!(variant.positions(), expected, "{kind} at tick {tick}");
        }
    }
}

#[test]
fn waypoints_are_seeded_distinct_and_on_the_grid() {
    let first = routes(1_000, SEED);
    assert_eq!(first, routes(1_000, SEED), "same seed, same routes");
    assert_ne!(first, routes(1_000, SEED + 1));
    for [a, b] in first {
        assert_ne!(a, b);
        for cell in [a, b] {
            assert!(cell.abs().max_element() <= workload::EXTENT);
        }
    }
}

#[test]
fn the_state_machine_follows_the_tick_contract() {
    // From (-2, 0) toward (2, 1): diagonal first, no tick lost when turning.
    let mut machine = Kind::StateMachine.build(&[[ivec(-2, 0), ivec(2, 1)]]);
    let mut xs = vec![];
    for _ in 0..9 {
        machine.step();
        xs.push(machine.positions()[0]);
    }
    let expected = [
        (-1, 1),
        (0, 1),
        (1, 1),
        (2, 1),
        (1, 0),
        (0, 0),
        (-1, 0),
        (-2, 0),
        (-1, 1),
    ];
    assert_eq!(xs, expected.map(|(x, y)| ivec(x, y)));
}

fn ivec(x: i32, y: i32) -> tickweave::prelude::IVec2 {
    tickweave::prelude::ivec2(x, y)
}
