//! Fuzzing the scenario loader: whatever the input, it answers with a scenario or an error,
//! never a panic; and a scenario written back as RON reads back the same.
//!
//! Case counts are kept small so that `cargo test` stays fast; raise `PROPTEST_CASES` to search
//! longer.

use proptest::prelude::*;
use tickweave::scenario::{
    AreaSpec, BehaviorRegistry, BehaviorSpec, CellSpec, GroupSpec, NamedBehavior, ParamKind,
    ParamValue, Params, Scenario, ScenarioFile, Times, UnitSpec,
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

/// Loads `bytes`; a valid result is spawned and stepped when small. Either way, nothing panics
/// and the error reads as text.
fn load(bytes: &[u8]) {
    match Scenario::parse_bytes(bytes, "fuzz.ron") {
        Ok(scenario) if scenario.unit_count() <= 200 => {
            let mut sim = scenario.simulation(scenario.seed);
            sim.run(3);
        }
        Ok(_) => {}
        Err(error) => {
            let message = error.to_string();
            assert!(message.starts_with("fuzz.ron"), "{message}");
        }
    }
}

/// Valid scenarios to mutate: the shipped ones and one with every construct.
const SEEDS: &[&str] = &[
    include_str!("../assets/scenarios/game_units.ron"),
    include_str!("../assets/scenarios/skirmish.ron"),
    include_str!("../assets/scenarios/stress.ron"),
    r#"Scenario(
        name: "all", seed: 3, ticks: 20, world: (from: (-20, -20), to: (20, 20)),
        teams: ["a", "b"],
        units: [
            Unit(name: "u", team: "a", position: (0, 0), behavior: Sequence([
                Label(name: "go", body: Goto(target: (3, 0))),
                Repeat(times: 2, body: Wait(ticks: 1)),
                Race([Patrol(waypoints: [(0, 0), (2, 2)]), Wait(ticks: 4)]),
                Join([Wait(ticks: 1), Timeout(ticks: 3, body: Chase(target: "v0"),
                                              otherwise: Wait(ticks: 1))]),
                Repeat(times: Forever, body: Wander(from: (-2, -2), to: (2, 2), max_pause: 1)),
            ])),
        ],
        groups: [
            Group(name: "v", count: 5, team: "b", area: (from: (-9, -9), to: (9, 9)),
                  behavior: Guard(waypoints: [Random, (0, 0), Random], sight: 3, patience: 2)),
        ],
    )"#,
];

/// Pieces of scenario text, so that random sequences of them get past the first character.
const TOKENS: &[&str] = &[
    "Scenario(",
    "Unit(",
    "Group(",
    "units:",
    "groups:",
    "teams:",
    "name:",
    "position:",
    "behavior:",
    "count:",
    "area:",
    "from:",
    "to:",
    "world:",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    "\"a\"",
    "\"",
    "0",
    "-1",
    "1000000",
    "99999999999999999999",
    "(0, 0)",
    "(1, 2, 3)",
    "Random",
    "Forever",
    "Goto(target: (1, 2))",
    "Patrol(waypoints: [",
    "Wait(ticks: 3)",
    "Sequence([",
    "Repeat(times: ",
    "body:",
    "Race([",
    "Join([",
    "Timeout(ticks: 2, body: ",
    "Label(name: \"x\", body: ",
    "Named(\"x\", (a: 1))",
    "Chase(target: \"a\")",
    "//",
    "/*",
    "\n",
    "\t",
    "é",
    "#![enable(implicit_some)]",
    "Some(",
    "None",
    "true",
    "{",
    "}",
];

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        load(text.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        load(&bytes);
    }

    #[test]
    fn sequences_of_tokens_never_panic(
        tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..60),
    ) {
        load(tokens.join(" ").as_bytes());
    }

    #[test]
    fn mutated_valid_scenarios_never_panic(
        seed in proptest::sample::select(SEEDS),
        edits in proptest::collection::vec(
            (any::<prop::sample::Index>(), 0usize..12, proptest::sample::select(TOKENS), 0u8..4),
            1..5,
        ),
    ) {
        let mut bytes = seed.as_bytes().to_vec();
        for (at, length, token, kind) in edits {
            let at = at.index(bytes.len() + 1);
            let end = (at + length).min(bytes.len());
            match kind {
                0 => { bytes.drain(at..end); }
                1 => { bytes.splice(at..at, token.bytes()); }
                2 => { bytes.splice(at..end, token.bytes()); }
                _ => {
                    let copy = bytes[at..end].to_vec();
                    bytes.splice(at..at, copy);
                }
            }
        }
        load(&bytes);
    }
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}",
        any::<String>(),
        Just("Random".to_owned()),
        Just("true".to_owned()),
    ]
}

