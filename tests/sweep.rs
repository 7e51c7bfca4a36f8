//! `tickweave sweep` and `tickweave merge` as a user runs them: a seed's row says what
//! `tickweave run --seed S` says; the file is the same bytes however many threads or shards
//! made it, and however often it was stopped and resumed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A scratch directory of its own for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tickweave-sweep-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tickweave(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tickweave"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the tickweave binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Runs `args`, which must succeed; returns stdout.
fn succeed(dir: &Path, args: &[&str]) -> String {
    let output = tickweave(dir, args);
    assert!(
        output.status.success(),
        "{args:?}: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stdout)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// The rows of a sweep's file, by seed: each a map from column name to value.
fn rows(file: &str) -> BTreeMap<u64, BTreeMap<String, String>> {
    let mut lines = file.lines();
    assert!(lines.next().unwrap().starts_with("# tickweave sweep; "));
    let names: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|line| {
            let row: BTreeMap<String, String> = names
                .iter()
                .zip(line.split(','))
                .map(|(name, value)| ((*name).to_owned(), value.to_owned()))
                .collect();
            (row["seed"].parse().unwrap(), row)
        })
        .collect()
}

/// The value after `label` on the summary line that starts with it.
fn summary_line<'a>(summary: &'a str, label: &str) -> &'a str {
    summary
        .lines()
        .find_map(|line| line.strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label:?} in\n{summary}"))
        .trim()
}

/// `name count, name count` as a map.
fn counts(list: &str) -> BTreeMap<String, String> {
    list.split(", ")
        .map(|pair| {
            let (name, count) = pair.rsplit_once(' ').unwrap();
            (name.to_owned(), count.to_owned())
        })
        .collect()
}

