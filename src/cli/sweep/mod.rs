//! `tickweave sweep`: a scenario run from many seeds on worker threads, a row per seed in a
//! CSV file sorted by seed, and the statistics of each column; `tickweave merge`: the files of
//! a sweep's shards, combined.
//!
//! The pieces, each in its file: which seeds and which shard ([`seeds`]); the first line that
//! says which sweep a file holds ([`header`]); the rows and their CSV ([`rows`]); the journal
//! that keeps finished rows while a sweep runs ([`journal`]); the worker threads ([`workers`]);
//! the statistics ([`summary`]) and their picture ([`histogram`]); merging ([`merge`]).

mod bounded;
mod file;
mod header;
mod histogram;
mod journal;
mod merge;
mod rows;
mod seeds;
mod summary;
mod workers;

pub use merge::merge;
pub use seeds::{SeedList, Shard};
pub use workers::MAX_JOBS;

use std::fs::File;
use std::io::{Read, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::CliError;
use super::args::SweepArgs;
use super::interrupt;
use super::output_file::{OutputFile, refuse_scenario_clashes};
use super::progress::Progress;
use super::suggest::closest;
use crate::cli::counted::counted;
use crate::cli::printable::printable;
use header::{Header, content_hash};
use journal::Journal;
use rows::{Column, EVENT, FIXED, TALLY, Table};
use tickweave::scenario::limits::{MAX_FILE_BYTES, MAX_MEMORY};
use tickweave::scenario::{DEFAULT_SCENARIO, DEFAULT_SCENARIO_ORIGIN, Scenario, ScenarioError};

/// The longest `--max-seconds`: about eleven days.
pub const MAX_SECONDS: f64 = 1_000_000.0;

/// The most columns `--plot` may draw.
pub const MAX_PLOTS: usize = 16;

/// Runs the sweep `args` asks for, prints its statistics and writes its outputs.
pub fn sweep(args: &SweepArgs) -> Result<(), CliError> {
    let (scenario, hash) = load(args.scenario.as_deref())?;
    let ticks = args.ticks.unwrap_or(scenario.ticks);
    let shard = args.shard.unwrap_or(Shard::ALL);
    shard.check(&args.seeds).map_err(CliError::input)?;
    let header = Header::new(hash, &scenario.name, ticks, args.seeds.clone(), shard);
    let plots = plot_names(&args.plot)?;

    // Rows are kept as they come only beside a regular file (not /dev/null, not a pipe).
    let resumable = args.out.as_deref().filter(|out| {
        std::fs::metadata(out)
            .map(|meta| meta.is_file())
            .unwrap_or(true)
    });
    let journal_path = resumable.map(journal::path_for);
    refuse_scenario_clashes(
        args.scenario.as_deref(),
        &[
            ("--out", args.out.as_deref()),
            ("the journal of --out", journal_path.as_deref()),
            ("--svg", args.svg.as_deref()),
        ],
    )?;

    let mut table = Table::default();
    let Resumed {
        kept,
        journal: journal_found,
    } = resume(resumable, journal_path.as_deref(), &header, &mut table)?;
    let seeds = shard.seeds(&args.seeds);
    let pending: Vec<u64> = seeds
        .iter()
        .copied()
        .filter(|&seed| !table.contains(seed))
        .collect();
    let jobs = jobs(args.jobs, &scenario, pending.len())?;

    let out = args
        .out
        .as_deref()
        .map(|path| LateOutput::new(path, "the sweep's CSV file"))
        .transpose()?;
    let svg = args
        .svg
        .as_deref()
        .map(|path| LateOutput::new(path, "the SVG file"))
        .transpose()?;
    let mut journal = match &journal_path {
        Some(path) if !pending.is_empty() => {
            Some(Journal::open(path, &header, journal_found.as_ref())?)
        }
        _ => None,
    };

    interrupt::install();
    let simulation = |seed| scenario.simulation(seed);
    let plan = workers::Plan {
        simulation: &simulation,
        units: scenario.unit_count(),
        ticks,
        budget: args.max_seconds.map(Duration::from_secs_f64),
    };
    let mut progress = Progress::seeds(seeds.len() as u64, args.quiet);
    let before = table.len();
    let started = Instant::now();
    let ran = workers::run_seeds(&plan, &pending, jobs, |seed, ended| {
        match ended {
            Ok(report) => table.add_report(seed, &report),
            Err(fault) => table.add_fault(seed, &fault),
        }
        .map_err(CliError::input)?;
        if let Some(journal) = &mut journal {
            journal.append(&table.row_json(seed).unwrap_or_default())?;
        }
        progress.set(table.len() as u64);
        Ok(())
    });
    progress.finish();
    ran?;
    let elapsed = started.elapsed();

    let facts = Facts {
        scenario: &scenario,
        header: &header,
        seeds: seeds.len(),
        ran: table.len() - before,
        jobs,
        elapsed,
        kept: &kept,
    };
    let mut stdout = std::io::stdout().lock();
    if table.len() < seeds.len() {
        facts.print(&mut stdout, &table).map_err(CliError::output)?;
        let kept = match (&journal, &journal_path, &args.out) {
            (Some(_), Some(path), _) => format!(
                "their rows are kept in {}: run the same command again to run the other {}",
                path.display(),
                seeds.len() - table.len()
            ),
            (_, _, Some(_)) => "--out is not a regular file, so their rows are not kept".into(),
            _ => "without --out, their rows are not kept".into(),
        };
        return Err(CliError::interrupted(format_args!(
            "interrupted: {} of the {} have their rows; {kept}",
            table.len(),
            counted(seeds.len() as u64, "seed")
        )));
    }

    // Every seed has its row: the outputs first, then what to say about them.
    let mut written = Vec::new();
    if let Some(out) = out {
        let mut out = out.create()?;
        table
            .write_csv(&header, &mut out)
            .map_err(|error| CliError::write(out.path(), error))?;
        let path = out.commit()?;
        if let Some(journal_path) = &journal_path {
            Journal::remove(journal_path)?;
        }
        written.push(format!(
            "out        {} ({} rows)",
            path.display(),
            table.len()
        ));
    }
    if let Some(svg) = svg {
        let mut svg = svg.create()?;
        let columns = plot_columns(&table, &plots);
        let title = format!(
            "{} — {} ({}{}), {ticks} ticks each",
            scenario.name,
            counted(seeds.len() as u64, "seed"),
            args.seeds,
            if shard.is_all() {
                String::new()
            } else {
                format!(", shard {shard}")
            }
        );
        let picture = histogram::draw(&table, &columns, &title);
        svg.write_all(picture.as_bytes())
            .map_err(|error| CliError::write(svg.path(), error))?;
        written.push(format!("svg        {}", svg.commit()?.display()));
    }
    facts.print(&mut stdout, &table).map_err(CliError::output)?;
    for line in written {
        writeln!(stdout, "{line}").map_err(CliError::output)?;
    }
    Ok(())
}

/// What an earlier run of the same sweep left.
struct Resumed {
    /// The files rows were found in, and how many in each.
    kept: Vec<(PathBuf, usize)>,
    /// What reading the journal found, if there is one.
    journal: Option<journal::Found>,
}

/// Adds to `table` the rows that a sweep of the same seeds, stopped or finished, left in `out`
/// and in its journal. Fails as invalid input if either holds another sweep.
fn resume(
    out: Option<&Path>,
    journal_path: Option<&Path>,
    header: &Header,
    table: &mut Table,
) -> Result<Resumed, CliError> {
    let mut kept = Vec::new();
    if let Some(out) = out.filter(|out| out.exists()) {
        let start_afresh = format!(
            "choose another --out, or remove {} to start afresh",
            out.display()
        );
        let found = file::read(out, &start_afresh)?;
        let differences = found.header.differences(header, "there", "here");
        if !differences.is_empty() {
            return Err(CliError::input(format_args!(
                "{} holds another sweep: {}; to add to it, give the options that began it; or \
                 {start_afresh}",
                out.display(),
                differences.join("; ")
            )));
        }
        kept.push((out.to_path_buf(), found.table.len()));
        table
            .absorb(found.table)
            .expect("the table was empty: no seed is twice");
    }
    let Some(path) = journal_path else {
        return Ok(Resumed {
            kept,
            journal: None,
        });
    };
    let found = journal::read(path, header, table)?;
    if let Some(found) = &found
        && found.rows > 0
    {
        kept.push((path.to_path_buf(), found.rows));
    }
    Ok(Resumed {
        kept,
        journal: found,
    })
}

/// An output written when the sweep is done. A regular file is tried at once, so that a path
/// that cannot be written is refused before any seed runs, but only created at the end: a
/// sweep killed part-way leaves nothing half-written beside it. Anything else (`/dev/null`, a
/// pipe) is opened at once and kept open.
struct LateOutput {
    path: PathBuf,
    what: &'static str,
    open: Option<OutputFile>,
}

impl LateOutput {
    fn new(path: &Path, what: &'static str) -> Result<Self, CliError> {
        let special = std::fs::metadata(path).is_ok_and(|meta| !meta.is_file());
        let file = OutputFile::create(path, what)?;
        Ok(LateOutput {
            path: path.to_path_buf(),
            what,
            // Dropped, a regular file's temporary goes, and the path is left as it was.
            open: special.then_some(file),
        })
    }

    fn create(self) -> Result<OutputFile, CliError> {
        match self.open {
            Some(file) => Ok(file),
            None => OutputFile::create(&self.path, self.what),
        }
    }
}

/// What the summary says about the sweep before its statistics.
struct Facts<'a> {
    scenario: &'a Scenario,
    header: &'a Header,
    /// The seeds of the shard (of the sweep, if it is whole).
    seeds: usize,
    ran: usize,
    jobs: NonZeroUsize,
    elapsed: Duration,
    kept: &'a [(PathBuf, usize)],
}

