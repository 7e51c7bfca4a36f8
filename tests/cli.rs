//! The `tickweave` command as a user runs it.

mod common;

use common::{GAME_UNITS_U0, GAME_UNITS_U1};
use std::process::{Command, Output};

fn tickweave(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tickweave"))
        .args(args)
        .output()
        .expect("the tickweave binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tickweave-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn without_arguments_it_runs_the_skirmish_and_summarises_what_happened() {
    let output = tickweave(&[]);
    assert!(output.status.success());
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    // The skirmish is deterministic: the same seed gives the same story.
    assert_eq!(
        lines[..9],
        [
            "scenario   skirmish",
            "seed       4",
            "ticks      300",
            "units      12 spawned, 4 alive at the end",
            "behaviours 0 finished, 0 running, 4 parked",
            "endings    0 completed, 0 failed, 0 cancelled, 0 faulted",
            "events     caught 8, escaped 10, lost 1",
            "raised     behavior_despawned 8, chase_caught 8, chase_lost 1, chase_started 53, \
             despawned 8, goto_arrived 25, goto_issued 32, tally 19, wait_done 53, \
             wait_started 64, waypoint_reached 57",
            "polls      216",
        ]
    );
    assert!(lines[9].starts_with("spawn time "), "{text}");
    assert!(lines[10].starts_with("wall time  "), "{text}");
    assert!(lines[11].starts_with("ticks/s    "), "{text}");
    assert!(lines[12].starts_with("peak mem   "), "{text}");
}

#[test]
fn the_seed_scenario_summarises_its_two_units() {
    let output = tickweave(&["run", "assets/scenarios/game_units.ron"]);
    assert!(output.status.success());
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..8],
        [
            "scenario   game_units",
            "seed       0",
            "ticks      30",
            "units      2 spawned, 2 alive at the end",
            "behaviours 1 finished, 0 running, 1 parked",
            "endings    1 completed, 0 failed, 0 cancelled, 0 faulted",
            "raised     behavior_completed 1, goto_arrived 1, goto_issued 1, waypoint_reached 3",
            "polls      3",
        ]
    );
}

#[test]
fn csv_reproduces_the_seed_table_row_for_row() {
    let path = temp_path("game_units.csv");
    let output = tickweave(&[
        "run",
        "assets/scenarios/game_units.ron",
        "--ticks",
        "30",
        "--csv",
        path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let mut expected = String::from("tick,unit,x,y\n");
    for tick in 0..=30 {
        expected += &format!("{tick},u0,{},0\n", GAME_UNITS_U0[tick]);
        expected += &format!("{tick},u1,{},0\n", GAME_UNITS_U1[tick]);
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
    assert!(
        // The checksum line comes last (see tests/inspect.rs).
        stdout(&output).contains(&format!(
            "\ncsv        {} (62 rows)\nchecksum: ",
            path.display()
        )),
        "{}",
        stdout(&output)
    );
}

#[test]
fn ticks_and_seed_override_the_scenario() {
    let output = tickweave(&["run", "--ticks", "7", "--seed", "99"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("\nseed       99\n"), "{text}");
    assert!(text.contains("\nticks      7\n"), "{text}");
}

#[test]
fn help_explains_every_option() {
    let output = tickweave(&["run", "--help"]);
    assert!(output.status.success());
    let text = stdout(&output);
    for option in [
        "[SCENARIO]",
        "--ticks <N>",
        "--seed <S>",
        "--csv <FILE>",
        "Exit status",
    ] {
        assert!(text.contains(option), "--help lacks {option}:\n{text}");
    }
}

#[test]
fn a_bad_argument_exits_2_with_a_one_line_reason() {
    let output = tickweave(&["run", "--ticks", "many"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "tickweave: invalid value 'many' for '--ticks <N>': not a whole number of ticks, such \
         as 300 (digits only) (see `tickweave --help`)\n"
    );
    for (seed, why) in [
        ("-1", "negative"),
        ("1e9", "not a whole number (digits only)"),
        ("18446744073709551616", "more than 18446744073709551615"),
    ] {
        let output = tickweave(&["run", "--seed", seed]);
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(
            String::from_utf8(output.stderr).unwrap(),
            format!(
                "tickweave: invalid value '{seed}' for '--seed <S>': {why}; a seed is a whole \
                 number from 0 to 18446744073709551615 (see `tickweave --help`)\n"
            )
        );
    }
    let output = tickweave(&["walk"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8(output.stderr).unwrap().lines().count(), 1);
}

#[test]
fn an_unwritable_csv_path_is_refused_before_running() {
    let output = tickweave(&["run", "--csv", "no/such/dir/out.csv"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("tickweave: no/such/dir/out.csv: cannot create the CSV file: "),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn threads_change_nothing_a_run_writes() {
    // 1,500 guards look around every tick: enough runnable units for Think to spread its polls.
    let scenario = temp_path("guards.ron");
    std::fs::write(
        &scenario,
        "Scenario(seed: 4, world: (from: (-60, -60), to: (59, 59)), teams: [\"guards\", \"scouts\"],
          groups: [
            Group(name: \"g\", count: 1500, team: \"guards\", area: (from: (-60, -60), to: (59, 59)),
                  behavior: Guard(waypoints: [Random, Random], sight: 4, patience: 3)),
            Group(name: \"s\", count: 1500, team: \"scouts\", area: (from: (-60, -60), to: (59, 59)),
                  behavior: Wander(from: (-60, -60), to: (59, 59), max_pause: 3)),
          ])",
    )
    .unwrap();
    let run = |threads: &str| {
        let (trace, csv) = (
            temp_path(&format!("threads-{threads}.jsonl")),
            temp_path(&format!("threads-{threads}.csv")),
        );
        let output = tickweave(&[
            "run",
            scenario.to_str().unwrap(),
            "--ticks",
            "15",
            "--threads",
            threads,
            "--trace",
            trace.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{output:?}");
        let summary: Vec<String> = stdout(&output)
            .lines()
            .filter(|line| {
                // Times and the outputs' own paths differ from run to run.
                let varying = [
                    "spawn time",
                    "wall time",
                    "ticks/s",
                    "peak mem",
                    "csv",
                    "trace",
                ];
                !varying.iter().any(|label| line.starts_with(label))
            })
            .map(str::to_owned)
            .collect();
        (
            summary,
            std::fs::read(trace).unwrap(),
            std::fs::read(csv).unwrap(),
        )
    };
    let one = run("1");
    assert!(
        one.0.iter().any(|line| line.contains("chase_caught")),
        "{:?}",
        one.0
    );
    assert_eq!(one, run("2"));
}

/// A scenario without a `name` takes its file's, which may hold any character: the summary
/// prints it escaped, so that a file name cannot send the terminal an escape sequence.
#[cfg(target_os = "linux")]
#[test]
fn a_scenario_named_after_its_file_is_printed_escaped() {
    let text = std::fs::read_to_string("assets/scenarios/game_units.ron").unwrap();
    let unnamed = text.replace("    name: \"game_units\",\n", "");
    assert_ne!(unnamed, text, "the scenario had a name to leave out");
    let path = temp_path("a\u{1b}[31mred.ron");
    std::fs::write(&path, unnamed).unwrap();
    let output = tickweave(&["run", path.to_str().unwrap(), "--ticks", "1"]);
    assert!(output.status.success(), "{output:?}");
    assert!(
        stdout(&output).starts_with("scenario   a\\u{1b}[31mred\n"),
        "{}",
        stdout(&output)
    );
}
