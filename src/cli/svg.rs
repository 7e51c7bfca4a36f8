//! The `--svg` sink: a picture of the run, one coloured trajectory per unit.
//!
//! Units of one team share a colour family (hues near the team's own), and the legend lists
//! them under their team's name. Where a chase caught its target, a ◆ marks the chaser's cell;
//! a unit that was despawned ends in a ✕ instead of a ■.
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
use super::trace::team_name;
use tickweave::Simulation;
use tickweave::components::{Position, Team, UnitId, UnitName};
use tickweave::events::{LoggedEvent, UnitEvent};

/// Points kept over all units.
pub const POINT_BUDGET: usize = 4_000_000;
/// Points a unit may always keep, whatever the number of units.
pub const MIN_POINTS_PER_UNIT: usize = 64;
/// Units listed by name in the legend; the rest are counted.
const LEGEND_ENTRIES: usize = 16;
/// Catches marked; the rest are counted in the subtitle.
pub const MAX_CATCHES: usize = 10_000;

/// The query of every unit's id, name, cell and team.
type UnitQuery = QueryState<(
    &'static UnitId,
    &'static UnitName,
    &'static Position,
    Option<&'static Team>,
)>;

/// Collects every unit's trajectory, then draws them.
pub struct SvgSink {
    out: OutputFile,
    query: Option<UnitQuery>,
    /// Indexed by unit id (ids are dense: spawn order from 0).
    paths: Vec<Option<UnitPath>>,
    /// The scenario's team names: `Team(i)` is `teams[i]`.
    teams: Vec<String>,
    /// Where chases caught their targets, the first [`MAX_CATCHES`].
    catches: Vec<Catch>,
    /// Catches past [`MAX_CATCHES`], counted only.
    more_catches: u64,
    ticks: u64,
}

/// A chase that caught its target: the chaser's cell on the tick it noticed.
struct Catch {
    /// The chaser's index in `paths`.
    chaser: usize,
    cell: IVec2,
    tick: u64,
    /// The caught unit's id.
    target: u64,
}

/// One unit's trajectory.
struct UnitPath {
    name: String,
    team: Option<Team>,
    /// Whether the unit was despawned (its path then ends where it last stood).
    despawned: bool,
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
    /// Starts the file at `path` (which it replaces when finished); `teams` names the
    /// scenario's teams. Fails as invalid input before any tick runs if it cannot be created.
    pub fn create(path: &Path, teams: &[String]) -> Result<Self, CliError> {
        Ok(SvgSink {
            out: OutputFile::create(path, "the SVG file")?,
            query: None,
            paths: Vec::new(),
            teams: teams.to_vec(),
            catches: Vec::new(),
            more_catches: 0,
            ticks: 0,
        })
    }

    /// Adds every unit's cell at the simulation's current tick, and the catches and despawns
    /// among `events` (the tick's, as drained from the event log).
    pub fn record(&mut self, simulation: &mut Simulation, events: &[LoggedEvent]) {
        self.ticks = simulation.tick();
        let world = simulation.world_mut();
        let query = self.query.get_or_insert_with(|| world.query());
        let world = simulation.world();
        if self.paths.is_empty() {
            let units = query.iter(world).len();
            self.paths.resize_with(units, || None);
        }
        let cap = (POINT_BUDGET / self.paths.len().max(1)).max(MIN_POINTS_PER_UNIT);
        for (id, name, position, team) in query.iter(world) {
            let index = usize::try_from(id.0).unwrap_or(usize::MAX);
            if index >= self.paths.len() {
                self.paths.resize_with(index.saturating_add(1), || None);
            }
            let path = self.paths[index].get_or_insert_with(|| UnitPath {
                name: name.as_str().to_owned(),
                team: team.copied(),
                despawned: false,
                points: Vec::new(),
                cap,
            });
            path.push(position.0);
        }
        for logged in events {
            let index = usize::try_from(logged.unit.0).unwrap_or(usize::MAX);
            let Some(Some(path)) = self.paths.get_mut(index) else {
                continue;
            };
            match &logged.event {
                UnitEvent::Despawned { .. } | UnitEvent::BehaviorDespawned => path.despawned = true,
                UnitEvent::ChaseCaught { target } => {
                    let Some(&cell) = path.points.last() else {
                        continue;
                    };
                    if self.catches.len() < MAX_CATCHES {
                        self.catches.push(Catch {
                            chaser: index,
                            cell,
                            tick: logged.tick,
                            target: target.0,
                        });
                    } else {
                        self.more_catches += 1;
                    }
                }
                _ => {}
            }
        }
    }

