//! `run --profile FILE`: the run's tick and poll spans in the Chrome trace-event format.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn tickweave(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tickweave"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("the tickweave binary runs")
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tickweave-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs `run ARGS --profile FILE`; returns the profile's events and the summary's poll count.
fn profile(name: &str, args: &[&str]) -> (Vec<Value>, u64) {
    let path = temp_path(name);
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend(["--profile", path.to_str().unwrap()]);
    let output = tickweave(&all);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains(&format!("\nprofile    {}\n", path.display())),
        "{stdout}"
    );
    let polls = stdout
        .lines()
        .find_map(|line| line.strip_prefix("polls      "))
        .unwrap()
        .parse()
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let Value::Array(events) = serde_json::from_str(&text).expect("the profile is JSON") else {
        panic!("the profile is not a JSON array of events: {text}");
    };
    (events, polls)
}

/// A span of the profile: its name, its arguments, and when it began and ended.
#[derive(Debug)]
struct Span {
    name: String,
    args: Value,
    id: u64,
    begin: f64,
    end: f64,
}

/// Pairs each `b` event with the `e` event that ends it (the next of the same name and id).
fn spans(events: &[Value]) -> Vec<Span> {
    let mut open: Vec<Span> = Vec::new();
    let mut closed = Vec::new();
    for event in events {
        for key in ["ph", "pid"] {
            assert!(event.get(key).is_some(), "{event}");
        }
        let phase = event["ph"].as_str().unwrap();
        if phase == "M" {
            continue;
        }
        let (name, id, ts) = (
            event["name"].as_str().unwrap().to_owned(),
            event["id"].as_u64().unwrap(),
            event["ts"].as_f64().unwrap(),
        );
        assert_eq!(event["cat"], "tickweave", "{event}");
        match phase {
            "b" => open.push(Span {
                name,
                args: event["args"].clone(),
                id,
                begin: ts,
                end: f64::NAN,
            }),
            "e" => {
                let at = open
                    .iter()
                    .rposition(|span| span.name == name && span.id == id)
                    .unwrap_or_else(|| panic!("an end with no beginning: {event}"));
                let mut span = open.remove(at);
                assert!(ts >= span.begin, "{event}");
                span.end = ts;
                closed.push(span);
            }
            other => panic!("only tick and poll spans are recorded, not {other:?}: {event}"),
        }
    }
    assert!(open.is_empty(), "spans never ended: {open:?}");
    closed.sort_by(|a, b| a.begin.total_cmp(&b.begin));
    closed
}

#[test]
fn the_profile_has_one_tick_span_per_tick_with_the_polls_inside() {
    let (events, polls) = profile("skirmish.json", &["--ticks", "120"]);
    let spans = spans(&events);
    let ticks: Vec<&Span> = spans.iter().filter(|span| span.name == "tick").collect();
    let numbers: Vec<u64> = ticks
        .iter()
        .map(|span| span.args["tick"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        numbers,
        (1..=120).collect::<Vec<u64>>(),
        "one tick span per tick, in order"
    );
    for pair in ticks.windows(2) {
        assert!(
            pair[0].end <= pair[1].begin,
            "ticks do not overlap: {pair:?}"
        );
    }
    let poll_spans: Vec<&Span> = spans.iter().filter(|span| span.name == "poll").collect();
    assert_eq!(poll_spans.len() as u64, polls, "one poll span per poll");
    assert!(polls > 100, "the polls were put to the test");
    for poll in poll_spans {
        let tick = ticks
            .iter()
            .find(|tick| tick.begin <= poll.begin && poll.end <= tick.end)
            .unwrap_or_else(|| panic!("a poll outside every tick: {poll:?}"));
        assert_eq!(poll.id, tick.id, "a poll nests in its tick's track");
        assert!(poll.args["id"].is_string(), "{poll:?}");
        // On the event that begins it, which is what a timeline labels the slice with.
        assert!(poll.args["unit"].is_string(), "{poll:?}");
    }
}

#[test]
fn a_run_of_quiet_ticks_still_has_a_tick_span_for_each() {
    // The seed's units: after tick 13 every behaviour is parked or finished; nothing is polled.
    let (events, polls) = profile("game_units.json", &["assets/scenarios/game_units.ron"]);
    let spans = spans(&events);
    assert_eq!(spans.iter().filter(|span| span.name == "tick").count(), 30);
    assert_eq!(polls, 3);
    assert_eq!(spans.iter().filter(|span| span.name == "poll").count(), 3);
}

#[test]
fn a_profile_that_cannot_be_created_or_clashes_is_refused_before_running() {
    let output = tickweave(&["run", "--profile", "no/such/dir/p.json"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("tickweave: no/such/dir/p.json: cannot create the profile: "),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
    let path = temp_path("both.json");
    let path = path.to_str().unwrap();
    let output = tickweave(&["run", "--trace", path, "--profile", path]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "tickweave: --trace and --profile both name {path}: each output needs a file of its own\n"
        )
    );
}