impl Facts<'_> {
    fn print(&self, out: &mut impl Write, table: &Table) -> std::io::Result<()> {
        let header = self.header;
        writeln!(
            out,
            "sweep      {}, {} ticks, seeds {} ({})",
            printable(&self.scenario.name),
            header.ticks,
            header.seeds,
            counted(header.seeds.len(), "seed")
        )?;
        if !header.shard.is_all() {
            writeln!(
                out,
                "shard      {}: {} of the seeds",
                header.shard, self.seeds
            )?;
        }
        for (path, rows) in self.kept {
            writeln!(
                out,
                "kept       {} from {}",
                counted(*rows as u64, "row"),
                path.display()
            )?;
        }
        let seconds = self.elapsed.as_secs_f64();
        if self.ran == 0 {
            writeln!(out, "ran        no seed: each had its row")?;
        } else {
            let threads = self.jobs.get().min(self.ran);
            writeln!(
                out,
                "ran        {} on {} in {seconds:.2} s ({:.1} seeds a second)",
                counted(self.ran as u64, "seed"),
                counted(threads as u64, "thread"),
                self.ran as f64 / seconds.max(1e-9)
            )?;
        }
        summary::print(out, table)
    }
}

/// The scenario `path` names (the built-in skirmish if none), and the hash of its bytes.
fn load(path: Option<&Path>) -> Result<(Scenario, u64), CliError> {
    let Some(path) = path else {
        let scenario =
            Scenario::parse(DEFAULT_SCENARIO, DEFAULT_SCENARIO_ORIGIN).map_err(CliError::input)?;
        return Ok((scenario, content_hash(DEFAULT_SCENARIO.as_bytes())));
    };
    // Read once (it may be a pipe), one byte past the limit so that a larger file is told.
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|source| {
            CliError::input(ScenarioError::Read {
                path: path.to_path_buf(),
                source,
            })
        })?;
    let scenario =
        Scenario::parse_bytes(&bytes, &path.display().to_string()).map_err(CliError::input)?;
    Ok((scenario, content_hash(&bytes)))
}

