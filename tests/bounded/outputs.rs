//! Outputs replace what was at their paths only when complete: a refused or failed run leaves
//! every file as it was, and no partial file behind.

use super::limited::{self, Limits, listing};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tickweave-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/scenarios/game_units.ron"
    );
    std::fs::copy(scenario, dir.join("game_units.ron")).unwrap();
    dir
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| (*word).to_owned()).collect()
}

#[test]
fn a_refused_output_leaves_the_others_untouched() {
    let dir = scratch("refused-output");
    std::fs::write(dir.join("old.csv"), "precious\n").unwrap();
    let ended = limited::run(
        &dir,
        &args(&[
            "run",
            "game_units.ron",
            "--csv",
            "old.csv",
            "--trace",
            "no/dir/t.jsonl",
        ]),
        Limits::default(),
    );
    assert_eq!(ended.code, Some(2), "{ended:?}");
    assert_eq!(
        ended.stderr,
        "tickweave: no/dir/t.jsonl: cannot create the trace file: No such file or directory (os \
         error 2)\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("old.csv")).unwrap(),
        "precious\n"
    );
    assert_eq!(listing(&dir), ["game_units.ron", "old.csv"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_run_that_fails_part_way_leaves_no_trace_to_take_for_a_shorter_run() {
    let dir = scratch("failed-run");
    std::fs::write(dir.join("t.jsonl"), "old\n").unwrap();
    let ended = limited::run(
        &dir,
        &args(&[
            "run",
            "game_units.ron",
            "--csv",
            "/dev/full",
            "--trace",
            "t.jsonl",
        ]),
        Limits::default(),
    );
    assert_eq!(ended.code, Some(3), "{ended:?}");
    assert_eq!(
        ended.stderr,
        "tickweave: /dev/full: cannot write: No space left on device (os error 28)\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("t.jsonl")).unwrap(),
        "old\n"
    );
    assert_eq!(listing(&dir), ["game_units.ron", "t.jsonl"]);
    std::fs::remove_dir_all(&dir).ok();
}

/// An output named through a symbolic link replaces the file the link leads to (relative to
/// the link, and also when that file does not exist yet); the link stays a link.
#[cfg(unix)]
#[test]
fn an_output_through_a_symbolic_link_replaces_the_file_it_leads_to() {
    use std::os::unix::fs::symlink;
    let dir = scratch("linked-output");
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(dir.join("kept.csv"), "old\n").unwrap();
    symlink("../kept.csv", dir.join("sub/link.csv")).unwrap();
    symlink("fresh.csv", dir.join("new.csv")).unwrap();
    let run = |csv: &str| {
        let words = ["run", "game_units.ron", "--ticks", "1", "--csv", csv, "-q"];
        limited::run(&dir, &args(&words), Limits::default())
    };
    for csv in ["sub/link.csv", "new.csv"] {
        let ended = run(csv);
        assert_eq!(ended.code, Some(0), "{ended:?}");
    }
    let rows = "tick,unit,x,y\n0,u0,0,0\n0,u1,0,0\n1,u0,-1,0\n1,u1,1,0\n";
    for (link, file) in [("sub/link.csv", "kept.csv"), ("new.csv", "fresh.csv")] {
        let meta = std::fs::symlink_metadata(dir.join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} is still a link");
        assert_eq!(std::fs::read_to_string(dir.join(file)).unwrap(), rows);
    }
    assert_eq!(
        listing(&dir),
        ["fresh.csv", "game_units.ron", "kept.csv", "new.csv", "sub"]
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `--csv /dev/stdout` with the standard output going to a file: the rows, then the summary,
/// in the file; neither overwrites the other, and the file stays the one the shell opened.
#[cfg(target_os = "linux")]
#[test]
fn an_output_to_the_standard_output_redirected_to_a_file_goes_in_order() {
    let dir = scratch("stdout-output");
    let out = std::fs::File::create(dir.join("out.txt")).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tickweave"))
        .args([
            "run",
            "game_units.ron",
            "--ticks",
            "1",
            "--csv",
            "/dev/stdout",
        ])
        .current_dir(&dir)
        .stdout(out)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(dir.join("out.txt")).unwrap();
    let rows = "tick,unit,x,y\n0,u0,0,0\n0,u1,0,0\n1,u0,-1,0\n1,u1,1,0\n";
    assert!(text.starts_with(rows), "{text}");
    assert!(
        text[rows.len()..].starts_with("scenario   game_units\n"),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with(|c: char| c.is_ascii_hexdigit()),
        "{text}"
    );
    assert_eq!(listing(&dir), ["game_units.ron", "out.txt"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn outputs_may_all_go_to_a_device() {
    let dir = scratch("device-outputs");
    let ended = limited::run(
        &dir,
        &args(&[
            "run",
            "game_units.ron",
            "--csv",
            "/dev/null",
            "--trace",
            "/dev/null",
            "-q",
        ]),
        Limits::default(),
    );
    assert_eq!(ended.code, Some(0), "{ended:?}");
    assert_eq!(listing(&dir), ["game_units.ron"]);
    // A sweep to a device keeps no journal beside it.
    let ended = limited::run(
        &dir,
        &args(&[
            "sweep",
            "game_units.ron",
            "--seeds",
            "0..3",
            "--out",
            "/dev/null",
            "--svg",
            "/dev/null",
            "-q",
        ]),
        Limits::default(),
    );
    assert_eq!(ended.code, Some(0), "{ended:?}");
    assert_eq!(listing(&dir), ["game_units.ron"]);
    let ended = limited::run(
        &dir,
        &args(&[
            "sweep",
            "game_units.ron",
            "--seeds",
            "0..3",
            "--out",
            "/dev/full",
        ]),
        Limits::default(),
    );
    assert_eq!(ended.code, Some(3), "{ended:?}");
    assert_eq!(
        ended.stderr,
        "tickweave: /dev/full: cannot write: No space left on device (os error 28)\n"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A name may hold commas and quotes (a line break it may not: see the scenario format), which
/// the CSV quotes as RFC 4180 readers expect.
#[test]
fn csv_quotes_names_with_commas_and_quotes() {
    let dir = scratch("csv-quoting");
    std::fs::write(
        dir.join("names.ron"),
        r#"Scenario(units: [
            Unit(name: "Smith, J", position: (0, 0), behavior: Wait(ticks: 1)),
            Unit(name: "say \"q\"", position: (1, 0), behavior: Wait(ticks: 1)),
        ])"#,
    )
    .unwrap();
    let ended = limited::run(
        &dir,
        &args(&["run", "names.ron", "--ticks", "1", "--csv", "out.csv", "-q"]),
        Limits::default(),
    );
    assert_eq!(ended.code, Some(0), "{ended:?}");
    assert_eq!(
        std::fs::read_to_string(dir.join("out.csv")).unwrap(),
        "tick,unit,x,y\n0,\"Smith, J\",0,0\n0,\"say \"\"q\"\"\",1,0\n\
         1,\"Smith, J\",0,0\n1,\"say \"\"q\"\"\",1,0\n"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A trace of three ticks of the seed's units, for the commands that read one.
const SHORT_TRACE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/bounded/game_units_3.jsonl"
);

/// The exit status says which went wrong: a report that could not be written is 3, never the 1
/// of traces that differ.
#[test]
fn an_unwritable_report_exits_3_whichever_the_command() {
    let dir = scratch("unwritable-report");
    let trace = SHORT_TRACE;
    for words in [
        vec!["run", "game_units.ron", "-q"],
        vec!["check", "game_units.ron"],
        vec!["inspect", trace],
        vec!["diff", trace, trace],
        vec!["sweep", "game_units.ron", "--seeds", "0..3", "-q"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let ended = std::process::Command::new(env!("CARGO_BIN_EXE_tickweave"))
            .args(&words)
            .current_dir(&dir)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(ended.status.code(), Some(3), "{words:?}: {ended:?}");
        let stderr = String::from_utf8(ended.stderr).unwrap();
        assert!(
            stderr.starts_with("tickweave: cannot write output: "),
            "{words:?}: {stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A reader that goes away (`tickweave inspect t.jsonl | head -0`) is an output that could not
/// be written, for `inspect` as for every command: status 3 and the reason, not a silent
/// success that a script would take for a complete report.
#[test]
fn a_closed_pipe_exits_3_whichever_the_command() {
    let dir = scratch("closed-pipe");
    let trace = SHORT_TRACE;
    for words in [
        vec!["run", "game_units.ron", "-q"],
        vec!["check", "game_units.ron"],
        vec!["inspect", trace],
        vec!["inspect", trace, "--unit", "u1", "--ticks", "2"],
        vec!["diff", trace, trace],
        vec!["view", trace, "-o", "page.html"],
        vec!["sweep", "game_units.ron", "--seeds", "0..3", "-q"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let ended = std::process::Command::new(env!("CARGO_BIN_EXE_tickweave"))
            .args(&words)
            .current_dir(&dir)
            .stdout(writer)
            .output()
            .unwrap();
        assert_eq!(ended.status.code(), Some(3), "{words:?}: {ended:?}");
        assert_eq!(
            String::from_utf8(ended.stderr).unwrap(),
            "tickweave: cannot write output: Broken pipe (os error 32)\n",
            "{words:?}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
