//! The page: one HTML file with its style, its scripts and the packed trace inline, so that it
//! opens from disk with nothing else.
//!
//! The trace's numbers go in as base64 columns of little-endian integers (one `<script
//! type="application/octet-stream">` each), which the page turns back into typed arrays
//! without parsing a number; its texts and tables go in as one JSON object.

use serde::Serialize;
use std::io::{self, Write};

use super::base64::encode_into;
use super::pack::{CELL_PLACEHOLDER, NO_CELL, Packed};

const TEMPLATE: &str = include_str!("page.html");
const STYLE: &str = include_str!("style.css");
/// The scripts, in the order they run: each file one part of the page.
const SCRIPTS: [&str; 7] = [
    include_str!("trace.js"),
    include_str!("colours.js"),
    include_str!("grid.js"),
    include_str!("timeline.js"),
    include_str!("panel.js"),
    include_str!("event_list.js"),
    include_str!("main.js"),
];

/// What the page's heading says.
pub struct Heading<'a> {
    /// The trace's file name.
    pub source: &'a str,
    /// `--unit` and `--ticks`, as given, if any.
    pub filter: Option<String>,
}

/// The tables the page reads as JSON.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta<'a> {
    source: &'a str,
    filter: Option<&'a str>,
    first: u64,
    last: u64,
    teams: &'a [String],
    kinds: &'a [String],
    strings: &'a [String],
    unit_ids: Vec<u64>,
    unit_names: Vec<u32>,
    unit_teams: Vec<i64>,
    min: [i64; 2],
    max: [i64; 2],
    state_names: [&'static str; 6],
    placeholder: char,
    no_cell: i32,
}

/// Writes the page showing `packed`.
pub fn write(out: &mut impl Write, packed: &Packed, heading: &Heading<'_>) -> io::Result<()> {
    let title = match &heading.filter {
        Some(filter) => format!("{} ({filter}) — tickweave", heading.source),
        None => format!("{} — tickweave", heading.source),
    };
    let mut rest = TEMPLATE;
    for (marker, part) in [
        ("{{title}}", Part::Text(&title)),
        ("{{style}}", Part::Raw(STYLE)),
        ("{{data}}", Part::Data),
        ("{{script}}", Part::Script),
    ] {
        let (before, after) = rest
            .split_once(marker)
            .unwrap_or_else(|| unreachable!("page.html has {marker}"));
        out.write_all(before.as_bytes())?;
        match part {
            Part::Text(text) => out.write_all(escape_html(text).as_bytes())?,
            Part::Raw(text) => out.write_all(text.as_bytes())?,
            Part::Data => write_data(out, packed, heading)?,
            Part::Script => {
                for script in SCRIPTS {
                    out.write_all(script.as_bytes())?;
                    out.write_all(b"\n")?;
                }
            }
        }
        rest = after;
    }
    out.write_all(rest.as_bytes())
}