/// The worker threads: as asked, or one per core; as many simulations as fit the memory
/// budget at once; no more than there are seeds to run.
fn jobs(
    asked: Option<usize>,
    scenario: &Scenario,
    pending: usize,
) -> Result<NonZeroUsize, CliError> {
    let each = scenario.memory_estimate().max(1);
    let fit = usize::try_from(MAX_MEMORY / each)
        .unwrap_or(usize::MAX)
        .clamp(1, MAX_JOBS);
    let jobs = match asked {
        Some(asked) if asked > fit => {
            return Err(CliError::input(format_args!(
                "--jobs {asked}: {asked} simulations of this scenario at once would need about \
                 {:.1} GB of memory, more than the budget of {:.1} GB; use --jobs {fit} or fewer",
                (each as f64 * asked as f64) / 1e9,
                MAX_MEMORY as f64 / 1e9
            )));
        }
        Some(asked) => asked,
        None => std::thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .min(fit),
    };
    Ok(NonZeroUsize::new(jobs.min(pending)).unwrap_or(NonZeroUsize::MIN))
}

/// The `--plot` names, checked: at most [`MAX_PLOTS`], none empty, none of a column that is
/// not a count.
fn plot_names(plot: &[String]) -> Result<Vec<String>, CliError> {
    if plot.len() > MAX_PLOTS {
        return Err(CliError::input(format_args!(
            "--plot names {} columns; a picture draws at most {MAX_PLOTS}",
            plot.len()
        )));
    }
    plot.iter()
        .map(|name| {
            let name = name.trim();
            if name.is_empty() {
                return Err(CliError::input(
                    "--plot has an empty column name (two commas in a row, or one at an end)",
                ));
            }
            if ["seed", "checksum", "fault"].contains(&name) {
                return Err(CliError::input(format_args!(
                    "--plot {name}: not a count; draw counts such as {}, tally.NAME or \
                     event.KIND",
                    FIXED.join(", ")
                )));
            }
            Ok(name.to_owned())
        })
        .collect()
}

