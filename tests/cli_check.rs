//! `tickweave check` as a designer runs it.

use std::process::{Command, Output};

fn tickweave(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tickweave"))
        .args(args)
        .output()
        .expect("the tickweave binary runs")
}

#[test]
fn a_valid_scenario_gets_a_one_paragraph_summary() {
    let expected = [
        (
            "game_units.ron",
            "valid scenario \"game_units\": 2 units, all listed; no teams; behaviours: Goto 1 \
             unit, Patrol 1 unit; runs 30 ticks from seed 0.",
        ),
        (
            "skirmish.ron",
            "valid scenario \"skirmish\": 12 units, all listed; teams: guards 4 units, scouts 8 \
             units; behaviours: Guard 4 units, Wander 8 units; runs 300 ticks from seed 4, with \
             sensing on.",
        ),
        (
            "stress.ron",
            "valid scenario \"stress\": 1000000 units, all generated in 1 group; no teams; \
             behaviours: Patrol 1000000 units; runs 100 ticks from seed 1.",
        ),
    ];
    for (file, summary) in expected {
        let path = format!("assets/scenarios/{file}");
        let output = tickweave(&["check", &path]);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            format!("{path}: {summary}\n")
        );
        assert!(output.stderr.is_empty());
    }
}

#[test]
fn a_mixed_scenario_counts_listed_and_generated_units_and_every_behaviour() {
    let path = std::env::temp_dir().join(format!("tickweave-check-{}.ron", std::process::id()));
    std::fs::write(
        &path,
        r#"Scenario(
            name: "mixed",
            teams: ["red", "blue"],
            units: [
                Unit(name: "a", team: "red", position: (0, 0),
                     behavior: Sequence([Goto(target: (1, 1)), Wait(ticks: 2)])),
                Unit(name: "b", position: (0, 0), behavior: Chase(target: "c3")),
            ],
            groups: [
                Group(name: "c", count: 5, team: "blue", area: (from: (0, 0), to: (9, 9)),
                      behavior: Repeat(times: Forever, body: Goto(target: Random))),
            ],
        )"#,
    )
    .unwrap();
    let output = tickweave(&["check", path.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!(
            "{}: valid scenario \"mixed\": 7 units, 2 listed, 5 generated in 1 group; teams: \
             red 1 unit, blue 5 units, none 1 unit; behaviours: Chase 1 unit, Goto 6 units, \
             Repeat 5 units, Sequence 1 unit, Wait 1 unit; runs 100 ticks from seed 0, with \
             sensing on.\n",
            path.display()
        )
    );
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_missing_file_is_invalid_input() {
    let output = tickweave(&["check", "no/such/file.ron"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("tickweave: no/such/file.ron: cannot read the scenario: "),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}
