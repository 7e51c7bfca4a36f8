//! Any input, bounded work: every case of `tests/data/bounded/` is run against the binary with
//! a time, memory and output limit, and must end with its exit status and exactly its
//! message — never a panic, a hang, an abort on allocation or a flood of output.
//!
//! A case is `NAME.case`:
//!
//! ```text
//! # Why the case is there (any number of comment lines).
//! args: check NAME.ron
//! exit: 2
//! stderr:
//! tickweave: NAME.ron: ...
//! ```
//!
//! `stdout:` and `stderr:` are matched exactly; `stdout has:` and `stderr has:` list lines that
//! must each be one of its lines (for summaries that include timings). A stream with neither
//! must be empty. `limits: seconds 60 memory 1024` raises the limits for one case. Cases run in
//! a scratch directory holding the data files and the large inputs made by `generated`, so
//! messages name files without a directory.

mod generated;
mod interrupt;
mod limited;
mod outputs;

use std::path::{Path, PathBuf};

use limited::Limits;

/// One case, as its file says.
#[derive(Debug, Default)]
struct Case {
    name: String,
    args: Vec<String>,
    exit: i32,
    stdout: Expect,
    stderr: Expect,
    limits: Option<Limits>,
}

#[derive(Debug, Default)]
enum Expect {
    #[default]
    Empty,
    Exactly(String),
    Lines(Vec<String>),
}

impl Expect {
    /// What is wrong with `found`, if anything.
    fn mismatch(&self, found: &str) -> Option<String> {
        match self {
            Expect::Empty if found.is_empty() => None,
            Expect::Empty => Some(format!("expected nothing, found:\n{found}")),
            Expect::Exactly(text) if text == found => None,
            Expect::Exactly(text) => Some(format!("expected:\n{text}found:\n{found}")),
            Expect::Lines(lines) => {
                let missing: Vec<&String> = lines
                    .iter()
                    .filter(|line| !found.lines().any(|found| found == line.as_str()))
                    .collect();
                (!missing.is_empty()).then(|| format!("lacks lines {missing:?} in:\n{found}"))
            }
        }
    }
}

fn parse(name: &str, text: &str) -> Case {
    let mut case = Case {
        name: name.to_owned(),
        ..Case::default()
    };
    let mut section: Option<(&str, Vec<&str>)> = None;
    let close = |case: &mut Case, section: Option<(&str, Vec<&str>)>| {
        let Some((key, lines)) = section else { return };
        let exactly = || Expect::Exactly(lines.iter().map(|line| format!("{line}\n")).collect());
        let listed = || Expect::Lines(lines.iter().map(|line| (*line).to_owned()).collect());
        match key {
            "stdout" => case.stdout = exactly(),
            "stderr" => case.stderr = exactly(),
            "stdout has" => case.stdout = listed(),
            "stderr has" => case.stderr = listed(),
            _ => panic!("{name}: unknown section {key}"),
        }
    };
    for line in text.lines() {
        if section.is_none() && (line.starts_with('#') || line.trim().is_empty()) {
            continue;
        }
        if let Some(args) = line.strip_prefix("args:") {
            close(&mut case, section.take());
            case.args = args.split_whitespace().map(str::to_owned).collect();
        } else if let Some(exit) = line.strip_prefix("exit:") {
            close(&mut case, section.take());
            case.exit = exit.trim().parse().expect("exit is a number");
        } else if let Some(limits) = line.strip_prefix("limits:") {
            close(&mut case, section.take());
            let words: Vec<&str> = limits.split_whitespace().collect();
            let mut chosen = Limits::default();
            for pair in words.chunks(2) {
                let value = pair[1].parse().expect("a limit is a number");
                match pair[0] {
                    "seconds" => chosen.seconds = value,
                    "memory" => chosen.memory_mib = value,
                    other => panic!("{name}: unknown limit {other}"),
                }
            }
            case.limits = Some(chosen);
        } else if let Some(key) = ["stdout has:", "stderr has:", "stdout:", "stderr:"]
            .into_iter()
            .find(|key| line == *key)
        {
            close(&mut case, section.take());
            section = Some((key.trim_end_matches(':'), Vec::new()));
        } else if let Some((_, lines)) = &mut section {
            lines.push(line);
        } else {
            panic!("{name}: a line outside any section: {line}");
        }
    }
    close(&mut case, section);
    assert!(!case.args.is_empty(), "{name}: no args");
    case
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bounded")
}

/// The cases, and a scratch directory holding every file they read.
fn setup() -> (Vec<Case>, PathBuf) {
    let scratch = std::env::temp_dir().join(format!("tickweave-bounded-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(data_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if path
            .extension()
            .is_some_and(|extension| extension == "case")
        {
            let text = std::fs::read_to_string(&path).unwrap();
            cases.push(parse(&name, &text));
        } else {
            std::fs::copy(&path, scratch.join(&name)).unwrap();
        }
    }
    // The seed's scenario, for cases about arguments rather than files.
    let game_units = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios/game_units.ron");
    std::fs::copy(game_units, scratch.join("game_units.ron")).unwrap();
    generated::write_all(&scratch);
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    (cases, scratch)
}

#[test]
fn every_case_ends_within_its_limits_with_its_status_and_message() {
    let (cases, scratch) = setup();
    assert!(
        cases.len() >= 40,
        "the corpus is all there: {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let limits = case.limits.unwrap_or_default();
        let ended = limited::run(&scratch, &case.args, limits);
        let mut wrong = Vec::new();
        if ended.timed_out {
            wrong.push(format!("ran out of its {} s", limits.seconds));
        }
        if ended.too_much_output {
            wrong.push("wrote more than the output limit".to_owned());
        }
        if ended.code != Some(case.exit) {
            wrong.push(format!("exit {:?}, expected {}", ended.code, case.exit));
        }
        if let Some(problem) = case.stdout.mismatch(&ended.stdout) {
            wrong.push(format!("stdout {problem}"));
        }
        if let Some(problem) = case.stderr.mismatch(&ended.stderr) {
            wrong.push(format!("stderr {problem}"));
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{} ({:.1} s): {}",
                case.name,
                ended.took.as_secs_f64(),
                wrong.join("\n")
            ));
        }
    }
    std::fs::remove_dir_all(&scratch).ok();
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
