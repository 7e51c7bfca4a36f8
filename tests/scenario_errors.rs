//! Scenario files: the shipped one loads; every bad file gets a located, actionable message and
//! exit status 2 from the command, never a panic.

use std::path::Path;
use std::process::Command;
use tickweave::prelude::*;
use tickweave::scenario::{BehaviorPlan, Scenario, ScenarioError};

/// Each bad file and the exact message `tickweave run` prints for it (after `tickweave: `).
const BAD_FILES: &[(&str, &str)] = &[
    (
        "empty.ron",
        "tests/data/bad/empty.ron:1:1: the file is empty; a scenario looks like `Scenario(units: [...])`",
    ),
    (
        "missing_comma.ron",
        "tests/data/bad/missing_comma.ron:4:43: Expected comma",
    ),
    (
        "unknown_behavior.ron",
        "tests/data/bad/unknown_behavior.ron:3:54: Unexpected variant named `Fly` in enum \
         `Behavior`, expected one of `Goto`, `Patrol`, `Wait`, `Guard`, or `Wander` instead",
    ),
    (
        "unknown_field.ron",
        "tests/data/bad/unknown_field.ron:3:5: Unexpected field named `speed` in `Scenario`, \
         expected one of `name`, `seed`, `ticks`, `teams`, or `units` instead",
    ),
    (
        "latin1.ron",
        "tests/data/bad/latin1.ron:2:13: the file is not UTF-8 text; save it as UTF-8",
    ),
    (
        "invalid_units.ron",
        "tests/data/bad/invalid_units.ron: units[0].behavior.Patrol.waypoints: a patrol route \
         needs at least 2 waypoints, found 1\n\
         tests/data/bad/invalid_units.ron: units[1].name: \"u0\" is already the name of another unit\n\
         tests/data/bad/invalid_units.ron: units[2].behavior.Patrol.waypoints: waypoints 2 and 0 \
         are both (1, 1): consecutive waypoints must differ (the route is closed, so the last is \
         followed by the first)",
    ),
];

#[test]
fn the_shipped_scenario_loads() {
    let scenario = Scenario::load(Path::new("assets/scenarios/game_units.ron")).unwrap();
    assert_eq!(scenario.name, "game_units");
    assert_eq!((scenario.seed, scenario.ticks), (0, 30));
    let behaviors: Vec<_> = scenario.units.iter().map(|unit| &unit.behavior).collect();
    assert_eq!(
        behaviors,
        [
            &BehaviorPlan::Patrol(Route::new([ivec2(-5, 0), ivec2(5, 0)]).unwrap()),
            &BehaviorPlan::Goto(ivec2(12, 0)),
        ]
    );
}

#[test]
fn every_bad_file_is_reported_with_its_location() {
    for (file, expected) in BAD_FILES {
        let path = format!("tests/data/bad/{file}");
        let error = Scenario::load(Path::new(&path)).expect_err(file);
        assert_eq!(error.to_string(), *expected, "{file}");
    }
}

#[test]
fn every_bad_file_makes_the_command_exit_2_with_the_message_and_no_panic() {
    for (file, expected) in BAD_FILES {
        let output = Command::new(env!("CARGO_BIN_EXE_tickweave"))
            .args(["run", &format!("tests/data/bad/{file}")])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{file}");
        assert_eq!(
            String::from_utf8(output.stderr).unwrap(),
            format!("tickweave: {expected}\n"),
            "{file}"
        );
        assert!(output.stdout.is_empty(), "{file}: nothing on stdout");
    }
}

#[test]
fn defaults_apply_and_the_name_comes_from_the_file() {
    let text = "(units: [(name: \"a\", position: (1, 2), behavior: Wait(ticks: 4))])";
    let scenario = Scenario::parse(text, "maps/quiet.ron").unwrap();
    assert_eq!(scenario.name, "quiet");
    assert_eq!((scenario.seed, scenario.ticks), (0, 100));
    assert_eq!(scenario.units[0].position, ivec2(1, 2));
    assert_eq!(scenario.units[0].behavior, BehaviorPlan::Wait(4));
}

#[test]
fn a_missing_file_names_the_path() {
    let error = Scenario::load(Path::new("tests/data/no_such_file.ron")).unwrap_err();
    assert!(matches!(error, ScenarioError::Read { .. }));
    assert!(
        error
            .to_string()
            .starts_with("tests/data/no_such_file.ron: cannot read the scenario: "),
        "{error}"
    );
}
