//! Ctrl-C during a run that would last for ever: it stops between two ticks, with the summary,
//! the CSV and the trace all complete up to that tick.

use std::process::Command;
use std::time::{Duration, Instant};

use super::limited::{self, Limits};

#[test]
fn ctrl_c_stops_a_long_run_at_a_tick_boundary_with_every_output_complete() {
    let dir = std::env::temp_dir().join(format!("tickweave-interrupt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/scenarios/game_units.ron"
    );
    let args: Vec<String> = [
        "run",
        scenario,
        "--ticks",
        "1000000000",
        "--trace",
        "run.jsonl",
        "--csv",
        "run.csv",
        "-q",
    ]
    .map(str::to_owned)
    .to_vec();
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