/// The columns to draw: those named, or every tally, or, when there is none, every column
/// whose value varies. A name is a column's, else a tally's (`caught` for `tally.caught`), else
/// an event kind's; one that no seed counted is left out, with a warning.
fn plot_columns<'a>(table: &'a Table, plots: &[String]) -> Vec<(Column, String)> {
    let columns = table.numeric_columns();
    if plots.is_empty() {
        let tallies: Vec<(Column, String)> = columns
            .iter()
            .filter(|(_, name)| name.starts_with(TALLY))
            .map(|(column, name)| (*column, (*name).to_owned()))
            .collect();
        if !tallies.is_empty() {
            return tallies.into_iter().take(MAX_PLOTS).collect();
        }
        return columns
            .iter()
            .filter(|(column, _)| {
                summary::Stats::of(table.values(*column)).is_some_and(|stats| stats.min < stats.max)
            })
            .take(MAX_PLOTS)
            .map(|(column, name)| (*column, (*name).to_owned()))
            .collect();
    }
    let mut chosen = Vec::new();
    for name in plots {
        let found = [
            name.clone(),
            format!("{TALLY}{name}"),
            format!("{EVENT}{name}"),
        ]
        .into_iter()
        .find_map(|full| columns.iter().find(|(_, found)| **found == full));
        match found {
            Some((column, full)) => chosen.push((*column, (*full).to_owned())),
            None => {
                // Both ways a column may be named: `tally.caught` and `caught`.
                let bare = |name: &'a str| {
                    name.strip_prefix(TALLY)
                        .or_else(|| name.strip_prefix(EVENT))
                        .unwrap_or(name)
                };
                let names = columns.iter().flat_map(|(_, name)| [*name, bare(name)]);
                let hint = closest(name, names)
                    .map(|close| format!(" (did you mean {close}?)"))
                    .unwrap_or_default();
                // A warning: the picture is still drawn.
                eprintln!(
                    "tickweave: --plot {name}: no seed counted it, so it is 0 for every \
                     seed{hint}; it is left out of the picture"
                );
            }
        }
    }
    chosen
}