    /// Draws the picture and writes it; returns the file's path.
    pub fn finish(self, caption: &Caption<'_>) -> Result<PathBuf, CliError> {
        let picture = Picture {
            paths: &self.paths,
            teams: &self.teams,
            catches: &self.catches,
            more_catches: self.more_catches,
            ticks: self.ticks,
        };
        let svg = draw(&picture, caption);
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

/// What [`draw`] draws.
struct Picture<'a> {
    /// By unit id; `None` for an id never seen.
    paths: &'a [Option<UnitPath>],
    teams: &'a [String],
    catches: &'a [Catch],
    more_catches: u64,
    ticks: u64,
}

/// The hue each team's colours are near, in team order (blue, red, green, purple, amber, …).
const TEAM_HUES: [f64; 8] = [215.0, 8.0, 135.0, 280.0, 42.0, 180.0, 325.0, 95.0];

/// The colour of the `index`th unit when no unit has a team: hues a golden angle apart, so
/// neighbours differ.
pub fn colour(index: usize) -> String {
    let hue = (index as f64 * 137.507_764) % 360.0;
    format!("hsl({hue:.1},70%,42%)")
}

/// The colour of the `member`th unit of `team`: near the team's hue, varied in hue and
/// lightness so that its units can be told apart. Units of no team are grey.
fn team_colour(team: Option<Team>, member: usize) -> String {
    let lightness = 30 + (member * 3 % 5) * 6;
    match team {
        Some(team) => {
            let base = TEAM_HUES[team.0 as usize % TEAM_HUES.len()];
            let offset = ((member * 7) % 9) as f64 * 4.0 - 16.0;
            let hue = (base + offset).rem_euclid(360.0);
            format!("hsl({hue:.1},72%,{lightness}%)")
        }
        None => format!("hsl(0,0%,{lightness}%)"),
    }
}

/// The units of one team (or of none), in unit-id order, for the legend.
struct Group<'a> {
    team: Option<Team>,
    /// Indices into the picture's paths.
    members: Vec<usize>,
    name: std::borrow::Cow<'a, str>,
}

impl Picture<'_> {
    /// Units grouped by team, teams in order and units of no team last; one group of every
    /// unit, unnamed, when no unit has a team.
    fn groups(&self) -> Vec<Group<'_>> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for (index, path) in self.paths.iter().enumerate() {
            let Some(path) = path else { continue };
            match groups.iter_mut().find(|group| group.team == path.team) {
                Some(group) => group.members.push(index),
                None => groups.push(Group {
                    team: path.team,
                    members: vec![index],
                    name: match path.team {
                        Some(team) => team_name(self.teams, team),
                        None => "no team".into(),
                    },
                }),
            }
        }
        groups.sort_by_key(|group| group.team.map_or(u64::MAX, |team| u64::from(team.0)));
        groups
    }

    /// Each unit's colour, by index into the paths.
    fn colours(&self, groups: &[Group<'_>]) -> Vec<String> {
        let mut colours = vec![String::new(); self.paths.len()];
        let by_team = groups.iter().any(|group| group.team.is_some());
        let mut drawn = 0;
        for (index, path) in self.paths.iter().enumerate() {
            if path.is_some() && !by_team {
                colours[index] = colour(drawn);
                drawn += 1;
            }
        }
        if by_team {
            for group in groups {
                for (member, &index) in group.members.iter().enumerate() {
                    colours[index] = team_colour(group.team, member);
                }
            }
        }
        colours
    }
}

