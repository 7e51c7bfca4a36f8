//! Inputs too large to keep in the repository, made for each test run: they are what make
//! quadratic work, a flood of messages or gigabytes of memory show.

use std::fmt::Write;
use std::path::Path;

/// Writes every generated input into `dir`.
pub fn write_all(dir: &Path) {
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text).unwrap();
    let group = |name: &str, count: u64, behavior: &str| {
        format!(
            "Group(name: \"{name}\", count: {count}, area: (from: (0, 0), to: (9, 9)), \
             behavior: {behavior}),\n"
        )
    };
    let wait = "Wait(ticks: 1)";

    // 20,000 one-unit groups with names that meet no other: checked in time linear in them.
    let mut text = String::from("Scenario(ticks: 1, groups: [\n");
    for index in 0..20_000 {
        text.push_str(&group(&format!("g{index}x"), 1, wait));
    }
    write("groups_20k.ron", text + "])\n");

    // 20,000 groups of one name: each meets the first; the report stays four lines.
    let mut text = String::from("Scenario(groups: [\n");
    for _ in 0..20_000 {
        text.push_str(&group("g", 1, wait));
    }
    write("groups_20k_alike.ron", text + "])\n");

    // 100,000 teams: refused for the count alone, at once.
    let mut text = String::from("Scenario(teams: [");
    for index in 0..100_000 {
        write!(text, "\"t{index}\",").unwrap();
    }
    write(
        "teams_100k.ron",
        text + "], units: [Unit(name: \"u\", position: (0, 0), behavior: Wait(ticks: 1))])\n",
    );

    // 1,024 teams and 10,000 units on one that is not among them: the same problem 10,000
    // times, each message listing the teams.
    let mut text = String::from("Scenario(teams: [");
    for index in 0..1_024 {
        write!(text, "\"team{index}\",").unwrap();
    }
    text.push_str("], units: [\n");
    for index in 0..10_000 {
        writeln!(
            text,
            "Unit(name: \"u{index}\", team: \"x\", position: (0, 0), behavior: Wait(ticks: 1)),"
        )
        .unwrap();
    }
    write("bad_team_per_unit.ron", text + "])\n");

    // A 1,024-step Sequence run by 100,000 units: one plan, shared.
    let steps: Vec<String> = (0..1_024)
        .map(|step| format!("Goto(target: ({}, 0))", step % 50))
        .collect();
    write(
        "sequence_1024_100k.ron",
        format!(
            "Scenario(ticks: 2, groups: [{}])\n",
            group("p", 100_000, &format!("Sequence([{}])", steps.join(", ")))
        ),
    );

    // The same with every step's cell drawn for each unit: a copy of the plan per unit, past
    // the memory budget.
    let steps = vec!["Goto(target: Random)"; 1_024];
    write(
        "random_sequence_1024_100k.ron",
        format!(
            "Scenario(groups: [{}])\n",
            group("p", 100_000, &format!("Sequence([{}])", steps.join(", ")))
        ),
    );

    // 200 kinds of problem: a cell outside the world, each under its own four wrappers
    // (`units[].behavior.Label.body.Repeat.body...`). 100 are shown.
    let wrappers = [
        "Label(name: \"l\", body: ",
        "Repeat(times: 1, body: ",
        "Timeout(ticks: 1, body: ",
        "Sequence([",
    ];
    let closers = [")", ")", ")", "])"];
    let mut text = String::from("Scenario(units: [\n");
    for index in 0..200 {
        let digits: Vec<usize> = (0..4).map(|at| index / 4usize.pow(at) % 4).collect();
        let open: String = digits.iter().map(|&digit| wrappers[digit]).collect();
        let close: String = digits.iter().rev().map(|&digit| closers[digit]).collect();
        writeln!(
            text,
            "Unit(name: \"u{index}\", position: (0, 0), behavior: {open}Goto(target: (2000000, \
             0)){close}),"
        )
        .unwrap();
    }
    write("many_kinds.ron", text + "])\n");

    // 5,000 different label names: more than a program keeps.
    let mut text = String::from("Scenario(units: [\n");
    for index in 0..5_000 {
        writeln!(
            text,
            "Unit(name: \"u{index}\", position: (0, 0), behavior: Label(name: \"l{index}\", \
             body: Wait(ticks: 1))),"
        )
        .unwrap();
    }
    write("labels_5000.ron", text + "])\n");

    // One byte past the size limit, in a comment: refused before it is parsed.
    let limit = tickweave::scenario::limits::MAX_FILE_BYTES as usize;
    let mut text = String::with_capacity(limit + 1);
    text.push_str("// ");
    text.push_str(&"x".repeat(limit + 1 - 3));
    write("too_large.ron", text);

    // A trace line of 100,000 bytes.
    write(
        "long_line.jsonl",
        format!("{{\"tick\": 0, \"unit\": \"{}\"}}\n", "x".repeat(100_000)),
    );
}
