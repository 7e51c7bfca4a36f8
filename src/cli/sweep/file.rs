//! Reading a sweep's file whole: its header and its rows, checked to be the rows of its
//! seeds.

use std::fs::File;
use std::path::Path;

use super::bounded::{self, LineLimit};
use super::header::Header;
use super::rows::Table;
use crate::cli::CliError;

/// A sweep's file as read.
pub struct SweepFile {
    pub header: Header,
    pub table: Table,
}

/// Reads the sweep's file at `path`. Fails as invalid input, naming the file and the line,
/// if it is not one (`what to do` ends the message), or if a row is of a seed its header
/// does not list for its shard.
pub fn read(path: &Path, what_to_do: &str) -> Result<SweepFile, CliError> {
    let origin = path.display();
    let fail = |why: String| CliError::input(format_args!("{origin}: {why}; {what_to_do}"));
    // `why` starts with the line number: `3: …`.
    let at_line = |why: String| CliError::input(format_args!("{origin}:{why}; {what_to_do}"));
    let file = File::open(path).map_err(|error| {
        CliError::input(format_args!(
            "{origin}: cannot read the sweep's file: {error}"
        ))
    })?;
    let mut reader = LineLimit::new(file);
    let mut line = Vec::new();
    let header = match bounded::next_line(&mut reader, &mut line) {
        Ok(Some(_)) => {
            let text = String::from_utf8_lossy(&line);
            Header::parse(&text).map_err(|why| at_line(format!("1: {why}")))?
        }
        Ok(None) => return Err(fail("empty, so not a file a sweep writes".into())),
        Err(error) => return Err(at_line(format!("1: {error}"))),
    };
    let mut table = Table::default();
    let seeds = table.read_csv(reader, 1).map_err(at_line)?;
    let positions = header.seeds.positions();
    for seed in seeds {
        let held = positions
            .of(seed)
            .is_some_and(|position| header.shard.holds(position));
        if !held {
            let of = if header.shard.is_all() {
                String::new()
            } else {
                format!("shard {} of ", header.shard)
            };
            return Err(fail(format!(
                "it has a row for seed {seed}, which is not one of {of}its seeds {}",
                header.seeds
            )));
        }
    }
    Ok(SweepFile { header, table })
}
