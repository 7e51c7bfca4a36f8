//! Scenario files: the shipped one loads; every bad file gets a located, actionable message and
//! exit status 2 from the command, never a panic.

use std::path::Path;
use std::process::Command;
use tickweave::prelude::*;
use tickweave::scenario::{BehaviorPlan, Scenario, ScenarioError};

/// The bad corpus: each `tests/data/bad/NAME.ron` beside `NAME.expected`, which holds exactly
/// what the command prints on stderr for it.
fn bad_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir("tests/data/bad").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        match path.extension().and_then(|extension| extension.to_str()) {
            Some("ron") => {
                let expected = path.with_extension("expected");
                let expected = std::fs::read_to_string(&expected)
                    .unwrap_or_else(|_| panic!("{name} has no {}", expected.display()));
                files.push((format!("tests/data/bad/{name}"), expected));
            }
            Some("expected") => assert!(
                path.with_extension("ron").exists(),
                "{name} expects the message of a file that is not there"
            ),
            _ => panic!("{name}: the bad corpus holds only .ron and .expected files"),
        }
    }
    files.sort();
    assert!(files.len() >= 25, "the corpus is all there");
    files
}

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
    for (file, expected) in bad_files() {
        let error = Scenario::load(Path::new(&file)).expect_err(&file);
        let expected = expected
            .strip_prefix("tickweave: ")
            .and_then(|message| message.strip_suffix('\n'))
            .unwrap_or_else(|| panic!("{file}: the expectation is one `tickweave: ` message"));
        assert_eq!(error.to_string(), expected, "{file}");
    }
}

#[test]
fn every_bad_file_makes_check_and_run_exit_2_with_the_message_and_no_panic() {
    for (file, expected) in bad_files() {
        for command in ["check", "run"] {
            let output = Command::new(env!("CARGO_BIN_EXE_tickweave"))
                .args([command, &file])
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{command} {file}");
            assert_eq!(
                String::from_utf8(output.stderr).unwrap(),
                expected,
                "{command} {file}"
            );
            assert!(
                output.stdout.is_empty(),
                "{command} {file}: nothing on stdout"
            );
        }
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
