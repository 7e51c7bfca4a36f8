//! `cargo bench`: one tick of the patrol and errand workloads, per variant, at 1,000 and 100,000
//! units.
//!
//! The workloads and their variants (patrol: `state_machine`, `tickweave`, `sale`, `naive`,
//! `polled`; errand: `errand_state_machine`, `errand`) are the ones of `examples/compare.rs`,
//! from the shared `benches/workload/mod.rs`. Each benchmark builds its units, runs 200 warm-up
//! ticks so that every unit is mid-route, then times single ticks. Divan reports the time per
//! tick, units per second (divide 10⁹ by it for nanoseconds per unit-tick) and the allocations
//! per tick. The compare example interleaves the variants in one process and is the better
//! instrument for ratios; these benches track each variant alone.
//!
//! ```sh
//! cargo bench --bench patrol
//! cargo bench --bench patrol -- tickweave   # one variant
//! cargo bench --bench patrol -- errand      # the errand workload (both of its variants)
//! ```

mod workload;

use divan::Bencher;
use divan::counter::ItemsCount;
use workload::{Kind, SEED};

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

/// Numbers of units.
const UNITS: &[usize] = &[1_000, 100_000];

/// Ticks run before timing, so that the units are spread along their routes.
const WARM_UP_TICKS: u64 = 200;

fn main() {
    divan::main();
}

fn bench_ticks(bencher: Bencher, kind: Kind, units: usize) {
    let mut variant = kind.build(units, SEED);
    for _ in 0..WARM_UP_TICKS {
        variant.step();
    }
    bencher
        .counter(ItemsCount::new(units))
        .bench_local(|| variant.step());
}

#[divan::bench(args = UNITS)]
fn state_machine(bencher: Bencher, units: usize) {
    bench_ticks(bencher, Kind::StateMachine, units);
}

#[divan::bench(args = UNITS)]
fn tickweave(bencher: Bencher, units: usize) {
    bench_ticks(bencher, Kind::Tickweave, units);
}

#[divan::bench(args = UNITS)]
fn sale(bencher: Bencher, units: usize) {
    bench_ticks(bencher, Kind::Sale, units);
}

#[divan::bench(args = UNITS)]
fn naive(bencher: Bencher, units: usize) {
    bench_ticks(bencher, Kind::Naive, units);
}

#[divan::bench(args = UNITS)]
fn polled(bencher: Bencher, units: usize) {
    bench_ticks(bencher, Kind::Polled, units);
}

#[divan::bench(args = UNITS)]
fn errand_state_machine(bencher: Bencher, units: usize) {
    bench_ticks(bencher, Kind::ErrandStateMachine, units);
}

#[divan::bench(args = UNITS)]
fn errand(bencher: Bencher, units: usize) {
    bench_ticks(bencher, Kind::Errand, units);
}
