//! The `--svg` sink: a picture of the run, one coloured trajectory per unit.
//!
//! Each unit's path is kept as its turning points (a straight walk of any length is one
//! segment). The points of all units together are capped (see [`POINT_BUDGET`]): a path that
//! outgrows its share is thinned by dropping every other interior point, so a million units
//! cost a bounded amount of memory however long they run.

use bevy_ecs::query::QueryState;
use glam::IVec2;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::CliError;
use super::output_file::OutputFile;
use tickweave::Simulation;
use tickweave::components::{Position, UnitId, UnitName};

/// Points kept over all units.
pub const POINT_BUDGET: usize = 4_000_000;
/// Points a unit may always keep, whatever the number of units.
pub const MIN_POINTS_PER_UNIT: usize = 64;
/// Units listed by name in the legend; the rest are counted.
const LEGEND_ENTRIES: usize = 16;

/// Collects every unit's trajectory, then draws them.
pub struct SvgSink {
    out: OutputFile,
    query: Option<QueryState<(&'static UnitId, &'static UnitName, &'static Position)>>,
    /// Indexed by unit id (ids are dense: spawn order from 0).
    paths: Vec<Option<UnitPath>>,
    ticks: u64,
}

/// One unit's trajectory.
struct UnitPath {
    name: String,
    points: Vec<IVec2>,
    /// Points may not outgrow this; past it, every other interior point goes.
    cap: usize,
}

/// What the picture's title says.
pub struct Caption<'a> {
    pub scenario: &'a str,
    pub seed: u64,
}

impl SvgSink {
    /// Starts the file at `path` (which it replaces when finished); fails as invalid input
    /// before any tick runs if it cannot be created.
    pub fn create(path: &Path) -> Result<Self, CliError> {
        Ok(SvgSink {
            out: OutputFile::create(path, "the SVG file")?,
            query: None,
            paths: Vec::new(),
            ticks: 0,
        })
    }

    /// Adds every unit's cell at the simulation's current tick.
    pub fn record(&mut self, simulation: &mut Simulation) {
        self.ticks = simulation.tick();
        let world = simulation.world_mut();
        let query = self.query.get_or_insert_with(|| world.query());
        let world = simulation.world();
        if self.paths.is_empty() {
            let units = query.iter(world).len();
            self.paths.resize_with(units, || None);
        }
        let cap = (POINT_BUDGET / self.paths.len().max(1)).max(MIN_POINTS_PER_UNIT);
        for (id, name, position) in query.iter(world) {
            let index = usize::try_from(id.0).unwrap_or(usize::MAX);
            if index >= self.paths.len() {
                self.paths.resize_with(index.saturating_add(1), || None);
            }
            let path = self.paths[index].get_or_insert_with(|| UnitPath {
                name: name.as_str().to_owned(),
                points: Vec::new(),
                cap,
            });
            path.push(position.0);
        }
    }

    /// Draws the picture and writes it; returns the file's path.
    pub fn finish(self, caption: &Caption<'_>) -> Result<PathBuf, CliError> {
        let paths: Vec<&UnitPath> = self.paths.iter().flatten().collect();
        let svg = draw(&paths, self.ticks, caption);
        let mut out = self.out;
        out.write_all(svg.as_bytes())
            .map_err(|error| CliError::write(out.path(), error))?;
        out.commit()
    }
}

impl UnitPath {
    fn push(&mut self, cell: IVec2) {
        let n = self.points.len();
        if n > 0 && self.points[n - 1] == cell {
            return; // stood still
        }
        if n >= 2 {
            let (before, last) = (self.points[n - 2], self.points[n - 1]);
            let (run, step) = (last - before, cell - last);
            let straight = run.x == 0 || run.y == 0 || run.x.abs() == run.y.abs();
            if straight && step == run.signum() {
                self.points[n - 1] = cell; // the same straight walk goes on
                return;
            }
        }
        if n >= self.cap {
            self.thin();
        }
        self.points.push(cell);
    }

    /// Drops every other interior point, keeping the first and the last.
    fn thin(&mut self) {
        let last = self.points.len() - 1;
        let mut index = 0;
        self.points.retain(|_| {
            let keep = index == 0 || index == last || index % 2 == 0;
            index += 1;
            keep
        });
    }
}

/// The colour of the `index`th unit: hues a golden angle apart, so neighbours differ.
pub fn colour(index: usize) -> String {
    let hue = (index as f64 * 137.507_764) % 360.0;
    format!("hsl({hue:.1},70%,42%)")
}

