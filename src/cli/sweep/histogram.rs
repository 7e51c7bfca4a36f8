//! `sweep --svg`: a histogram of each chosen column over the seeds that ran, one panel under
//! another, each with its statistics in its title.

use std::fmt::Write as _;

use super::rows::{Column, Table};
use super::summary::Stats;
use crate::cli::counted::counted;
use crate::cli::svg::{colour, escape};

/// Bars a panel has at most: a column whose values span more is binned this coarsely.
const MAX_BINS: u64 = 40;
const WIDTH: f64 = 750.0;
const LEFT: f64 = 60.0;
const PLOT_WIDTH: f64 = 640.0;
const PANEL: f64 = 200.0;
const PLOT_HEIGHT: f64 = 130.0;
const TOP: f64 = 50.0;

/// The picture of `columns` (each a column and its name) of `table`, titled `title`.
pub fn draw(table: &Table, columns: &[(Column, String)], title: &str) -> String {
    let height = TOP + PANEL * columns.len() as f64;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        svg,
        r#"<text x="{LEFT}" y="26" font-size="16" font-weight="bold">{}</text>"#,
        escape(title)
    );
    for (index, (column, name)) in columns.iter().enumerate() {
        let top = TOP + PANEL * index as f64;
        panel(&mut svg, table, *column, name, top, &colour(index));
    }
    let _ = writeln!(svg, "</svg>");
    svg
}

/// One column's panel, its top at `top`.
fn panel(svg: &mut String, table: &Table, column: Column, name: &str, top: f64, fill: &str) {
    let _ = writeln!(
        svg,
        r#"<g class="histogram" data-column="{}">"#,
        escape(name)
    );
    let Some(stats) = Stats::of(table.values(column)) else {
        let _ = writeln!(
            svg,
            r#"<text x="{LEFT}" y="{}" font-weight="bold">{}: no seed ran to its end</text></g>"#,
            top + 16.0,
            escape(name)
        );
        return;
    };
    let _ = writeln!(
        svg,
        r#"<text x="{LEFT}" y="{}"><tspan font-weight="bold">{}</tspan> — mean {:.2}, min {} (seed {}), median {}, p95 {}, max {} (seed {})</text>"#,
        top + 16.0,
        escape(name),
        stats.mean,
        stats.min,
        stats.min_seed,
        stats.median,
        stats.p95,
        stats.max,
        stats.max_seed
    );
    // Whole-number bins from the minimum: one value each when they fit, else wider.
    let span = u128::from(stats.max - stats.min) + 1;
    let width = span.div_ceil(u128::from(MAX_BINS)).max(1);
    let bins = span.div_ceil(width) as usize;
    let mut counts = vec![0u64; bins];
    for (_, value) in table.values(column) {
        counts[(u128::from(value - stats.min) / width) as usize] += 1;
    }
    let tallest = counts.iter().copied().max().unwrap_or(1).max(1);
    let (plot_top, bar_width) = (top + 30.0, PLOT_WIDTH / bins as f64);
    let bottom = plot_top + PLOT_HEIGHT;
    let _ = writeln!(
        svg,
        r##"<rect x="{LEFT}" y="{plot_top}" width="{PLOT_WIDTH}" height="{PLOT_HEIGHT}" fill="#f7f7f4" stroke="#999999"/>"##
    );
    for (bin, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let from = u128::from(stats.min) + bin as u128 * width;
        let to = (from + width - 1).min(u128::from(stats.max));
        let bar = PLOT_HEIGHT * count as f64 / tallest as f64;
        let label = if from == to {
            format!("{from}: {}", counted(count, "seed"))
        } else {
            format!("{from} to {to}: {}", counted(count, "seed"))
        };
        let _ = writeln!(
            svg,
            r#"<rect class="bar" data-from="{from}" data-to="{to}" data-count="{count}" x="{:.1}" y="{:.1}" width="{:.1}" height="{bar:.1}" fill="{fill}"><title>{label}</title></rect>"#,
            LEFT + bin as f64 * bar_width + 0.5,
            bottom - bar,
            (bar_width - 1.0).max(0.5),
        );
    }
    // The axes: the values of every bar when their labels fit side by side, else of the
    // first, middle and last; seeds per bar up the side.
    let label = |bin: usize| {
        let from = u128::from(stats.min) + bin as u128 * width;
        let to = (from + width - 1).min(u128::from(stats.max));
        if from == to {
            from.to_string()
        } else {
            format!("{from}–{to}")
        }
    };
    let widest = label(bins - 1)
        .chars()
        .count()
        .max(label(0).chars().count());
    let labelled: Vec<usize> = if bar_width >= 8.0 * widest as f64 + 4.0 {
        (0..bins).collect()
    } else {
        vec![0, bins / 2, bins - 1]
    };
    let _ = write!(svg, r##"<g fill="#555555">"##);
    for bin in labelled {
        let text = label(bin);
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{text}</text>"#,
            LEFT + (bin as f64 + 0.5) * bar_width,
            bottom + 15.0,
        );
    }
    let _ = writeln!(
        svg,
        r#"<text x="{0}" y="{1}" text-anchor="end">{tallest}</text><text x="{0}" y="{bottom}" text-anchor="end">0</text><text x="{0}" y="{2}" text-anchor="end">seeds</text></g>"#,
        LEFT - 6.0,
        plot_top + 10.0,
        plot_top + PLOT_HEIGHT / 2.0,
    );
    let _ = writeln!(svg, "</g>");
}
