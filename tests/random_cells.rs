//! Scenario files with random mixes of `Random` and fixed cells, at random depths of
//! composition, over areas as small as the rules allow: `check` and a short `run` never panic
//! and agree on whether the file is valid, in the library and in the binary.
//!
//! The cells come from a handful of values near each other, so that fixed neighbours meet,
//! drawn cells fall on fixed ones and three-cell areas leave one choice; each way of being
//! invalid is rare, so that about a quarter of the files are valid. (Before drawn routes
//! avoided a fixed last waypoint, the first property failed within a few dozen cases.) Case
//! counts are small so that `cargo test` stays fast; raise `PROPTEST_CASES` to search longer.

#[allow(
    dead_code,
    reason = "these tests read only part of what a limited run gives"
)]
#[path = "bounded/limited.rs"]
mod limited;

use proptest::prelude::*;
use tickweave::scenario::{
    AreaSpec, BehaviorSpec, CellSpec, GroupSpec, Scenario, ScenarioFile, Times, UnitSpec,
};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A cell: `Random`, one of a few close cells, or now and then one outside every world.
fn cell() -> impl Strategy<Value = CellSpec> {
    prop_oneof![
        40 => Just(CellSpec::Random),
        60 => (0..3i32, 0..2i32).prop_map(|(x, y)| CellSpec::At(x, y)),
        1 => Just(CellSpec::At(2_000_000, 0)),
    ]
}

/// A group's area: from a single cell to 4 by 2; three cells in a row is the smallest that
/// lets a drawn waypoint differ from two neighbours.
fn area() -> impl Strategy<Value = AreaSpec> {
    (1..6i32, 1..3i32).prop_map(|(width, height)| AreaSpec {
        from: CellSpec::At(0, 0),
        to: CellSpec::At(width - 1, height - 1),
    })
}

fn waypoints() -> impl Strategy<Value = Vec<CellSpec>> {
    prop_oneof![
        1 => proptest::collection::vec(cell(), 0..2),
        8 => proptest::collection::vec(cell(), 2..6),
    ]
}

fn behavior() -> BoxedStrategy<BehaviorSpec> {
    let leaf = prop_oneof![
        cell().prop_map(|target| BehaviorSpec::Goto { target }),
        waypoints().prop_map(|waypoints| BehaviorSpec::Patrol { waypoints }),
        (0..3u64).prop_map(|ticks| BehaviorSpec::Wait { ticks }),
        (waypoints(), 0..3u32, 0..3u64).prop_map(|(waypoints, sight, patience)| {
            BehaviorSpec::Guard {
                waypoints,
                sight,
                patience,
            }
        }),
        (cell(), cell(), 0..3u64).prop_map(|(from, to, max_pause)| BehaviorSpec::Wander {
            from,
            to,
            max_pause
        }),
        prop_oneof![8 => Just("g0"), 4 => Just("g7"), 2 => Just("u"), 1 => Just("nobody")]
            .prop_map(|target| BehaviorSpec::Chase {
                target: target.into()
            }),
    ];
    leaf.prop_recursive(6, 24, 3, |inner| {
        let boxed = inner.clone().prop_map(Box::new);
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..4).prop_map(BehaviorSpec::Sequence),
            proptest::collection::vec(inner.clone(), 2..4).prop_map(BehaviorSpec::Race),
            proptest::collection::vec(inner.clone(), 2..4).prop_map(BehaviorSpec::Join),
            (
                prop_oneof![
                    8 => (1..3u64).prop_map(Times::Count),
                    1 => Just(Times::Count(0)),
                    2 => Just(Times::Forever),
                ],
                boxed.clone()
            )
                .prop_map(|(times, body)| BehaviorSpec::Repeat { times, body }),
            (
                prop_oneof![8 => 1..3u64, 1 => Just(0)],
                boxed.clone(),
                proptest::option::of(boxed.clone())
            )
                .prop_map(|(ticks, body, otherwise)| BehaviorSpec::Timeout {
                    ticks,
                    body,
                    otherwise
                }),
            (
                prop_oneof![1 => Just(""), 8 => Just("a"), 8 => Just("b")],
                boxed
            )
                .prop_map(|(name, body)| {
                    BehaviorSpec::Label {
                        name: name.into(),
                        body,
                    }
                }),
        ]
    })
    .boxed()
}

/// Mostly groups (where `Random` is allowed), sometimes a listed unit (where it is not).
fn scenario() -> impl Strategy<Value = ScenarioFile> {
    let group = (1..12u64, area(), cell(), behavior());
    let unit = (cell(), behavior());
    (
        any::<u64>(),
        proptest::option::of(Just(AreaSpec {
            from: CellSpec::At(-1, -1),
            to: CellSpec::At(3, 2),
        })),
        prop_oneof![4 => Just(Vec::new()), 1 => proptest::collection::vec(unit, 1..2)],
        proptest::collection::vec(group, 1..3),
    )
        .prop_map(|(seed, world, units, groups)| ScenarioFile {
            name: Some("mix".into()),
            seed,
            ticks: 3,
            world,
            teams: Vec::new(),
            units: units
                .into_iter()
                .map(|(position, behavior)| UnitSpec {
                    name: "u".into(),
                    team: None,
                    position,
                    behavior,
                })
                .collect(),
            groups: groups
                .into_iter()
                .enumerate()
                .map(|(index, (count, area, position, behavior))| GroupSpec {
                    // "g" and "h": names that never meet.
                    name: ["g", "h"][index].into(),
                    count,
                    team: None,
                    area,
                    position,
                    behavior,
                })
                .collect(),
        })
}

proptest! {
    #![proptest_config(config(256))]

    /// In the library: a file that checks runs; one that does not says why, naming the file.
    #[test]
    fn a_checked_file_runs_and_a_refused_one_says_why(file in scenario()) {
        match Scenario::check(file, "mix.ron") {
            Ok(scenario) => {
                let mut simulation = scenario.simulation(scenario.seed);
                simulation.run(3);
            }
            Err(error) => {
                let message = error.to_string();
                prop_assert!(message.starts_with("mix.ron: "), "{}", message);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// In the binary: `check` and `run --ticks 3` exit 0 or 2, the same, with the same message
    /// when it is 2 — and as the library said.
    #[test]
    fn check_and_a_short_run_agree(file in scenario()) {
        let valid = Scenario::check(file.clone(), "mix.ron").is_ok();
        let dir = std::env::temp_dir().join(format!("tickweave-mix-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("mix.ron"), file.to_ron()).unwrap();
        let limits = limited::Limits::default();
        let args = |words: &[&str]| words.iter().map(|word| (*word).to_owned()).collect::<Vec<_>>();
        let check = limited::run(&dir, &args(&["check", "mix.ron"]), limits);
        let run = limited::run(&dir, &args(&["run", "mix.ron", "--ticks", "3"]), limits);
        for ended in [&check, &run] {
            prop_assert!(!ended.timed_out && !ended.too_much_output, "{:?}", ended);
        }
        let expected = if valid { 0 } else { 2 };
        prop_assert_eq!(check.code, Some(expected), "check: {:?}\n{}", check, file.to_ron());
        prop_assert_eq!(run.code, Some(expected), "run: {:?}\n{}", run, file.to_ron());
        if !valid {
            prop_assert_eq!(&check.stderr, &run.stderr);
        }
        prop_assert!(run.stderr.is_empty() || !valid, "{}", run.stderr);
    }
}
