//! `tickweave view` without a browser: what it writes, and that a bad trace or selection gets
//! exactly the message `inspect` gives. (tests/viewer.rs drives the page in a browser.)

use serde_json::Value;
use std::path::Path;

#[path = "common/binary.rs"]
mod binary;
use binary::{arg, temp_path, text, tickweave, trace};

/// The JSON tables a page holds.
fn meta(html: &str) -> Value {
    let start = html
        .find(r#"<script type="application/json" id="tw-meta">"#)
        .unwrap();
    let json = &html[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    serde_json::from_str(json).unwrap()
}

#[test]
fn the_page_is_written_beside_the_trace_and_holds_everything_it_needs() {
    let trace = trace("skirmish.jsonl", &["--ticks", "50"]);
    let output = tickweave(&["view", arg(&trace)]);
    assert!(output.status.success(), "{output:?}");
    let page = trace.with_extension("html");
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with(&format!(
            "page       {} (12 units, ticks 0 to 50, ",
            arg(&page)
        )),
        "{stdout}"
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    // Nothing is fetched: no external script, style, image or font.
    for reference in ["src=", "href=", "@import", "url("] {
        assert!(!html.contains(reference), "{reference}");
    }
    let meta = meta(&html);
    assert_eq!(
        (meta["first"].as_u64(), meta["last"].as_u64()),
        (Some(0), Some(50))
    );
    assert_eq!(meta["teams"], serde_json::json!(["guards", "scouts"]));
    assert_eq!(meta["unitIds"].as_array().unwrap().len(), 12);
    for column in [
        "seg-start",
        "seg-tick",
        "run-text",
        "tick-units",
        "event-start",
        "event-text",
    ] {
        assert!(html.contains(&format!(r#"id="tw-{column}">"#)), "{column}");
    }
}

#[test]
fn unit_and_ticks_select_part_of_the_trace_like_inspect() {
    let trace = trace("part.jsonl", &["--ticks", "60"]);
    let page = temp_path("part.html");
    let output = tickweave(&[
        "view",
        arg(&trace),
        "--unit",
        "scout5",
        "--ticks",
        "10..=40",
        "-o",
        arg(&page),
    ]);
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(&page).unwrap();
    let meta = meta(&html);
    assert_eq!(
        (meta["first"].as_u64(), meta["last"].as_u64()),
        (Some(10), Some(40))
    );
    assert_eq!(meta["filter"], "--unit scout5 --ticks 10..=40");
    let strings = meta["strings"].as_array().unwrap();
    let names: Vec<&str> = meta["unitNames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|index| strings[index.as_u64().unwrap() as usize].as_str().unwrap())
        .collect();
    // scout5, and the guard that caught it (named by the catch and the despawn).
    assert_eq!(names[0], "scout5");
    assert!(names.len() <= 2, "{names:?}");
}

/// Runs `inspect` and `view` on the same input; both must refuse it with status 2 and the same
/// message, and `view` must write nothing.
fn same_refusal(trace: &Path, options: &[&str]) -> String {
    let page = temp_path("refused.html");
    std::fs::remove_file(&page).ok();
    let mut inspect = vec!["inspect", arg(trace)];
    inspect.extend_from_slice(options);
    let mut view = vec!["view", arg(trace), "-o", arg(&page)];
    view.extend_from_slice(options);
    let (inspected, viewed) = (tickweave(&inspect), tickweave(&view));
    assert_eq!(viewed.status.code(), Some(2), "{viewed:?}");
    assert_eq!(inspected.status.code(), Some(2), "{inspected:?}");
    assert_eq!(text(&viewed.stderr), text(&inspected.stderr));
    assert!(viewed.stdout.is_empty(), "{viewed:?}");
    assert!(!page.exists(), "nothing is written");
    text(&viewed.stderr)
}

#[test]
fn a_bad_trace_or_selection_gets_the_message_inspect_gives() {
    let good = trace("good.jsonl", &["assets/scenarios/game_units.ron"]);
    let file = arg(&good);
    assert_eq!(
        same_refusal(&good, &["--unit", "u7"]),
        format!("tickweave: {file}: no unit is named \"u7\"; did you mean \"u0\"?\n")
    );
    assert_eq!(
        same_refusal(&good, &["--ticks", "40..50"]),
        format!("tickweave: {file}: --ticks 40..50 selects no tick: the trace has ticks 0 to 30\n")
    );
    same_refusal(&good, &["--ticks", "9..3"]);

    let broken = temp_path("broken.jsonl");
    let mut lines: Vec<String> = std::fs::read_to_string(&good)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines[4] = r#"{"tick":1,"id":1,"unit":"u1","x":"far"}"#.into();
    std::fs::write(&broken, lines.join("\n")).unwrap();
    assert_eq!(
        same_refusal(&broken, &[]),
        format!(
            "tickweave: {}:5: \"x\" must be a whole number, not \"far\"\n",
            arg(&broken)
        )
    );
    // Cut short in the middle of a record, as by a run killed while writing.
    let whole = std::fs::read_to_string(&good).unwrap();
    std::fs::write(&broken, &whole[..whole.len() / 2]).unwrap();
    assert!(same_refusal(&broken, &[]).contains(": not a JSON record: "));
    std::fs::write(&broken, "").unwrap();
    same_refusal(&broken, &[]);
    same_refusal(&temp_path("missing.jsonl"), &[]);
}

#[test]
fn the_page_may_not_replace_the_trace_or_a_file_it_cannot_create() {
    let html = trace("self.html", &["--ticks", "5"]);
    let trace = trace("self.jsonl", &["--ticks", "5"]);
    let output = tickweave(&["view", arg(&trace), "-o", arg(&trace)]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(
        text(&output.stderr),
        format!(
            "tickweave: --output {} is the trace: it would be overwritten; write the output to \
             another file\n",
            arg(&trace)
        )
    );
    // A trace named .html would be the page's own default name.
    let output = tickweave(&["view", arg(&html)]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(
        text(&output.stderr),
        format!(
            "tickweave: {}: the page would be written over the trace, whose name it takes with \
             .html; name the page with --output\n",
            arg(&html)
        )
    );
    let output = tickweave(&["view", arg(&trace), "-o", "no/such/dir/page.html"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        text(&output.stderr)
            .starts_with("tickweave: no/such/dir/page.html: cannot create the page: "),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn help_describes_the_page_and_its_limit() {
    let output = tickweave(&["view", "--help"]);
    assert!(output.status.success());
    let help = text(&output.stdout);
    for phrase in [
        "--output <FILE.html>",
        "--unit <NAME>",
        "--ticks <RANGE>",
        "96 MB",
        "Exit status",
    ] {
        assert!(help.contains(phrase), "view --help lacks {phrase}:\n{help}");
    }
    let help = text(&tickweave(&["--help"]).stdout);
    assert!(help.contains("view"), "{help}");
}
