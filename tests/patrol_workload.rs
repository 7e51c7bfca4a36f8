//! The benchmark's patrol workload is one workload: all five ways of running it put every unit on
//! the same cell, tick after tick, so their timings compare like with like.

#[path = "../benches/workload/mod.rs"]
mod workload;

use tickweave::prelude::{IVec2, ivec2};
use workload::{SEED, Variant, Workload, assert_variants_agree, routes, state_machine};

#[test]
fn every_variant_puts_every_unit_on_the_same_cell_every_tick() {
    assert_eq!(Workload::Patrol.kinds().len(), 5);
    let starts: Vec<_> = routes(300, SEED).iter().map(|[first, _]| *first).collect();
    assert_variants_agree(Workload::Patrol, 300, &starts, 250);
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
    let mut machine = state_machine(&[[ivec2(-2, 0), ivec2(2, 1)]]);
    let cells: Vec<IVec2> = (0..9)
        .map(|_| {
            machine.step();
            machine.positions()[0]
        })
        .collect();
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
    assert_eq!(cells, expected.map(|(x, y)| ivec2(x, y)));
}