/// What the legend shows: per group, a heading (when units have teams), the units listed and
/// how many more there are.
struct LegendGroup<'a> {
    heading: Option<String>,
    colour: String,
    listed: &'a [usize],
    more: usize,
}

/// At most [`LEGEND_ENTRIES`] units in all, shared out between the groups: each gets an even
/// share of what the groups before it left.
fn legend<'a>(groups: &'a [Group<'_>]) -> Vec<LegendGroup<'a>> {
    let headings = groups.iter().any(|group| group.team.is_some());
    let mut left = LEGEND_ENTRIES;
    groups
        .iter()
        .enumerate()
        .map(|(at, group)| {
            let share = (left / (groups.len() - at)).max(1);
            let listed = group.members.len().min(share);
            left = left.saturating_sub(listed);
            let count = group.members.len();
            LegendGroup {
                heading: headings.then(|| {
                    format!(
                        "{} ({count} unit{})",
                        group.name,
                        if count == 1 { "" } else { "s" }
                    )
                }),
                colour: team_colour(group.team, 0),
                listed: &group.members[..listed],
                more: count - listed,
            }
        })
        .collect()
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

fn draw(picture: &Picture<'_>, caption: &Caption<'_>) -> String {
    let groups = picture.groups();
    let colours = picture.colours(&groups);
    let legend = legend(&groups);
    let paths: Vec<(usize, &UnitPath)> = picture
        .paths
        .iter()
        .enumerate()
        .filter_map(|(index, path)| Some((index, path.as_ref()?)))
        .collect();
    let ticks = picture.ticks;
    let points = || {
        paths
            .iter()
            .flat_map(|(_, path)| path.points.iter().copied())
    };
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
    let legend_rows: usize = legend
        .iter()
        .map(|group| {
            usize::from(group.heading.is_some()) + group.listed.len() + usize::from(group.more > 0)
        })
        .sum();
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
    let shift = |drawn: usize| (drawn as f64 - (paths.len() as f64 - 1.0) / 2.0) * spread;
    let despawned = paths.iter().filter(|(_, path)| path.despawned).count();
    let catches = picture.catches.len() as u64 + picture.more_catches;

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
        r#"<text x="{left}" y="22" font-size="16" font-weight="bold">{} — {ticks} ticks, seed {}, {}</text>"#,
        escape(caption.scenario),
        caption.seed,
        crate::cli::counted::counted(paths.len() as u64, "unit")
    );
    let mut key = String::from("○ start, ■ end");
    if despawned > 0 {
        let _ = write!(key, ", ✕ despawned ({despawned})");
    }
    if catches > 0 {
        let _ = write!(key, ", ◆ a chase caught its target ({catches})");
    }
    let _ = writeln!(
        svg,
        r##"<text x="{left}" y="42" fill="#555555">grid x {} to {}, y {} to {}; {key}</text>"##,
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

    // Where each unit was drawn, by index into the paths: to place the catch marks.
    let mut shifts = vec![0.0; picture.paths.len()];
    for (drawn, &(index, path)) in paths.iter().enumerate() {
        let colour = &colours[index];
        let d = shift(drawn);
        shifts[index] = d;
        let (px, py) = (|x: i32| px(x) + d, |y: i32| py(y) + d);
        let name = escape(&path.name);
        let team = path
            .team
            .map(|team| {
                format!(
                    r#" data-team="{}""#,
                    escape(&team_name(picture.teams, team))
                )
            })
            .unwrap_or_default();
        let _ = write!(
            svg,
            r#"<path class="unit" data-unit="{name}"{team} fill="none" stroke="{colour}" stroke-width="{line}" stroke-linejoin="round" stroke-opacity="0.85" d=""#
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
            let (x, y) = (px(end.x), py(end.y));
            if path.despawned {
                let r = marker * 1.2;
                let _ = writeln!(
                    svg,
                    r#"<path class="despawned" d="M{:.1} {:.1}L{:.1} {:.1}M{:.1} {:.1}L{:.1} {:.1}" stroke="{colour}" stroke-width="{:.1}" stroke-linecap="round"><title>{name} despawned</title></path>"#,
                    x - r,
                    y - r,
                    x + r,
                    y + r,
                    x - r,
                    y + r,
                    x + r,
                    y - r,
                    line.max(1.2)
                );
            } else {
                let (x, y, size) = (x - marker, y - marker, marker * 2.0);
                let _ = writeln!(
                    svg,
                    r#"<rect class="end" x="{x:.1}" y="{y:.1}" width="{size:.1}" height="{size:.1}" fill="{colour}"/>"#
                );
            }
        }
    }
    let name_of = |id: u64| {
        usize::try_from(id)
            .ok()
            .and_then(|index| picture.paths.get(index)?.as_ref())
            .map_or_else(|| format!("#{id}"), |path| escape(&path.name))
    };
    for catch in picture.catches {
        let d = shifts[catch.chaser];
        let (x, y, r) = (px(catch.cell.x) + d, py(catch.cell.y) + d, marker * 1.6);
        let _ = writeln!(
            svg,
            r##"<path class="catch" d="M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{}" stroke="#ffffff" stroke-width="0.8"><title>{} caught {} on tick {}</title></path>"##,
            x,
            y - r,
            x + r,
            y,
            x,
            y + r,
            x - r,
            y,
            colours[catch.chaser],
            name_of(catch.chaser as u64),
            name_of(catch.target),
            catch.tick
        );
    }

    let _ = writeln!(svg, r#"<g class="legend">"#);
    let mut row = 0;
    let row_y = |row: &mut usize| {
        let y = top + 12.0 + *row as f64 * 18.0;
        *row += 1;
        y
    };
    for group in &legend {
        if let Some(heading) = &group.heading {
            let y = row_y(&mut row);
            let _ = writeln!(
                svg,
                r#"<text class="team" x="{legend_x}" y="{}" font-weight="bold" fill="{}">{}</text>"#,
                y + 4.5,
                group.colour,
                escape(heading)
            );
        }
        let indent = if group.heading.is_some() { 10.0 } else { 0.0 };
        for &index in group.listed {
            let y = row_y(&mut row);
            let x = legend_x + indent;
            let _ = writeln!(
                svg,
                r#"<line x1="{x}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="3"/><text x="{}" y="{}">{}</text>"#,
                x + 22.0,
                colours[index],
                x + 30.0,
                y + 4.5,
                escape(picture.paths[index].as_ref().map_or("", |path| &path.name))
            );
        }
        if group.more > 0 {
            let y = row_y(&mut row);
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="{}" fill="#555555">… and {} more</text>"##,
                legend_x + indent,
                y + 4.5,
                group.more
            );
        }
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
            team: None,
            despawned: false,
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
    fn the_legend_shares_its_rows_between_teams() {
        let group = |team: u32, count: usize| Group {
            team: Some(Team(team)),
            members: (0..count).collect(),
            name: format!("t{team}").into(),
        };
        let groups = [group(0, 30), group(1, 2), group(2, 30)];
        let legend = legend(&groups);
        let shown: Vec<(usize, usize)> = legend
            .iter()
            .map(|group| (group.listed.len(), group.more))
            .collect();
        // 16 rows: a third each, and what the small team leaves goes to the last.
        assert_eq!(shown, [(5, 25), (2, 0), (9, 21)]);
        assert_eq!(legend[0].heading.as_deref(), Some("t0 (30 units)"));
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
        let picture = Picture {
            paths: &[Some(far)],
            teams: &[],
            catches: &[],
            more_catches: 0,
            ticks: 1,
        };
        let svg = draw(&picture, &caption);
        let size = |name: &str| -> f64 {
            let at = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            svg[at..].split('"').next().unwrap().parse().unwrap()
        };
        assert!(size("width") <= MAX_WIDTH, "{}", size("width"));
        assert!(size("height") <= MAX_HEIGHT, "{}", size("height"));
        assert!(svg.len() < 20_000, "{} bytes", svg.len());
    }
}
