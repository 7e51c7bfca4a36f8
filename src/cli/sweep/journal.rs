//! The journal of a sweep under way: `FILE.partial` beside `--out FILE`. Its first line is the
//! sweep's header; each finished seed's row is appended to it as a line of JSON, in one write,
//! the moment it is known. A sweep stopped in any way (Ctrl-C, a killed job, a full disk) thus
//! keeps every row it finished, at worst with a last line cut short, which is left out when the
//! journal is read. The same command, run again, reads the journal, skips those seeds and
//! appends the rest; once every seed has a row, the sorted file replaces `FILE` and the
//! journal is removed.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::bounded::{self, LineLimit};
use super::header::Header;
use super::rows::Table;
use crate::cli::CliError;

/// The journal of the sweep whose file is `out`.
pub fn path_for(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// A journal open for appending.
pub struct Journal {
    path: PathBuf,
    file: File,
}

/// What reading a journal found.
pub struct Found {
    /// Rows added to the table.
    pub rows: usize,
    /// The length of its whole lines, where appending goes on.
    pub whole: u64,
}

/// Adds the rows of the journal at `path`, if there is one, to `table`. Fails as invalid input
/// if it is the journal of another sweep than `header`'s, or is not a journal.
pub fn read(path: &Path, header: &Header, table: &mut Table) -> Result<Option<Found>, CliError> {
    let origin = path.display();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(CliError::input(format_args!(
                "{origin}: cannot read the journal of the sweep: {error}"
            )));
        }
    };
    let start_afresh = format!("remove {origin} to start the sweep afresh (its rows are lost)");
    let mut reader = LineLimit::new(file);
    let mut line = Vec::new();
    let mut whole = 0u64;
    let mut rows = 0;
    let mut number = 0u64;
    let positions = header.seeds.positions();
    loop {
        let ended = bounded::next_line(&mut reader, &mut line).map_err(|error| {
            CliError::input(format_args!(
                "{origin}:{}: {error}; {start_afresh}",
                number + 1
            ))
        })?;
        let Some((ended_whole, length)) = ended else {
            break;
        };
        number += 1;
        if !ended_whole {
            break; // cut short by a writer that was killed: that seed runs again
        }
        let text = String::from_utf8_lossy(&line);
        if number == 1 {
            let found = Header::parse(&text).map_err(|why| {
                CliError::input(format_args!("{origin}:1: {why}; {start_afresh}"))
            })?;
            let differences = found.differences(header, "there", "here");
            if !differences.is_empty() {
                return Err(CliError::input(format_args!(
                    "{origin} holds rows of another sweep: {}; finish that sweep with the \
                     options that began it, or {start_afresh}",
                    differences.join("; ")
                )));
            }
        } else {
            let held = table.len();
            let seed = table.add_json(&text).map_err(|why| {
                CliError::input(format_args!("{origin}:{number}: {why}; {start_afresh}"))
            })?;
            // Checked as the sweep's own file is: a row of a seed outside the sweep would be
            // written into the file, which would then be refused.
            let ours = positions
                .of(seed)
                .is_some_and(|position| header.shard.holds(position));
            if !ours {
                return Err(CliError::input(format_args!(
                    "{origin}:{number}: a row for seed {seed}, which is not one of the sweep's \
                     seeds {}; {start_afresh}",
                    header.seeds
                )));
            }
            // The same row twice (a resumed sweep may find it in its file and its journal) is
            // one row.
            rows += table.len() - held;
        }
        whole += length;
    }
    if number == 0 {
        // Created, but killed before its header was written.
        return Ok(Some(Found { rows: 0, whole: 0 }));
    }
    Ok(Some(Found { rows, whole }))
}

impl Journal {
    /// Opens the journal at `path` to append rows to it: after the `whole` lines a
    /// [`read`] found (a last line cut short is cut off), or, if `found` is `None` or empty,
    /// as a new journal starting with `header`. Fails as invalid input if it cannot be
    /// created.
    pub fn open(path: &Path, header: &Header, found: Option<&Found>) -> Result<Self, CliError> {
        let refuse = |error: std::io::Error| {
            CliError::input(format_args!(
                "{}: cannot create the journal of the sweep: {error}",
                path.display()
            ))
        };
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(path)
            .map_err(refuse)?;
        let whole = found.map_or(0, |found| found.whole);
        file.set_len(whole).map_err(refuse)?;
        file.seek(SeekFrom::End(0)).map_err(refuse)?;
        let mut journal = Journal {
            path: path.to_path_buf(),
            file,
        };
        if whole == 0 {
            journal.append(&header.to_string())?;
        }
        Ok(journal)
    }

    /// Appends `line` and its line break in one write.
    pub fn append(&mut self, line: &str) -> Result<(), CliError> {
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        self.file
            .write_all(&bytes)
            .map_err(|error| CliError::write(&self.path, error))
    }

    /// Removes the journal: its rows are in the sweep's file.
    pub fn remove(path: &Path) -> Result<(), CliError> {
        match std::fs::remove_file(path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(CliError::write(path, error))
            }
            _ => Ok(()),
        }
    }
}
