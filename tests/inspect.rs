//! Inspecting runs from the command line: `run --trace/--svg`, `inspect`, `diff`, the checksum.

use std::path::PathBuf;
use std::process::{Command, Output};

#[path = "common/binary.rs"]
mod binary;
use binary::{arg, temp_path, text, tickweave, trace};

fn game_units_trace(name: &str) -> PathBuf {
    trace(name, &["assets/scenarios/game_units.ron"])
}

/// The last line of `run`'s output.
fn checksum_line(args: &[&str]) -> String {
    let output = tickweave(args);
    assert!(output.status.success(), "{output:?}");
    text(&output.stdout).lines().last().unwrap().to_owned()
}

#[test]
fn the_trace_of_the_seed_scenario_starts_like_this() {
    let path = game_units_trace("snapshot.jsonl");
    let trace = std::fs::read_to_string(path).unwrap();
    let first_ticks: Vec<&str> = trace
        .lines()
        .take_while(|line| !line.starts_with(r#"{"tick":14,"#))
        .collect();
    insta::assert_snapshot!("game_units_trace_ticks_0_to_13", first_ticks.join("\n"));
}

#[test]
fn every_tick_has_its_units_then_its_events_then_its_checksum() {
    let path = game_units_trace("shape.jsonl");
    let trace = std::fs::read_to_string(path).unwrap();
    let lines: Vec<serde_json::Value> = trace
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    // 31 ticks × (2 units + 1 checksum) + 6 events.
    assert_eq!(lines.len(), 31 * 3 + 6);
    let checksums: Vec<u64> = lines
        .iter()
        .filter(|line| line.get("checksum").is_some())
        .map(|line| line["tick"].as_u64().unwrap())
        .collect();
    assert_eq!(checksums, (0..=30).collect::<Vec<u64>>());
    let last = lines.last().unwrap();
    let summary = checksum_line(&["run", "assets/scenarios/game_units.ron"]);
    assert_eq!(
        summary,
        format!("checksum: {}", last["checksum"].as_str().unwrap()),
        "the run's last line is the last tick's checksum"
    );
}

#[test]
fn unit_records_name_their_team_and_units_of_no_team_have_none() {
    let path = trace("teams.jsonl", &["--ticks", "1"]);
    let trace = std::fs::read_to_string(path).unwrap();
    let teams: Vec<(String, Option<String>)> = trace
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|record| record["tick"] == 0 && record.get("x").is_some())
        .map(|record| {
            let team = record
                .get("team")
                .map(|team| team.as_str().unwrap().to_owned());
            (record["unit"].as_str().unwrap().to_owned(), team)
        })
        .collect();
    assert_eq!(teams.len(), 12);
    assert_eq!(teams[0], ("north".into(), Some("guards".into())));
    assert_eq!(teams[4], ("scout1".into(), Some("scouts".into())));
    let path = game_units_trace("no-teams.jsonl");
    let trace = std::fs::read_to_string(path).unwrap();
    assert!(!trace.contains("\"team\""), "{trace}");
}

#[test]
fn within_a_tick_units_come_in_id_order_then_events_by_unit_then_the_checksum() {
    let path = trace("order.jsonl", &["--ticks", "120"]);
    let trace = std::fs::read_to_string(path).unwrap();
    let mut tick = 0;
    // 0: unit records, 1: events, 2: checksum seen (the tick is over).
    let (mut stage, mut last_id) = (0, None::<u64>);
    let mut events_of_two_units_in_one_tick = 0;
    for line in trace.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let record_tick = record["tick"].as_u64().unwrap();
        if record_tick != tick {
            assert_eq!((stage, record_tick), (2, tick + 1), "{line}");
            (tick, stage, last_id) = (record_tick, 0, None);
        }
        let id = record["id"].as_u64();
        if record.get("checksum").is_some() {
            stage = 2;
        } else if record.get("event").is_some() {
            if stage == 0 {
                last_id = None;
            }
            assert!(stage <= 1, "an event after the checksum: {line}");
            let id = id.unwrap();
            if last_id.is_some_and(|last| last != id) {
                events_of_two_units_in_one_tick += 1;
            }
            assert!(
                last_id.is_none_or(|last| last <= id),
                "events by unit id: {line}"
            );
            (stage, last_id) = (1, Some(id));
        } else {
            assert_eq!(stage, 0, "a unit record after the events: {line}");
            assert!(last_id.is_none_or(|last| last < id.unwrap()), "{line}");
            last_id = id;
        }
    }
    assert_eq!((tick, stage), (120, 2));
    assert!(
        events_of_two_units_in_one_tick > 10,
        "the order was put to the test"
    );
}