fn cell() -> impl Strategy<Value = CellSpec> {
    prop_oneof![
        4 => (any::<i32>(), any::<i32>()).prop_map(|(x, y)| CellSpec::At(x, y)),
        1 => Just(CellSpec::Random),
    ]
}

fn area() -> impl Strategy<Value = AreaSpec> {
    (cell(), cell()).prop_map(|(from, to)| AreaSpec { from, to })
}

fn param_value(behavior: BoxedStrategy<BehaviorSpec>) -> impl Strategy<Value = ParamValue> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(ParamValue::Flag),
        any::<i64>().prop_map(ParamValue::Integer),
        (any::<i32>(), any::<i32>()).prop_map(|(x, y)| ParamValue::Cell(x, y)),
        name().prop_map(ParamValue::Text),
        behavior.prop_map(|spec| ParamValue::Behavior(Box::new(spec))),
    ];
    // A list of exactly two numbers reads back as a cell, which is what it would mean.
    leaf.prop_recursive(2, 8, 4, |inner| {
        proptest::collection::vec(inner, 0..4)
            .prop_filter("not a cell", |items| {
                !(items.len() == 2
                    && items.iter().all(|item| {
                        matches!(item, ParamValue::Integer(n)
                        if i32::try_from(*n).is_ok())
                    }))
            })
            .prop_map(ParamValue::List)
    })
}

fn behavior() -> BoxedStrategy<BehaviorSpec> {
    let leaf = prop_oneof![
        cell().prop_map(|target| BehaviorSpec::Goto { target }),
        proptest::collection::vec(cell(), 0..4)
            .prop_map(|waypoints| BehaviorSpec::Patrol { waypoints }),
        any::<u64>().prop_map(|ticks| BehaviorSpec::Wait { ticks }),
        (
            proptest::collection::vec(cell(), 0..3),
            any::<u32>(),
            any::<u64>()
        )
            .prop_map(|(waypoints, sight, patience)| BehaviorSpec::Guard {
                waypoints,
                sight,
                patience
            }),
        (cell(), cell(), any::<u64>()).prop_map(|(from, to, max_pause)| BehaviorSpec::Wander {
            from,
            to,
            max_pause
        }),
        name().prop_map(|target| BehaviorSpec::Chase { target }),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        let boxed = inner.clone().prop_map(Box::new);
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(BehaviorSpec::Sequence),
            proptest::collection::vec(inner.clone(), 0..3).prop_map(BehaviorSpec::Race),
            proptest::collection::vec(inner.clone(), 0..3).prop_map(BehaviorSpec::Join),
            (
                prop_oneof![any::<u64>().prop_map(Times::Count), Just(Times::Forever)],
                boxed.clone()
            )
                .prop_map(|(times, body)| BehaviorSpec::Repeat { times, body }),
            (
                any::<u64>(),
                boxed.clone(),
                proptest::option::of(boxed.clone())
            )
                .prop_map(|(ticks, body, otherwise)| BehaviorSpec::Timeout {
                    ticks,
                    body,
                    otherwise
                }),
            (name(), boxed).prop_map(|(name, body)| BehaviorSpec::Label { name, body }),
            (
                name(),
                proptest::collection::vec((name(), param_value(inner.boxed())), 0..3)
            )
                .prop_map(|(name, params)| BehaviorSpec::Named(name, Params(params))),
        ]
    })
    .boxed()
}

fn scenario_file() -> impl Strategy<Value = ScenarioFile> {
    let unit = (name(), proptest::option::of(name()), cell(), behavior()).prop_map(
        |(name, team, position, behavior)| UnitSpec {
            name,
            team,
            position,
            behavior,
        },
    );
    let group = (
        name(),
        any::<u64>(),
        proptest::option::of(name()),
        area(),
        cell(),
        behavior(),
    )
        .prop_map(|(name, count, team, area, position, behavior)| GroupSpec {
            name,
            count,
            team,
            area,
            position,
            behavior,
        });
    (
        proptest::option::of(name()),
        any::<u64>(),
        any::<u64>(),
        proptest::option::of(area()),
        proptest::collection::vec(name(), 0..3),
        proptest::collection::vec(unit, 0..4),
        proptest::collection::vec(group, 0..2),
    )
        .prop_map(
            |(name, seed, ticks, world, teams, units, groups)| ScenarioFile {
                name,
                seed,
                ticks,
                world,
                teams,
                units,
                groups,
            },
        )
}

