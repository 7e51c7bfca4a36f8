//! Ctrl-C during a run that would last for ever: it stops between two ticks, with the summary,
//! the CSV and the trace all complete up to that tick.

use std::process::Command;
use std::time::{Duration, Instant};

use super::limited::{self, Limits, listing};

#[test]
fn ctrl_c_stops_a_long_run_at_a_tick_boundary_with_every_output_complete() {
    let dir = std::env::temp_dir().join(format!("tickweave-interrupt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/scenarios/game_units.ron"
    );
    let args = long_run_args(scenario);
    let limits = Limits::default();
    let child = limited::start(&dir, &args, limits);
    // Once the trace holds a few ticks, the run is well under way. It is written beside its
    // path (`.run.jsonl.PID.partial`) and moved there when finished.
    let partial = dir.join(format!(".run.jsonl.{}.partial", child.id()));
    let waiting = Instant::now();
    while std::fs::metadata(&partial).map_or(0, |meta| meta.len()) < 10_000 {
        assert!(
            waiting.elapsed() < Duration::from_secs(20),
            "the run never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let ended = limited::finish(child, limits);

    assert_eq!(ended.code, Some(130), "{ended:?}");
    let last = ended
        .stderr
        .strip_prefix("tickweave: interrupted: stopped after tick ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|tick| tick.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("{}", ended.stderr));
    assert_eq!(
        ended.stderr,
        format!(
            "tickweave: interrupted: stopped after tick {last} of 1000000000; the summary and \
             every output cover ticks 0 to {last}\n"
        )
    );
    assert!(
        ended.stdout.contains(&format!("\nticks      {last}\n")),
        "{}",
        ended.stdout
    );
    assert!(
        ended
            .stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("checksum: 0x")
    );

    // The trace ends with the checksum of the last tick; the CSV has both units at every tick.
    assert!(!partial.exists(), "the partial trace was moved into place");
    let trace = std::fs::read_to_string(dir.join("run.jsonl")).unwrap();
    let final_record = trace.lines().last().unwrap();
    assert!(
        final_record.starts_with(&format!("{{\"tick\":{last},\"checksum\":\"0x")),
        "{final_record}"
    );
    let csv = std::fs::read_to_string(dir.join("run.csv")).unwrap();
    assert_eq!(csv.lines().count() as u64, 1 + 2 * (last + 1));
    assert_eq!(
        csv.lines().last().unwrap(),
        format!("{last},u1,12,0"),
        "u1 reached (12, 0) on tick 12 and stays"
    );
    // And the trace reads back whole.
    let inspected = limited::run(
        &dir,
        &[
            "inspect".into(),
            "run.jsonl".into(),
            "--ticks".into(),
            last.to_string(),
        ],
        limits,
    );
    assert_eq!(inspected.code, Some(0), "{inspected:?}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The arguments of a run of `scenario` that would last for ever, writing `run.jsonl` and
/// `run.csv`.
fn long_run_args(scenario: &str) -> Vec<String> {
    let words = [
        "run",
        scenario,
        "--ticks",
        "1000000000",
        "--trace",
        "run.jsonl",
        "--csv",
        "run.csv",
        "-q",
    ];
    words.map(str::to_owned).to_vec()
}

/// Starts a run that would last for ever, writing a trace and a CSV in `dir` (which holds an
/// old `run.csv`), and waits until its trace holds `bytes`: the run is then well under way.
fn start_long_run(dir: &std::path::Path, scenario: &str, bytes: u64) -> std::process::Child {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("run.csv"), "old\n").unwrap();
    let args = long_run_args(scenario);
    let child = limited::start(dir, &args, Limits::default());
    let partial = dir.join(format!(".run.jsonl.{}.partial", child.id()));
    let waiting = Instant::now();
    while std::fs::metadata(&partial).map_or(0, |meta| meta.len()) < bytes {
        assert!(
            waiting.elapsed() < Duration::from_secs(20),
            "the run never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

fn signal(child: &std::process::Child, name: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// `timeout` and job schedulers end a program with SIGTERM, a closed terminal with SIGHUP: a
/// run stops as for Ctrl-C, its outputs complete and moved into place, none left half-written
/// beside its path.
#[test]
fn sigterm_or_sighup_stops_a_long_run_like_ctrl_c() {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/scenarios/game_units.ron"
    );
    for name in ["TERM", "HUP"] {
        let dir = std::env::temp_dir().join(format!("tickweave-sig{name}-{}", std::process::id()));
        let child = start_long_run(&dir, scenario, 10_000);
        signal(&child, name);
        let ended = limited::finish(child, Limits::default());

        assert_eq!(ended.code, Some(130), "{name}: {ended:?}");
        assert!(
            ended
                .stderr
                .starts_with("tickweave: interrupted: stopped after tick "),
            "{name}: {}",
            ended.stderr
        );
        assert_eq!(listing(&dir), ["run.csv", "run.jsonl"], "{name}");
        let trace = std::fs::read_to_string(dir.join("run.jsonl")).unwrap();
        assert!(trace.lines().last().unwrap().contains("\"checksum\":\"0x"));
        let csv = std::fs::read_to_string(dir.join("run.csv")).unwrap();
        assert!(csv.starts_with("tick,unit,x,y\n"), "{csv}");
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// A second signal, while the first waits for a slow tick to end, stops the program at once:
/// the outputs stay as they were (an old file untouched, a new one never made), and no
/// temporary file is left beside them.
#[test]
fn a_second_signal_stops_at_once_and_leaves_no_temporary_file() {
    let dir = std::env::temp_dir().join(format!("tickweave-second-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // 100,000 units make a tick last about a second, for the second signal to come within it.
    std::fs::write(
        dir.join("many.ron"),
        "Scenario(groups: [Group(name: \"w\", count: 100000, area: (from: (0, 0), to: (99, \
         99)), behavior: Wander(from: (0, 0), to: (99, 99)))])",
    )
    .unwrap();
    for name in ["TERM", "INT"] {
        let mut attempts = 0;
        let ended = loop {
            let child = start_long_run(&dir, "many.ron", 1_000_000);
            signal(&child, name);
            std::thread::sleep(Duration::from_millis(5));
            signal(&child, name);
            let ended = limited::finish(child, Limits::default());
            // Rarely, the first signal comes just as a tick ends and the run stops there
            // before the second: that is the first signal's stop, so try again.
            attempts += 1;
            if attempts < 3 && ended.stderr.starts_with("tickweave: interrupted:") {
                std::fs::remove_file(dir.join("run.jsonl")).ok();
                continue;
            }
            break ended;
        };

        assert_eq!(ended.code, Some(130), "{name}: {ended:?}");
        assert_eq!(ended.stderr, "", "{name}");
        assert_eq!(listing(&dir), ["many.ron", "run.csv"], "{name}");
        assert_eq!(
            std::fs::read_to_string(dir.join("run.csv")).unwrap(),
            "old\n"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
