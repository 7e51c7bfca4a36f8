//! `tickweave merge`: the files of a sweep's shards, combined into exactly the file the whole
//! sweep writes.

use std::io::Write;
use std::path::Path;

use super::file::{self, SweepFile};
use super::rows::Table;
use super::seeds::Shard;
use super::summary;
use crate::cli::CliError;
use crate::cli::args::MergeArgs;
use crate::cli::counted::counted;
use crate::cli::output_file::{OutputFile, refuse_clashes};

/// Seeds named in a message before the rest are counted.
const SEEDS_SHOWN: usize = 5;

/// Merges the files `args` names; prints the statistics of the whole.
pub fn merge(args: &MergeArgs) -> Result<(), CliError> {
    for input in &args.files {
        refuse_clashes(Some(("a file to merge", input)), &[("-o", &args.out)]).map_err(|_| {
            CliError::input(format_args!(
                "-o {} is one of the files to merge: it would be overwritten; write the merged \
                 file to another",
                args.out.display()
            ))
        })?;
    }
    let mut inputs: Vec<(&Path, SweepFile)> = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let file = file::read(path, "merge the files `tickweave sweep --out` writes")?;
        if let Some((first, held)) = inputs.first() {
            let differences = held.header.whole().differences(
                &file.header.whole(),
                &format!("in {}", first.display()),
                &format!("in {}", path.display()),
            );
            if !differences.is_empty() {
                return Err(CliError::input(format_args!(
                    "{} and {} are not shards of one sweep: {}",
                    first.display(),
                    path.display(),
                    differences.join("; ")
                )));
            }
        }
        inputs.push((path, file));
    }
    let header = inputs
        .first()
        .map(|(_, file)| file.header.whole())
        .ok_or_else(|| CliError::input("no files to merge"))?;

    let mut merged = Table::default();
    let mut owners: Vec<(u64, &Path)> = Vec::new();
    let shards: Vec<Shard> = inputs.iter().map(|(_, file)| file.header.shard).collect();
    for (path, file) in inputs {
        owners.extend(file.table.seeds().map(|seed| (seed, path)));
        if let Err(seed) = merged.absorb(file.table) {
            let first = owners
                .iter()
                .find(|(owned, _)| *owned == seed)
                .map_or(path, |(_, first)| first);
            return Err(CliError::input(format_args!(
                "seed {seed} has a row in both {} and {}: give each shard's file once",
                first.display(),
                path.display()
            )));
        }
    }
    let missing: Vec<u64> = header
        .seeds
        .iter()
        .filter(|&seed| !merged.contains(seed))
        .collect();
    if !missing.is_empty() {
        return Err(CliError::input(missing_message(
            &header.seeds,
            &missing,
            &shards,
        )));
    }

    let mut out = OutputFile::create(&args.out, "the merged file")?;
    merged
        .write_csv(&header, &mut out)
        .map_err(|error| CliError::write(&args.out, error))?;
    let path = out.commit()?;
    let mut stdout = std::io::stdout().lock();
    let print = |stdout: &mut std::io::StdoutLock<'_>| -> std::io::Result<()> {
        writeln!(
            stdout,
            "merged     {}: {} of seeds {}",
            counted(args.files.len() as u64, "file"),
            counted(merged.len() as u64, "row"),
            header.seeds
        )?;
        summary::print(stdout, &merged)?;
        writeln!(
            stdout,
            "out        {} ({} rows)",
            path.display(),
            merged.len()
        )
    };
    print(&mut stdout).map_err(CliError::output)
}

/// Says which seeds are missing and, when the files are shards of one count, which shards
/// would hold them.
fn missing_message(seeds: &super::seeds::SeedList, missing: &[u64], shards: &[Shard]) -> String {
    let shown: Vec<String> = missing
        .iter()
        .take(SEEDS_SHOWN)
        .map(u64::to_string)
        .collect();
    let more = match missing.len().saturating_sub(SEEDS_SHOWN) {
        0 => String::new(),
        more => format!(" and {more} more"),
    };
    let count = shards[0].count;
    let hint = if shards.iter().all(|shard| shard.count == count) {
        let absent: Vec<String> = (0..count)
            .filter(|&index| !shards.iter().any(|shard| shard.index == index))
            .take(SEEDS_SHOWN)
            .map(|index| Shard { index, count }.to_string())
            .collect();
        match absent.len() {
            0 => String::new(),
            1 => format!(": the file of shard {} is missing", absent[0]),
            _ => format!(": the files of shards {} are missing", absent.join(", ")),
        }
    } else {
        String::new()
    };
    let (noun, have) = if missing.len() == 1 {
        ("seed", "has")
    } else {
        ("seeds", "have")
    };
    format!(
        "{noun} {}{more} of the sweep's {} ({seeds}) {have} no row in these files{hint}; merge \
         every shard's file",
        shown.join(", "),
        seeds.len()
    )
}