/// Escapes text for XML content and attributes. Control characters, which XML does not allow
/// (or turns into spaces in attributes), are shown by their visible symbols (`␀`, `␊`).
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{0}'..='\u{1f}' => {
                escaped.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'));
            }
            '\u{7f}' => escaped.push('\u{2421}'),
            c if c.is_control() => escaped.push('\u{fffd}'),
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c => escaped.push(c),
        }
    }
    escaped
}

fn draw(paths: &[&UnitPath], ticks: u64, caption: &Caption<'_>) -> String {
    let points = || paths.iter().flat_map(|path| path.points.iter().copied());
    let min = points().fold(IVec2::MAX, IVec2::min);
    let max = points().fold(IVec2::MIN, IVec2::max);
    let (min, max) = if min.x > max.x {
        (IVec2::ZERO, IVec2::ZERO)
    } else {
        (min, max)
    };
    // The view: the bounds with a cell of margin, the short side at least a quarter of the long
    // one (a run along a line is not drawn as a sliver); the long side spans about 720 pixels.
    let (mut view_min, mut view_max) = (min - IVec2::ONE, max + IVec2::ONE);
    let long = (view_max - view_min).max_element();
    for axis in 0..2 {
        let grow = (long / 4 - (view_max[axis] - view_min[axis])).max(0);
        view_min[axis] -= grow / 2;
        view_max[axis] += grow - grow / 2;
    }
    let span = (view_max - view_min).max(IVec2::ONE);
    // At most 60 pixels a cell; far-apart units get less than a pixel a cell rather than a
    // picture millions of pixels wide.
    let scale = (720.0 / f64::from(span.x.max(span.y))).min(60.0);
    let (plot_w, plot_h) = (f64::from(span.x) * scale, f64::from(span.y) * scale);
    let (left, top) = (20.0, 56.0);
    let legend_x = left + plot_w + 24.0;
    let width = legend_x + 190.0;
    let legend_rows = paths.len().min(LEGEND_ENTRIES) + usize::from(paths.len() > LEGEND_ENTRIES);
    let height = (top + plot_h + 40.0).max(top + 24.0 + legend_rows as f64 * 18.0);
    // Cell centres; y grows upwards on the grid and downwards in SVG.
    let px = |x: i32| left + f64::from(x - view_min.x) * scale;
    let py = |y: i32| top + f64::from(view_max.y - y) * scale;
    let (line, marker) = match paths.len() {
        0..=10 => (2.5, 4.0),
        11..=50 => (1.5, 3.0),
        _ => (0.6, 1.5),
    };
    // A few units are drawn a little apart, so that paths over the same cells stay visible.
    let spread = if paths.len() <= 16 {
        (scale * 0.6 / paths.len() as f64).min(line * 1.6)
    } else {
        0.0
    };
    let shift = |index: usize| (index as f64 - (paths.len() as f64 - 1.0) / 2.0) * spread;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="13">"#
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        svg,
        r#"<text x="{left}" y="22" font-size="16" font-weight="bold">{} — {ticks} ticks, seed {}, {} units</text>"#,
        escape(caption.scenario),
        caption.seed,
        paths.len()
    );
    let _ = writeln!(
        svg,
        r##"<text x="{left}" y="42" fill="#555555">grid x {} to {}, y {} to {}; ○ start, ■ end</text>"##,
        min.x, max.x, min.y, max.y
    );
    let _ = writeln!(
        svg,
        r##"<rect class="bounds" x="{left}" y="{top}" width="{plot_w:.1}" height="{plot_h:.1}" fill="#f7f7f4" stroke="#999999"/>"##
    );
    // Grid lines every 1, 10, 100, ... cells: the fewest that keeps them 8 pixels apart, so
    // there are at most about a hundred however far the units went.
    let mut every: i32 = 1;
    while f64::from(every) * scale < 8.0 && every < 1_000_000_000 {
        every *= 10;
    }
    let _ = write!(svg, r##"<g stroke="#e2e2dc" stroke-width="0.5">"##);
    for x in (view_min.x..=view_max.x).filter(|x| x.rem_euclid(every) == 0) {
        let _ = write!(
            svg,
            r#"<line x1="{0:.1}" y1="{top}" x2="{0:.1}" y2="{1:.1}"/>"#,
            px(x),
            top + plot_h
        );
    }
    for y in (view_min.y..=view_max.y).filter(|y| y.rem_euclid(every) == 0) {
        let _ = write!(
            svg,
            r#"<line x1="{left}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}"/>"#,
            py(y),
            left + plot_w
        );
    }
    let _ = writeln!(svg, "</g>");

    for (index, path) in paths.iter().enumerate() {
        let colour = colour(index);
        let d = shift(index);
        let (px, py) = (|x: i32| px(x) + d, |y: i32| py(y) + d);
        let name = escape(&path.name);
        let _ = write!(
            svg,
            r#"<path class="unit" data-unit="{name}" fill="none" stroke="{colour}" stroke-width="{line}" stroke-linejoin="round" stroke-opacity="0.85" d=""#
        );
        for (i, point) in path.points.iter().enumerate() {
            let command = if i == 0 { 'M' } else { 'L' };
            let _ = write!(svg, "{command}{:.1} {:.1}", px(point.x), py(point.y));
        }
        let _ = writeln!(svg, r#""><title>{name}</title></path>"#);
        if let (Some(start), Some(end)) = (path.points.first(), path.points.last()) {
            let _ = writeln!(
                svg,
                r##"<circle class="start" cx="{:.1}" cy="{:.1}" r="{marker}" fill="#ffffff" stroke="{colour}" stroke-width="{line}"/>"##,
                px(start.x),
                py(start.y)
            );
            let (x, y, size) = (px(end.x) - marker, py(end.y) - marker, marker * 2.0);
            let _ = writeln!(
                svg,
                r#"<rect class="end" x="{x:.1}" y="{y:.1}" width="{size:.1}" height="{size:.1}" fill="{colour}"/>"#
            );
        }
    }

    let _ = writeln!(svg, r#"<g class="legend">"#);
    for (index, path) in paths.iter().take(LEGEND_ENTRIES).enumerate() {
        let y = top + 12.0 + index as f64 * 18.0;
        let _ = writeln!(
            svg,
            r#"<line x1="{legend_x}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="3"/><text x="{}" y="{}">{}</text>"#,
            legend_x + 22.0,
            colour(index),
            legend_x + 30.0,
            y + 4.5,
            escape(&path.name)
        );
    }
    if paths.len() > LEGEND_ENTRIES {
        let y = top + 12.0 + LEGEND_ENTRIES as f64 * 18.0;
        let _ = writeln!(
            svg,
            r##"<text x="{legend_x}" y="{}" fill="#555555">… and {} more</text>"##,
            y + 4.5,
            paths.len() - LEGEND_ENTRIES
        );
    }
    let _ = writeln!(svg, "</g>");
    let _ = writeln!(svg, "</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(cap: usize) -> UnitPath {
        UnitPath {
            name: "u".into(),
            points: Vec::new(),
            cap,
        }
    }

    #[test]
    fn a_straight_walk_is_one_segment_and_a_turn_starts_another() {
        let mut path = path(64);
        for x in 0..=5 {
            path.push(IVec2::new(x, 0));
        }
        path.push(IVec2::new(5, 0)); // standing still adds nothing
        for y in 1..=3 {
            path.push(IVec2::new(5 + y, y)); // diagonal
        }
        path.push(IVec2::new(7, 3)); // back one step: a new segment
        assert_eq!(
            path.points,
            [
                IVec2::new(0, 0),
                IVec2::new(5, 0),
                IVec2::new(8, 3),
                IVec2::new(7, 3)
            ]
        );
    }

    #[test]
    fn a_path_past_its_cap_is_thinned_keeping_both_ends() {
        let mut path = path(4);
        // A zigzag: every step turns, so every cell is a point.
        for i in 0..6 {
            path.push(IVec2::new(i, i % 2));
        }
        assert!(path.points.len() <= 4, "{:?}", path.points);
        assert_eq!(path.points.first(), Some(&IVec2::new(0, 0)));
        assert_eq!(path.points.last(), Some(&IVec2::new(5, 1)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape(r#"<a & "b">'"#),
            "&lt;a &amp; &quot;b&quot;&gt;&apos;"
        );
        assert_eq!(escape("a\0b\nc\u{1b}"), "a\u{2400}b\u{240a}c\u{241b}");
    }

    /// The largest picture: a plot whose long side is 720 pixels, margins and the legend.
    const MAX_WIDTH: f64 = 20.0 + 720.0 + 24.0 + 190.0;
    const MAX_HEIGHT: f64 = 56.0 + 720.0 + 40.0;

    /// Units two million cells apart: the picture keeps its size, with a few grid lines.
    #[test]
    fn far_apart_units_fit_the_picture() {
        let mut far = path(64);
        far.push(IVec2::new(-1_000_000, 0));
        far.push(IVec2::new(1_000_000, 5));
        let caption = Caption {
            scenario: "far",
            seed: 0,
        };
        let svg = draw(&[&far], 1, &caption);
        let size = |name: &str| -> f64 {
            let at = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            svg[at..].split('"').next().unwrap().parse().unwrap()
        };
        assert!(size("width") <= MAX_WIDTH, "{}", size("width"));
        assert!(size("height") <= MAX_HEIGHT, "{}", size("height"));
        assert!(svg.len() < 20_000, "{} bytes", svg.len());
    }
}