#[test]
fn a_seeds_row_says_what_run_with_that_seed_says() {
    let dir = scratch("equals-run");
    succeed(
        &dir,
        &["sweep", "--seeds", "0..20", "--out", "sweep.csv", "-q"],
    );
    let rows = rows(&read(&dir, "sweep.csv"));
    assert_eq!(
        rows.keys().copied().collect::<Vec<_>>(),
        (0..20).collect::<Vec<_>>()
    );
    for (seed, row) in &rows {
        let summary = succeed(&dir, &["run", "--seed", &seed.to_string(), "-q"]);
        let mut expected = BTreeMap::new();
        expected.insert("seed".to_owned(), seed.to_string());
        expected.insert(
            "ticks".to_owned(),
            summary_line(&summary, "ticks ").to_owned(),
        );
        let units = summary_line(&summary, "units ");
        let (spawned, alive) = units
            .strip_suffix(" alive at the end")
            .and_then(|units| units.split_once(" spawned, "))
            .unwrap();
        expected.insert("units".to_owned(), spawned.to_owned());
        expected.insert("alive".to_owned(), alive.to_owned());
        // "0 completed, 0 failed, …": the count comes first.
        for ending in summary_line(&summary, "endings ").split(", ") {
            let (count, name) = ending.split_once(' ').unwrap();
            expected.insert(name.to_owned(), count.to_owned());
        }
        expected.insert(
            "polls".to_owned(),
            summary_line(&summary, "polls ").to_owned(),
        );
        for (name, count) in counts(summary_line(&summary, "events ")) {
            expected.insert(format!("tally.{name}"), count);
        }
        for (kind, count) in counts(summary_line(&summary, "raised ")) {
            expected.insert(format!("event.{kind}"), count);
        }
        expected.insert(
            "checksum".to_owned(),
            summary_line(&summary, "checksum:").to_owned(),
        );
        expected.insert("fault".to_owned(), String::new());
        // A tally or event kind another seed counted is 0 here.
        let counted: BTreeMap<String, String> = row
            .iter()
            .filter(|(name, value)| expected.contains_key(*name) || *value != "0")
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        assert_eq!(counted, expected, "seed {seed}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_file_does_not_depend_on_the_threads() {
    let dir = scratch("jobs");
    let sweep = |jobs: &str, out: &str| {
        let args = [
            "sweep", "--seeds", "0..24", "--ticks", "150", "--jobs", jobs, "--out", out,
        ];
        succeed(&dir, &args)
    };
    let one = sweep("1", "one.csv");
    let two = sweep("2", "two.csv");
    assert!(
        one.contains("\nran        24 seeds on 1 thread in "),
        "{one}"
    );
    assert!(
        two.contains("\nran        24 seeds on 2 threads in "),
        "{two}"
    );
    assert_eq!(read(&dir, "one.csv"), read(&dir, "two.csv"));
    // And the summary, but for its timing.
    let untimed = |summary: &str| -> Vec<String> {
        summary
            .lines()
            .filter(|line| !line.starts_with("ran ") && !line.starts_with("out "))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(untimed(&one), untimed(&two));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn shards_merged_are_the_whole_sweeps_file_byte_for_byte() {
    let dir = scratch("shards");
    let seeds = ["--seeds", "40..50,0..=7,100", "--ticks", "120", "-q"];
    succeed(
        &dir,
        &[&["sweep", "--out", "whole.csv"][..], &seeds].concat(),
    );
    for shard in 0..3 {
        let (shard, out) = (format!("{shard}/3"), format!("shard{shard}.csv"));
        let summary = succeed(
            &dir,
            &[&["sweep", "--shard", &shard, "--out", &out][..], &seeds].concat(),
        );
        // 19 seeds: shards of 7, 6 and 6, by position in the list.
        let size = if shard == "0/3" { 7 } else { 6 };
        assert!(
            summary.contains(&format!("\nshard      {shard}: {size} of the seeds\n")),
            "{summary}"
        );
    }
    let shard0 = rows(&read(&dir, "shard0.csv"));
    assert_eq!(
        shard0.keys().copied().collect::<Vec<_>>(),
        [2, 5, 40, 43, 46, 49, 100],
        "positions 0, 3, 6, … 18 of 40..50,0..=7,100"
    );
    let merged = succeed(
        &dir,
        &[
            "merge",
            "shard2.csv",
            "shard0.csv",
            "shard1.csv",
            "-o",
            "merged.csv",
        ],
    );
    assert!(merged.starts_with("merged     3 files: 19 rows of seeds 40..=49,0..=7,100\n"));
    assert!(
        merged.ends_with("\nout        merged.csv (19 rows)\n"),
        "{merged}"
    );
    assert_eq!(
        std::fs::read(dir.join("merged.csv")).unwrap(),
        std::fs::read(dir.join("whole.csv")).unwrap()
    );

    // Overlapping or missing shards are refused, and nothing is written.
    let refused = tickweave(
        &dir,
        &["merge", "shard0.csv", "shard1.csv", "-o", "partial.csv"],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        text(&refused.stderr),
        "tickweave: seeds 42, 45, 48, 1, 4 and 1 more of the sweep's 19 (40..=49,0..=7,100) have \
         no row in these files: the file of shard 2/3 is missing; merge every shard's file\n"
    );
    let refused = tickweave(
        &dir,
        &[
            "merge",
            "shard0.csv",
            "shard1.csv",
            "shard0.csv",
            "-o",
            "x.csv",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        text(&refused.stderr),
        "tickweave: seed 2 has a row in both shard0.csv and shard0.csv: give each shard's file \
         once\n"
    );
    let other = [
        "sweep",
        "--seeds",
        "40..50,0..=7,100",
        "--ticks",
        "100",
        "--shard",
        "2/3",
    ];
    succeed(&dir, &[&other[..], &["--out", "other.csv", "-q"]].concat());
    let refused = tickweave(
        &dir,
        &[
            "merge",
            "shard0.csv",
            "shard1.csv",
            "other.csv",
            "-o",
            "x.csv",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        text(&refused.stderr),
        "tickweave: shard0.csv and other.csv are not shards of one sweep: ticks 120 in \
         shard0.csv, 100 in other.csv\n"
    );
    assert!(!dir.join("partial.csv").exists() && !dir.join("x.csv").exists());
    std::fs::remove_dir_all(&dir).ok();
}

/// Starts a sweep and stops it (with `signal`) once its journal holds `rows` rows.
fn stop_part_way(dir: &Path, args: &[&str], signal: &str, rows: usize) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_tickweave"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let journal = dir.join("stopped.csv.partial");
    let waiting = Instant::now();
    while std::fs::read_to_string(&journal).map_or(0, |text| text.lines().count()) < 1 + rows {
        assert!(
            waiting.elapsed() < Duration::from_secs(60),
            "the sweep never got going"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    child.wait_with_output().unwrap()
}

#[test]
fn a_killed_sweep_resumes_to_the_same_file() {
    let dir = scratch("killed");
    let args = [
        "sweep", "--seeds", "0..300", "--ticks", "60", "--jobs", "2", "-q",
    ];
    succeed(&dir, &[&args[..], &["--out", "whole.csv"]].concat());
    let stopped = [&args[..], &["--out", "stopped.csv"]].concat();
    let killed = stop_part_way(&dir, &stopped, "-KILL", 5);
    assert_eq!(killed.status.code(), None, "killed by a signal");
    assert!(!dir.join("stopped.csv").exists());
    // A write cut short by the kill: the seed it was for runs again.
    let journal = dir.join("stopped.csv.partial");
    let mut kept = read(&dir, "stopped.csv.partial");
    let rows_kept = kept.lines().count() - 1;
    assert!((5..300).contains(&rows_kept), "{rows_kept} rows");
    kept.push_str("{\"seed\":29");
    std::fs::write(&journal, kept).unwrap();

    let resumed = succeed(&dir, &stopped);
    assert!(
        resumed.contains(&format!(
            "\nkept       {rows_kept} rows from stopped.csv.partial\nran        {} seeds on ",
            300 - rows_kept
        )),
        "{resumed}"
    );
    assert_eq!(read(&dir, "stopped.csv"), read(&dir, "whole.csv"));
    assert!(
        !journal.exists(),
        "the journal goes once the file is written"
    );
    // Run again, it runs nothing and writes the same file.
    let again = succeed(&dir, &stopped);
    assert!(
        again.contains(
            "\nkept       300 rows from stopped.csv\nran        no seed: each had its row\n"
        ),
        "{again}"
    );
    assert_eq!(read(&dir, "stopped.csv"), read(&dir, "whole.csv"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_journal_row_twice_is_one_row_and_one_outside_the_sweep_is_refused() {
    let dir = scratch("journal-rows");
    let args = [
        "sweep",
        "--seeds",
        "0..300",
        "--ticks",
        "60",
        "--jobs",
        "2",
        "-q",
        "--out",
        "stopped.csv",
    ];
    let killed = stop_part_way(&dir, &args, "-KILL", 5);
    assert_eq!(killed.status.code(), None, "killed by a signal");
    let kept = read(&dir, "stopped.csv.partial");
    // Whole lines only: the kill may have cut the last one short.
    let whole: Vec<&str> = kept
        .split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .collect();
    let rows_kept = whole.len() - 1;
    let first_row = whole[1];
    let doubled = format!("{}{first_row}", whole.concat());
    std::fs::write(dir.join("stopped.csv.partial"), &doubled).unwrap();
    let resumed = succeed(&dir, &args);
    assert!(
        resumed.contains(&format!(
            "\nkept       {rows_kept} rows from stopped.csv.partial\n"
        )),
        "{resumed}"
    );
    assert_eq!(rows(&read(&dir, "stopped.csv")).len(), 300);

    let seed = first_row.split(',').next().unwrap();
    let stranger = first_row.replacen(seed, "{\"seed\":99999", 1);
    std::fs::remove_file(dir.join("stopped.csv")).unwrap();
    std::fs::write(
        dir.join("stopped.csv.partial"),
        format!("{}{stranger}", whole.concat()),
    )
    .unwrap();
    let refused = tickweave(&dir, &args);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        text(&refused.stderr),
        format!(
            "tickweave: stopped.csv.partial:{}: a row for seed 99999, which is not one of the \
             sweep's seeds 0..=299; remove stopped.csv.partial to start the sweep afresh (its \
             rows are lost)\n",
            rows_kept + 2
        )
    );
    assert!(!dir.join("stopped.csv").exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn ctrl_c_stops_a_sweep_keeping_its_rows_for_the_next_run() {
    let dir = scratch("ctrl-c");
    let args = [
        "sweep",
        "--seeds",
        "0..300",
        "--ticks",
        "60",
        "--out",
        "stopped.csv",
        "-q",
    ];
    let stopped = stop_part_way(&dir, &args, "-INT", 3);
    assert_eq!(stopped.status.code(), Some(130), "{stopped:?}");
    let stderr = text(&stopped.stderr);
    let done: usize = stderr
        .strip_prefix("tickweave: interrupted: ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    assert_eq!(
        stderr,
        format!(
            "tickweave: interrupted: {done} of the 300 seeds have their rows; their rows are \
             kept in stopped.csv.partial: run the same command again to run the other {}\n",
            300 - done
        )
    );
    // The summary covers the seeds done.
    assert!(text(&stopped.stdout).contains(&format!("\nran        {done} seeds on ")));
    assert_eq!(read(&dir, "stopped.csv.partial").lines().count(), 1 + done);
    assert!(!dir.join("stopped.csv").exists());

    let resumed = succeed(&dir, &args);
    assert!(resumed.contains(&format!(
        "\nkept       {done} rows from stopped.csv.partial\n"
    )));
    let rows = rows(&read(&dir, "stopped.csv"));
    assert_eq!(rows.len(), 300);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_file_of_another_sweep_is_refused_and_left_as_it_was() {
    let dir = scratch("other");
    succeed(
        &dir,
        &[
            "sweep", "--seeds", "0..4", "--ticks", "50", "--out", "a.csv", "-q",
        ],
    );
    let before = read(&dir, "a.csv");
    let refused = tickweave(
        &dir,
        &[
            "sweep", "--seeds", "0..8", "--ticks", "40", "--out", "a.csv",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        text(&refused.stderr),
        "tickweave: a.csv holds another sweep: ticks 50 there, 40 here; seeds 0..=3 there, \
         0..=7 here; to add to it, give the options that began it; or choose another --out, \
         or remove a.csv to start afresh\n"
    );
    assert!(refused.stdout.is_empty());
    assert_eq!(read(&dir, "a.csv"), before);

    std::fs::write(dir.join("notes.csv"), "precious\n").unwrap();
    let refused = tickweave(&dir, &["sweep", "--seeds", "0..4", "--out", "notes.csv"]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        text(&refused.stderr),
        "tickweave: notes.csv:1: its first line is not the header of a sweep (`# tickweave \
         sweep; …`); choose another --out, or remove notes.csv to start afresh\n"
    );
    assert_eq!(read(&dir, "notes.csv"), "precious\n");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["a.csv", "notes.csv"], "nothing else was written");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_seed_over_its_time_budget_gets_a_row_saying_so_and_the_sweep_goes_on() {
    let dir = scratch("budget");
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/scenarios/game_units.ron"
    );
    let summary = succeed(
        &dir,
        &[
            "sweep",
            scenario,
            "--seeds",
            "5,3",
            "--ticks",
            "1000000000",
            "--max-seconds",
            "0.05",
            "--out",
            "slow.csv",
            "-q",
        ],
    );
    let file = read(&dir, "slow.csv");
    let lines: Vec<&str> = file.lines().collect();
    assert_eq!(lines.len(), 4, "{file}");
    assert_eq!(
        lines[1],
        "seed,ticks,units,alive,completed,failed,cancelled,faulted,polls,checksum,fault"
    );
    for (line, seed) in lines[2..].iter().zip([3, 5]) {
        let prefix = format!(
            "{seed},,,,,,,,,,over the budget of 0.05 s (--max-seconds): stopped after tick "
        );
        assert!(line.starts_with(&prefix), "{line}");
        assert!(line.ends_with(" of 1000000000"), "{line}");
    }
    assert!(
        summary.contains("\nfaults     2 of 2 seeds: seed 3 over the budget of 0.05 s"),
        "{summary}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_summary_gives_each_columns_statistics_and_the_svg_its_histogram() {
    let dir = scratch("summary");
    let output = tickweave(
        &dir,
        &[
            "sweep",
            "--seeds",
            "0..=9",
            "--out",
            "ten.csv",
            "--svg",
            "ten.svg",
            "--plot",
            "escaped,alive,chase_started,cought",
            "-q",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    // A name no seed counted is left out, with a hint.
    assert_eq!(
        text(&output.stderr),
        "tickweave: --plot cought: no seed counted it, so it is 0 for every seed (did you \
         mean caught?); it is left out of the picture\n"
    );
    let summary = text(&output.stdout);
    let rows = rows(&read(&dir, "ten.csv"));
    let table: Vec<&str> = summary
        .lines()
        .skip_while(|line| !line.starts_with("column "))
        .collect();
    assert_eq!(
        table[0].split_whitespace().collect::<Vec<_>>(),
        [
            "column", "mean", "min", "median", "p95", "max", "min", "seed", "max", "seed"
        ]
    );
    let line = table
        .iter()
        .find(|line| line.starts_with("tally.escaped "))
        .unwrap_or_else(|| panic!("{summary}"));
    let fields: Vec<&str> = line.split_whitespace().collect();
    let mut values: Vec<(u64, u64)> = rows
        .iter()
        .map(|(seed, row)| (row["tally.escaped"].parse().unwrap(), *seed))
        .collect();
    let mean = values.iter().map(|(value, _)| *value as f64).sum::<f64>() / 10.0;
    // By value, then seed: the first of a value is its lowest seed.
    values.sort();
    let (min, max) = (values[0], values[9].0);
    let max_seed = values.iter().find(|(value, _)| *value == max).unwrap().1;
    assert_eq!(
        fields[1..],
        [
            format!("{mean:.2}"),
            min.0.to_string(),
            values[4].0.to_string(), // the lower middle of ten
            max.to_string(),         // the 95th percentile of ten is the largest
            max.to_string(),
            min.1.to_string(),
            max_seed.to_string(),
        ]
    );
    assert!(summary.contains("\nsvg        ten.svg\n"), "{summary}");

    // Bare names are a tally's (`escaped`) or an event kind's (`chase_started`).
    let svg = read(&dir, "ten.svg");
    assert_eq!(svg.matches(r#"<g class="histogram" "#).count(), 3);
    for column in ["tally.escaped", "alive", "event.chase_started"] {
        let at = svg
            .find(&format!(r#"<g class="histogram" data-column="{column}">"#))
            .unwrap_or_else(|| panic!("no {column} in {svg}"));
        let panel = &svg[at..at + svg[at..].find("</g>\n</g>").unwrap()];
        let seeds: u64 = panel
            .split(r#"data-count=""#)
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().parse::<u64>().unwrap())
            .sum();
        assert_eq!(seeds, 10, "every seed is in one bar of {column}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn help_explains_every_option() {
    let dir = scratch("help");
    let help = succeed(&dir, &["sweep", "--help"]);
    for option in [
        "[SCENARIO]",
        "--seeds <SEEDS>",
        "--ticks <N>",
        "--jobs <J>",
        "--out <FILE>",
        "--shard <I/N>",
        "--max-seconds <SECONDS>",
        "--svg <FILE>",
        "--plot <COLUMNS>",
        "--quiet",
        "Exit status",
    ] {
        assert!(
            help.contains(option),
            "sweep --help lacks {option}:\n{help}"
        );
    }
    let help = succeed(&dir, &["merge", "--help"]);
    for option in ["<FILE>...", "--out <FILE>", "Exit status"] {
        assert!(
            help.contains(option),
            "merge --help lacks {option}:\n{help}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn one_seed_is_counted_as_one() {
    let dir = scratch("one-seed");
    let summary = succeed(
        &dir,
        &["sweep", "--seeds", "5", "--ticks", "20", "--out", "one.csv"],
    );
    assert!(summary.contains(", seeds 5 (1 seed)\n"), "{summary}");
    assert!(
        summary.contains("\nran        1 seed on 1 thread in "),
        "{summary}"
    );
    let merged = succeed(&dir, &["merge", "one.csv", "-o", "merged.csv"]);
    assert!(
        merged.starts_with("merged     1 file: 1 row of seeds 5\n"),
        "{merged}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