/// A small valid scenario: a few units in a small world, drawn from the format's constructs.
fn valid_scenario() -> impl Strategy<Value = ScenarioFile> {
    let small_cell = (-9i32..=9, -9i32..=9).prop_map(|(x, y)| CellSpec::At(x, y));
    let step = prop_oneof![
        small_cell
            .clone()
            .prop_map(|target| BehaviorSpec::Goto { target }),
        (0u64..5).prop_map(|ticks| BehaviorSpec::Wait { ticks }),
        (small_cell.clone(), small_cell.clone()).prop_filter_map("distinct", |(a, b)| {
            (a != b).then(|| BehaviorSpec::Patrol {
                waypoints: vec![a, b],
            })
        }),
    ];
    let behavior = step.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..3).prop_map(BehaviorSpec::Sequence),
            proptest::collection::vec(inner.clone(), 2..3).prop_map(BehaviorSpec::Race),
            (1u64..3, inner.clone()).prop_map(|(times, body)| BehaviorSpec::Repeat {
                times: Times::Count(times),
                body: Box::new(body),
            }),
            (1u64..4, inner).prop_map(|(ticks, body)| BehaviorSpec::Timeout {
                ticks,
                body: Box::new(body),
                otherwise: None,
            }),
        ]
    });
    (
        any::<u64>(),
        proptest::collection::vec((small_cell, behavior.clone()), 1..4),
        proptest::option::of((1u64..20, behavior)),
    )
        .prop_map(|(seed, units, group)| ScenarioFile {
            name: Some("valid".into()),
            seed,
            ticks: 10,
            world: Some(AreaSpec {
                from: CellSpec::At(-10, -10),
                to: CellSpec::At(10, 10),
            }),
            teams: vec![],
            units: units
                .into_iter()
                .enumerate()
                .map(|(index, (position, behavior))| UnitSpec {
                    name: format!("u{index}"),
                    team: None,
                    position,
                    behavior,
                })
                .collect(),
            groups: group
                .into_iter()
                .map(|(count, behavior)| GroupSpec {
                    name: "g".into(),
                    count,
                    team: None,
                    area: AreaSpec {
                        from: CellSpec::At(-5, -5),
                        to: CellSpec::At(5, 5),
                    },
                    position: CellSpec::Random,
                    behavior,
                })
                .collect(),
        })
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn any_scenario_file_reads_back_as_written(file in scenario_file()) {
        let text = file.to_ron();
        let read = ScenarioFile::parse(&text, "written.ron");
        prop_assert_eq!(read.as_ref().ok(), Some(&file), "{}\n{:?}", text, read.as_ref().err());
    }

    #[test]
    fn a_valid_scenario_written_back_is_the_same_scenario(file in valid_scenario()) {
        let scenario = Scenario::check(file.clone(), "valid.ron");
        prop_assert!(scenario.is_ok(), "{}", scenario.unwrap_err());
        let text = file.to_ron();
        let again = ScenarioFile::parse(&text, "valid.ron").unwrap();
        prop_assert_eq!(&again, &file);
        prop_assert_eq!(Scenario::check(again, "valid.ron").unwrap(), scenario.unwrap());
    }
}

/// Text nesting `open` `depth` times around a `Wait`, closed again with `close`.
fn nested(open: &str, close: &str, depth: usize) -> String {
    format!(
        "Scenario(units: [Unit(name: \"u\", position: (0, 0), behavior: {}Wait(ticks: 1){})])",
        open.repeat(depth),
        close.repeat(depth)
    )
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // Test threads have small stacks (the reader has its own; the checker runs on this one).
    let shapes = [
        ("Sequence([", "])"),
        ("Repeat(times: 1, body: ", ")"),
        ("Named(\"x\", (a: ", "))"),
        ("Named(\"x\", (a: [", "]))"),
        ("Timeout(ticks: 1, body: Wait(ticks: 1), otherwise: ", ")"),
        ("Named(\"x\", (a: [[[[[[[[[[", "]]]]]]]]]]))"),
        ("Named(\"x\", (a: ((((((((((", "))))))))))))"),
    ];
    for (open, close) in shapes {
        for depth in [100, 10_000] {
            let error = Scenario::parse(&nested(open, close, depth), "deep.ron").unwrap_err();
            let message = error.to_string();
            assert!(
                message.contains("nest more than"),
                "{open}{depth}: {}",
                message.lines().next().unwrap()
            );
        }
    }
}

#[test]
fn behaviours_may_nest_exactly_to_the_limit() {
    let limit = tickweave::scenario::limits::MAX_DEPTH;
    // `nested` adds the `Wait` inside, one level deeper than the repeats.
    let text = nested("Repeat(times: 1, body: ", ")", limit - 1);
    let scenario = Scenario::parse(&text, "deep.ron").unwrap();
    let mut sim = scenario.simulation(0);
    sim.run(3);
    let error = Scenario::parse(&nested("Repeat(times: 1, body: ", ")", limit), "deep.ron")
        .unwrap_err()
        .to_string();
    assert!(
        error.ends_with(&format!(
            "behaviours nest more than {limit} deep here; flatten \
        them, e.g. with one `Sequence([...])` for many steps"
        )),
        "{error}"
    );
}