enum Part<'a> {
    Text(&'a str),
    Raw(&'a str),
    Data,
    Script,
}

fn write_data(out: &mut impl Write, packed: &Packed, heading: &Heading<'_>) -> io::Result<()> {
    let meta = Meta {
        source: heading.source,
        filter: heading.filter.as_deref(),
        first: packed.first_tick,
        last: packed.last_tick,
        teams: &packed.teams,
        kinds: &packed.kinds,
        strings: &packed.strings,
        unit_ids: packed.units.iter().map(|unit| unit.id).collect(),
        unit_names: packed.units.iter().map(|unit| unit.name).collect(),
        unit_teams: packed
            .units
            .iter()
            .map(|unit| unit.team.map_or(-1, i64::from))
            .collect(),
        min: [packed.min.x, packed.min.y],
        max: [packed.max.x, packed.max.y],
        state_names: ["absent", "active", "paused", "finished", "none", "other"],
        placeholder: CELL_PLACEHOLDER,
        no_cell: NO_CELL,
    };
    let json = serde_json::to_string(&meta).map_err(io::Error::other)?;
    out.write_all(br#"<script type="application/json" id="tw-meta">"#)?;
    out.write_all(script_safe(&json).as_bytes())?;
    out.write_all(b"</script>\n")?;

    let starts = |lists: &dyn Fn(usize) -> usize| {
        let mut starts = Vec::with_capacity(packed.units.len() + 1);
        let mut at = 0u32;
        starts.push(at);
        for unit in 0..packed.units.len() {
            at += lists(unit) as u32;
            starts.push(at);
        }
        starts
    };
    let segments = || packed.segments.iter().flatten();
    let runs = || packed.runs.iter().flatten();
    column(
        out,
        "seg-start",
        &starts(&|unit| packed.segments[unit].len()),
        u32::to_le_bytes,
    )?;
    column(
        out,
        "seg-tick",
        &segments().map(|s| s.tick).collect::<Vec<_>>(),
        u32::to_le_bytes,
    )?;
    column(
        out,
        "seg-x",
        &segments().map(|s| s.x).collect::<Vec<_>>(),
        i32::to_le_bytes,
    )?;
    column(
        out,
        "seg-y",
        &segments().map(|s| s.y).collect::<Vec<_>>(),
        i32::to_le_bytes,
    )?;
    column(
        out,
        "seg-step",
        &segments().map(|s| s.step).collect::<Vec<_>>(),
        u8::to_le_bytes,
    )?;
    column(
        out,
        "run-start",
        &starts(&|unit| packed.runs[unit].len()),
        u32::to_le_bytes,
    )?;
    column(
        out,
        "run-tick",
        &runs().map(|r| r.tick).collect::<Vec<_>>(),
        u32::to_le_bytes,
    )?;
    column(
        out,
        "run-state",
        &runs().map(|r| r.state).collect::<Vec<_>>(),
        u8::to_le_bytes,
    )?;
    column(
        out,
        "run-text",
        &runs().map(|r| r.text).collect::<Vec<_>>(),
        u32::to_le_bytes,
    )?;
    column(out, "tick-units", &packed.unit_counts, u32::to_le_bytes)?;
    column(out, "event-start", &packed.event_starts, u32::to_le_bytes)?;
    let events = &packed.events;
    column(
        out,
        "event-unit",
        &events.iter().map(|e| e.unit).collect::<Vec<_>>(),
        u32::to_le_bytes,
    )?;
    column(
        out,
        "event-kind",
        &events.iter().map(|e| e.kind).collect::<Vec<_>>(),
        u16::to_le_bytes,
    )?;
    column(
        out,
        "event-other",
        &events.iter().map(|e| e.other).collect::<Vec<_>>(),
        i32::to_le_bytes,
    )?;
    column(
        out,
        "event-x",
        &events.iter().map(|e| e.x).collect::<Vec<_>>(),
        i32::to_le_bytes,
    )?;
    column(
        out,
        "event-y",
        &events.iter().map(|e| e.y).collect::<Vec<_>>(),
        i32::to_le_bytes,
    )?;
    column(
        out,
        "event-text",
        &events.iter().map(|e| e.text).collect::<Vec<_>>(),
        u32::to_le_bytes,
    )
}

/// Writes `values` as a base64 column with the id `tw-{name}`.
fn column<T: Copy, const N: usize>(
    out: &mut impl Write,
    name: &str,
    values: &[T],
    bytes: impl Fn(T) -> [u8; N],
) -> io::Result<()> {
    let raw: Vec<u8> = values.iter().flat_map(|&value| bytes(value)).collect();
    let mut text = String::new();
    encode_into(&raw, &mut text);
    write!(
        out,
        r#"<script type="application/octet-stream" id="tw-{name}">"#
    )?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"</script>\n")
}

/// JSON that may stand inside a `<script>` element: `<` and `/` are escaped (as JSON allows),
/// so no text of the trace can close the element or read as a web address.
fn script_safe(json: &str) -> String {
    let mut safe = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '/' => safe.push_str("\\/"),
            c => safe.push(c),
        }
    }
    safe
}

/// Escapes text for HTML content.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_text_cannot_close_the_script_or_name_a_web_address() {
        let json = serde_json::to_string(&["</script><b>", "http://example.org"]).unwrap();
        let safe = script_safe(&json);
        assert!(!safe.contains("</"), "{safe}");
        assert!(!safe.contains("http://"), "{safe}");
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, ["</script><b>", "http://example.org"]);
    }

    #[test]
    fn the_template_has_every_marker_once_and_no_web_address() {
        for marker in ["{{title}}", "{{style}}", "{{data}}", "{{script}}"] {
            assert_eq!(TEMPLATE.matches(marker).count(), 1, "{marker}");
        }
        for part in SCRIPTS.iter().chain([&STYLE, &TEMPLATE]) {
            assert!(!part.contains("http://") && !part.contains("https://"));
        }
    }
}