#[test]
fn the_checksum_ends_the_output_and_follows_the_seed() {
    let first = checksum_line(&["run"]);
    assert!(first.starts_with("checksum: 0x"), "{first}");
    let digits = &first["checksum: 0x".len()..];
    assert_eq!(digits.len(), 16, "{first}");
    assert!(
        digits
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_eq!(
        checksum_line(&["run"]),
        first,
        "the same seed, the same run"
    );
    assert_eq!(
        checksum_line(&["run", "--seed", "4"]),
        first,
        "4 is the scenario's seed"
    );
    assert_ne!(checksum_line(&["run", "--seed", "5"]), first);
}

#[test]
fn inspect_shows_each_tick_as_a_table_with_its_events() {
    let path = game_units_trace("inspect.jsonl");
    let output = tickweave(&["inspect", arg(&path), "--ticks", "4..=6"]);
    assert!(output.status.success(), "{output:?}");
    insta::assert_snapshot!("inspect_game_units_ticks_4_to_6", text(&output.stdout));
    let output = tickweave(&["inspect", arg(&path), "--unit", "u1", "--ticks", "12..14"]);
    assert!(output.status.success(), "{output:?}");
    insta::assert_snapshot!("inspect_game_units_u1_ticks_12_13", text(&output.stdout));
}

#[test]
fn inspect_of_one_unit_shows_the_events_that_name_it() {
    let path = trace("skirmish.jsonl", &["--ticks", "60"]);
    let output = tickweave(&["inspect", arg(&path), "--unit", "scout5"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = text(&output.stdout);
    // Caught by a guard: the guard's chase, the despawn, then no more rows for scout5.
    let catch = stdout
        .lines()
        .find(|line| line.contains("chase_caught target=scout5"))
        .unwrap_or_else(|| panic!("no catch of scout5:\n{stdout}"));
    assert!(catch.starts_with("  · "), "{catch}");
    assert!(stdout.contains("  · scout5 despawned by="), "{stdout}");
}

fn assert_invalid(output: &Output, expected_stderr: &str) {
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(text(&output.stderr), expected_stderr);
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
}

#[test]
fn inspect_says_what_is_wrong_with_its_input() {
    let path = game_units_trace("errors.jsonl");
    let file = arg(&path);
    assert_invalid(
        &tickweave(&["inspect", file, "--unit", "u7"]),
        &format!("tickweave: {file}: no unit is named \"u7\"; did you mean \"u0\"?\n"),
    );
    assert_invalid(
        &tickweave(&["inspect", file, "--unit", "dragon"]),
        &format!("tickweave: {file}: no unit is named \"dragon\"; its units are u0, u1\n"),
    );
    assert_invalid(
        &tickweave(&["inspect", file, "--ticks", "9..3"]),
        "tickweave: bad tick range \"9..3\": it selects no tick: the end comes before the start\n",
    );
    assert_invalid(
        &tickweave(&["inspect", file, "--ticks", "40..50"]),
        &format!(
            "tickweave: {file}: --ticks 40..50 selects no tick: the trace has ticks 0 to 30\n"
        ),
    );
    let broken = temp_path("broken.jsonl");
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    // The ticks before a malformed line are shown (a trace is read as it goes); then the error.
    lines[4] = r#"{"tick":1,"id":1,"unit":"u1","x":"far"}"#.into();
    std::fs::write(&broken, lines.join("\n")).unwrap();
    let output = tickweave(&["inspect", arg(&broken)]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        format!(
            "tickweave: {}:5: \"x\" must be a whole number, not \"far\"\n",
            arg(&broken)
        )
    );
    assert!(text(&output.stdout).starts_with("tick 0 "));
    lines[4] = "{not json".into();
    std::fs::write(&broken, lines.join("\n")).unwrap();
    let output = tickweave(&["inspect", arg(&broken)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).starts_with(&format!(
            "tickweave: {}:5: not a JSON record: key must be a string",
            arg(&broken)
        )),
        "{}",
        text(&output.stderr)
    );
    std::fs::write(&broken, "").unwrap();
    assert_invalid(
        &tickweave(&["inspect", arg(&broken)]),
        &format!(
            "tickweave: {}: the trace is empty; write one with `tickweave run --trace FILE`\n",
            arg(&broken)
        ),
    );
    let missing = temp_path("missing.jsonl");
    let output = tickweave(&["inspect", arg(&missing)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).starts_with(&format!(
            "tickweave: {}: cannot read the trace: ",
            arg(&missing)
        )),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn diff_of_two_runs_of_the_same_seed_finds_them_identical() {
    let a = trace("same-a.jsonl", &["--ticks", "50"]);
    let b = trace("same-b.jsonl", &["--ticks", "50"]);
    let output = tickweave(&["diff", arg(&a), arg(&b)]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(text(&output.stdout), "identical: 51 ticks\n");
}

#[test]
fn diff_finds_an_injected_divergence_at_its_tick() {
    let a = game_units_trace("inject-a.jsonl");
    let original = std::fs::read_to_string(&a).unwrap();
    let tampered = original.replace(
        r#"{"tick":17,"id":1,"unit":"u1","x":12,"y":0,"state":"finished","activity":""}"#,
        r#"{"tick":17,"id":1,"unit":"u1","x":13,"y":0,"state":"active","activity":"goto(13,0)"}"#,
    );
    assert_ne!(tampered, original, "the line to tamper with exists");
    let b = temp_path("inject-b.jsonl");
    std::fs::write(&b, tampered).unwrap();
    let output = tickweave(&["diff", arg(&a), arg(&b)]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(
        text(&output.stdout),
        format!(
            "{} and {} diverge at tick 17:\n  #1 u1: x 12 → 13, state finished → active, \
             activity \"\" → \"goto(13,0)\"\n",
            arg(&a),
            arg(&b)
        )
    );
    assert!(output.stderr.is_empty(), "{}", text(&output.stderr));
}

#[test]
fn diff_of_two_seeds_shows_where_the_scouts_part_ways() {
    let a = trace("seed4.jsonl", &["--ticks", "20"]);
    let b = trace("seed5.jsonl", &["--ticks", "20", "--seed", "5"]);
    let output = tickweave(&["diff", arg(&a), arg(&b)]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = text(&output.stdout);
    let first = stdout.lines().next().unwrap();
    assert_eq!(
        first,
        format!("{} and {} diverge at tick 1:", arg(&a), arg(&b))
    );
    // Guards patrol the same way whatever the seed; the scouts wander elsewhere.
    assert!(!stdout.contains("north:"), "{stdout}");
    assert!(stdout.contains("  #4 scout1: "), "{stdout}");
}

#[test]
fn diff_reports_a_trace_that_ends_early_and_refuses_bad_input() {
    let a = game_units_trace("long.jsonl");
    let b = trace(
        "short.jsonl",
        &["assets/scenarios/game_units.ron", "--ticks", "20"],
    );
    let output = tickweave(&["diff", arg(&a), arg(&b)]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(
        text(&output.stdout),
        format!(
            "{a} and {b} diverge at tick 21:\n  {b} ends after tick 20; {a} goes on\n",
            a = arg(&a),
            b = arg(&b)
        )
    );
    let missing = temp_path("nothing-here.jsonl");
    let output = tickweave(&["diff", arg(&a), arg(&missing)]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

#[test]
fn the_svg_parses_and_draws_one_path_per_unit() {
    for (scenario, units, ticks) in [
        (None, 12, "300 ticks"),
        (Some("assets/scenarios/game_units.ron"), 2, "30 ticks"),
    ] {
        let path = temp_path(&format!("picture-{units}.svg"));
        let mut args = vec!["run"];
        args.extend(scenario);
        args.extend(["--svg", arg(&path)]);
        let output = tickweave(&args);
        assert!(output.status.success(), "{output:?}");
        assert!(
            text(&output.stdout).contains(&format!("svg        {}\n", arg(&path))),
            "{output:?}"
        );
        let svg = std::fs::read_to_string(&path).unwrap();
        let document = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        let count = |class: &str| {
            root.descendants()
                .filter(|node| node.attribute("class") == Some(class))
                .count()
        };
        assert_eq!(count("unit"), units);
        assert_eq!(count("start"), units);
        assert_eq!(count("end") + count("despawned"), units);
        let paths: Vec<_> = root
            .descendants()
            .filter(|node| node.has_tag_name("path") && node.attribute("class") == Some("unit"))
            .collect();
        assert_eq!(paths.len(), units, "one path per unit");
        for path in paths {
            let d = path.attribute("d").unwrap();
            assert!(d.starts_with('M'), "{d}");
        }
        assert!(svg.contains(ticks), "the tick count is shown");
        assert!(svg.contains("grid x "), "the bounds are shown");
    }
}

/// The hue of an `hsl(h,s%,l%)` colour.
fn hue(colour: &str) -> f64 {
    let inner = colour.strip_prefix("hsl(").unwrap();
    inner.split(',').next().unwrap().parse().unwrap()
}

/// The distance between two hues, in degrees round the colour wheel.
fn hue_distance(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

#[test]
fn the_svg_marks_catches_and_despawns_and_groups_units_by_team() {
    let path = temp_path("teams.svg");
    let output = tickweave(&["run", "--svg", arg(&path)]);
    assert!(output.status.success(), "{output:?}");
    // The summary's tally: the skirmish's guards catch 8 scouts, each then despawned.
    assert!(text(&output.stdout).contains("caught 8"), "{output:?}");
    let svg = std::fs::read_to_string(&path).unwrap();
    let document = roxmltree::Document::parse(&svg).unwrap();
    let with_class = |class: &str| -> Vec<roxmltree::Node<'_, '_>> {
        document
            .descendants()
            .filter(|node| node.attribute("class") == Some(class))
            .collect()
    };
    let catches = with_class("catch");
    assert_eq!(catches.len(), 8);
    let guards = ["north", "east", "south", "west"];
    for catch in &catches {
        let title = catch.first_child().unwrap().text().unwrap();
        let chaser = title.split(' ').next().unwrap();
        assert!(guards.contains(&chaser), "{title}");
        assert!(title.contains(" caught scout"), "{title}");
    }
    assert_eq!(with_class("despawned").len(), 8);
    assert_eq!(with_class("end").len(), 4, "the guards stay");
    let headings: Vec<&str> = with_class("team")
        .iter()
        .map(|node| node.text().unwrap())
        .collect();
    assert_eq!(headings, ["guards (4 units)", "scouts (8 units)"]);
    // A team's paths share a family of hues, far from the other team's.
    let hues = |team: &str| -> Vec<f64> {
        with_class("unit")
            .iter()
            .filter(|node| node.attribute("data-team") == Some(team))
            .map(|node| hue(node.attribute("stroke").unwrap()))
            .collect()
    };
    let (guard_hues, scout_hues) = (hues("guards"), hues("scouts"));
    assert_eq!((guard_hues.len(), scout_hues.len()), (4, 8));
    for (own, other) in [(&guard_hues, &scout_hues), (&scout_hues, &guard_hues)] {
        for &a in own {
            assert!(own.iter().all(|&b| hue_distance(a, b) <= 40.0), "{own:?}");
            assert!(
                other.iter().all(|&b| hue_distance(a, b) >= 90.0),
                "{own:?} {other:?}"
            );
        }
    }
}

#[test]
fn the_svg_legend_of_many_units_is_truncated() {
    let scenario = temp_path("crowd.ron");
    let units: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "Unit(name: \"u{i}\", position: ({i}, 0), behavior: Goto(target: ({i}, {})))",
                i % 7 + 1
            )
        })
        .collect();
    std::fs::write(
        &scenario,
        format!("Scenario(ticks: 10, units: [{}])", units.join(",\n")),
    )
    .unwrap();
    let path = temp_path("crowd.svg");
    let output = tickweave(&["run", arg(&scenario), "--svg", arg(&path)]);
    assert!(output.status.success(), "{output:?}");
    let svg = std::fs::read_to_string(&path).unwrap();
    let document = roxmltree::Document::parse(&svg).unwrap();
    let paths = document
        .descendants()
        .filter(|node| node.has_tag_name("path"))
        .count();
    assert_eq!(paths, 40);
    assert!(svg.contains("… and 24 more"), "{svg}");
}

#[test]
fn without_a_terminal_there_is_no_progress_bar_and_rust_log_shows_transitions() {
    let output = tickweave(&["run", "--ticks", "50"]);
    assert!(output.status.success());
    assert!(output.stderr.is_empty(), "{}", text(&output.stderr));
    let output = Command::new(env!("CARGO_BIN_EXE_tickweave"))
        .args(["run", "assets/scenarios/game_units.ron", "--ticks", "13"])
        .env("RUST_LOG", "tickweave=debug")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = text(&output.stderr);
    let events: Vec<&str> = stderr
        .lines()
        .map(|line| line.split_once(" DEBUG ").map_or(line, |(_, rest)| rest))
        .collect();
    assert_eq!(
        events,
        [
            r#"tick{tick=1}:poll{id=1 unit="u1"}: tickweave::events: goto issued unit=#1 x=12 y=0"#,
            r#"tick{tick=6}: tickweave::events: waypoint reached unit=#0 index=0 x=-5 y=0"#,
            r#"tick{tick=13}:poll{id=1 unit="u1"}: tickweave::events: goto arrived unit=#1 x=12 y=0"#,
            r#"tick{tick=13}:poll{id=1 unit="u1"}: tickweave::events: behaviour completed unit=#1"#,
        ]
    );
}

#[test]
fn help_lists_the_inspection_options_and_commands() {
    let output = tickweave(&["run", "--help"]);
    let stdout = text(&output.stdout);
    for option in [
        "--trace <FILE>",
        "--svg <FILE>",
        "--quiet",
        "4 million points",
    ] {
        assert!(
            stdout.contains(option),
            "run --help lacks {option}:\n{stdout}"
        );
    }
    let output = tickweave(&["--help"]);
    let stdout = text(&output.stdout);
    for command in ["inspect", "diff"] {
        assert!(
            stdout.contains(command),
            "--help lacks {command}:\n{stdout}"
        );
    }
}

/// A trace is a file anyone may write: the text it holds is printed with its control
/// characters escaped, so that it cannot clear the screen, recolour the terminal or forge a
/// line of the table — by `inspect`, in its messages, and by `diff`.
#[test]
fn control_characters_in_a_trace_are_printed_escaped() {
    let path = temp_path("control.jsonl");
    std::fs::write(
        &path,
        concat!(
            r#"{"tick":0,"id":0,"unit":"a\u001b[2J","x":0,"y":0,"state":"active","activity":"goto(1,0)\nfake row"}"#,
            "\n",
            r#"{"tick":0,"id":0,"unit":"a\u001b[2J","event":"tally","name":"bell\u0007"}"#,
            "\n",
            r#"{"tick":0,"checksum":"0x1","units":1}"#,
            "\n",
        ),
    )
    .unwrap();
    let output = tickweave(&["inspect", arg(&path)]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        text(&output.stdout),
        "tick 0  checksum 0x1\n  a\\u{1b}[2J   #0  (0,0)      goto(1,0)\\nfake row\n  · \
         a\\u{1b}[2J tally name=bell\\u{7}\n"
    );

    let output = tickweave(&["inspect", arg(&path), "--unit", "b"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        format!(
            "tickweave: {}: no unit is named \"b\"; its units are a\\u{{1b}}[2J\n",
            arg(&path)
        )
    );

    let other = temp_path("control_other.jsonl");
    let plain = std::fs::read_to_string(&path)
        .unwrap()
        .replace(r#""x":0"#, r#""x":1"#);
    std::fs::write(&other, plain).unwrap();
    let output = tickweave(&["diff", arg(&path), arg(&other)]);
    assert_eq!(output.status.code(), Some(1));
    let report = text(&output.stdout);
    assert!(report.contains("\n  #0 a\\u{1b}[2J: x 0 → 1\n"), "{report}");
    assert!(!report.contains('\u{1b}'), "{report}");
}

/// A trace that `run --trace` could not have written is refused where it goes wrong, by every
/// command that reads one, rather than shown as if it were a run.
#[test]
fn a_trace_run_could_not_have_written_is_refused_at_its_line() {
    let good = game_units_trace("consistent.jsonl");
    let lines: Vec<String> = std::fs::read_to_string(&good)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    // Lines 1-3: tick 0's two units and its checksum; line 4 is tick 1's first unit.
    assert!(lines[2].contains("\"checksum\""), "{}", lines[2]);
    let broken = temp_path("inconsistent.jsonl");
    let refused = |edit: &dyn Fn(&mut Vec<String>)| {
        let mut edited = lines.clone();
        edit(&mut edited);
        std::fs::write(&broken, edited.join("\n") + "\n").unwrap();
        let outputs = ["inspect", "view", "diff"].map(|command| {
            let mut args = vec![command, arg(&broken)];
            match command {
                "diff" => args.push(arg(&good)),
                "view" => args.extend(["-o", "/dev/null"]),
                _ => {}
            }
            tickweave(&args)
        });
        for output in &outputs {
            assert_eq!(output.status.code(), Some(2), "{output:?}");
            assert_eq!(output.stderr, outputs[0].stderr);
        }
        text(&outputs[0].stderr).replace(arg(&broken), "T")
    };
    assert_eq!(
        refused(&|lines| lines[1] = lines[0].clone()),
        "tickweave: T:2: unit #0 comes after unit #0 in tick 0: a tick lists each unit once, in \
         id order\n"
    );
    assert_eq!(
        refused(&|lines| lines[0] = lines[0].replace("\"active\"", "\"bogus\"")),
        "tickweave: T:1: \"state\" must be one of \"none\", \"active\", \"paused\", \
         \"finished\", not \"bogus\"\n"
    );
    assert_eq!(
        refused(&|lines| lines[2] = lines[2].replace("\"units\":2", "\"units\":3")),
        "tickweave: T:3: the checksum record of tick 0 counts 3 units, but the tick lists 2\n"
    );
    assert_eq!(
        refused(&|lines| lines[2] = r#"{"tick":0,"checksum":"nothex","units":2}"#.into()),
        "tickweave: T:3: \"checksum\" must be 0x and up to 16 hexadecimal digits, not \
         \"nothex\"\n"
    );
    assert_eq!(
        refused(&|lines| {
            let event = r#"{"tick":0,"id":0,"unit":"u0","event":"wait_done"}"#;
            lines.insert(3, event.into());
        }),
        "tickweave: T:4: a record of tick 0 after its checksum record, which ends a tick\n"
    );
    assert_eq!(
        refused(&|lines| {
            lines.remove(2);
        }),
        "tickweave: T:3: tick 0 ended without its checksum record: a trace written by `run \
         --trace` ends every tick with one\n"
    );
    let last = lines.len() - 1;
    assert_eq!(
        refused(&|lines| {
            lines.pop();
        }),
        format!(
            "tickweave: T:{}: the trace ends in tick 30, before its checksum record: it was cut short\n",
            last + 1
        )
    );
}