/// Every composition nests to the limit of behaviours, the `Goto` inside the last, whatever
/// brackets each level takes (a `Sequence([...])` two, where ron's own count of its levels
/// takes four); one more is refused for its behaviours, at the path to the one too deep.
#[test]
fn every_composition_nests_to_the_limit_of_behaviours() {
    let limit = tickweave::scenario::limits::MAX_DEPTH;
    let mut registry = BehaviorRegistry::new();
    registry.register(
        NamedBehavior::new("labelled", |args| {
            tickweave::behaviors::label("named", args.behavior("body"))
        })
        .param("body", ParamKind::Behavior),
    );
    let shapes = [
        ("Sequence([", "])", "Sequence[0]"),
        ("Race([", ", Wait(ticks: 1)])", "Race[0]"),
        ("Join([Wait(ticks: 1), ", "])", "Join[1]"),
        ("Repeat(times: 1, body: ", ")", "Repeat.body"),
        ("Label(name: \"l\", body: ", ")", "Label.body"),
        ("Timeout(ticks: 5, body: ", ")", "Timeout.body"),
        (
            "Timeout(ticks: 5, body: Wait(ticks: 1), otherwise: ",
            ")",
            "Timeout.otherwise",
        ),
        (
            "Named(\"labelled\", (body: ",
            "))",
            "Named(\"labelled\").body",
        ),
    ];
    for (open, close, step) in shapes {
        let text = |wrappers: usize| {
            format!(
                "Scenario(units: [Unit(name: \"u\", position: (0, 0), behavior: \
                 {}Goto(target: (1, 0)){})])",
                open.repeat(wrappers),
                close.repeat(wrappers)
            )
        };
        let scenario = Scenario::parse_with(&text(limit - 1), "deep.ron", &registry)
            .unwrap_or_else(|error| panic!("{open}: {error}"));
        scenario.simulation(0).run(3);
        let error = Scenario::parse_with(&text(limit), "deep.ron", &registry)
            .unwrap_err()
            .to_string();
        // Each problem is a behaviour too deep (a `Race`'s other branch is one too).
        let too_deep = format!(
            ": behaviours nest more than {limit} deep here; flatten them, e.g. with one \
             `Sequence([...])` for many steps"
        );
        assert!(
            error.lines().all(|line| line.ends_with(&too_deep)),
            "{open}: {error}"
        );
        let path = format!("units[0].behavior{}", format!(".{step}").repeat(limit));
        assert!(
            error
                .lines()
                .any(|line| line == format!("deep.ron: {path}{too_deep}")),
            "{open}: {error}"
        );
    }
}

/// Brackets nest to their limit, counted as the text writes them (however many levels of
/// ron's reader each takes), and no deeper: the first one past it is refused where it is.
/// Brackets in text and in comments are not counted.
#[test]
fn brackets_nest_to_their_limit_and_no_deeper() {
    let limit = tickweave::scenario::limits::MAX_BRACKETS;
    // Five brackets deep at the parameter's value, then lists in lists.
    let text = |depth: usize| {
        format!(
            "Scenario(units: [Unit(name: \"u\", position: (0, 0), behavior: Named(\"x\", (a: \
             {}{})))])",
            "[".repeat(depth - 5),
            "]".repeat(depth - 5)
        )
    };
    ScenarioFile::parse(&text(limit), "deep.ron").unwrap();
    let deeper = text(limit + 1);
    let lists = deeper.find("(a: [").unwrap() + "(a: ".len();
    let column = lists + (limit + 1 - 5);
    let error = ScenarioFile::parse(&deeper, "deep.ron")
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(&format!(
            "deep.ron:1:{column}: brackets nest more than {limit} deep here; behaviours may \
             nest at most 32 deep"
        )),
        "{error}"
    );
    // A syntax error before the bracket too deep is the file's first problem.
    let error = ScenarioFile::parse(&deeper.replacen(", position", " position", 1), "deep.ron")
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("deep.ron:1:33: expected `,` between two fields"),
        "{error}"
    );

    let many = |bracket: &str| bracket.repeat(limit + 1);
    let quoted = format!(
        "Scenario(name: \"{}\", /* {} /* {} */ */ // {}\nunits: [Unit(name: r#\"\"{}\"#, \
         position: (0, 0), behavior: Wait(ticks: 1))])",
        many("("),
        many("["),
        many("{"),
        many("("),
        many("["),
    );
    ScenarioFile::parse(&quoted, "quoted.ron").unwrap();
}

#[test]
fn written_scenarios_read_like_the_documentation() {
    let text = ScenarioFile::parse(SEEDS[3], "all.ron").unwrap().to_ron();
    for line in [
        "Scenario(\n    name: \"all\",\n    seed: 3,\n    ticks: 20,\n",
        "\n            position: Random,\n",
        "\n                    times: Forever,\n",
        "\n                        otherwise: Wait(\n",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
}
