//! An output file that replaces what was at its path only when it is complete.
//!
//! It is written to a temporary file beside its path and renamed over it at the end, so a run
//! that fails part-way, or an output refused after another was opened, leaves every file as it
//! was. A path that is not a regular file (`/dev/null`, a pipe) is written directly: there is
//! nothing there to protect, and renaming over it would replace it. A symbolic link is followed:
//! the file it leads to is replaced, beside which the temporary file is written, and the link
//! stays. A path that leads to the file the program's own standard output or error goes to
//! (`--csv /dev/stdout > out.txt`) is written through that stream, in order with what the program
//! prints, so that neither overwrites the other.
//!
//! Before any is created, [`refuse_clashes`] makes sure no two outputs are one file, and that
//! no output is the input. A program stopped at once by a signal removes every temporary file
//! still open before it exits ([`remove_temporaries_and_exit`]), as dropping them would.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::CliError;
use super::interrupt;

/// The temporary files being written, by any thread: what a program stopped at once removes.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// An output being written.
pub struct OutputFile {
    /// The path as given, for messages.
    path: PathBuf,
    /// What the temporary file replaces: `path`, or the file a symbolic link there leads to.
    target: PathBuf,
    /// The temporary file, until it is renamed over `path` (or removed on drop).
    temporary: Option<PathBuf>,
    out: BufWriter<File>,
}

impl OutputFile {
    /// Starts writing `path` (`what` names it in the error, e.g. "the CSV file"). Fails as
    /// invalid input, before anything runs, if it cannot be created.
    pub fn create(path: &Path, what: &str) -> Result<Self, CliError> {
        let refuse = |error: io::Error| {
            CliError::input(format_args!(
                "{}: cannot create {what}: {error}",
                path.display()
            ))
        };
        let target = link_target(path).map_err(refuse)?;
        let direct = |file: File| OutputFile {
            path: path.to_path_buf(),
            target: target.clone(),
            temporary: None,
            out: BufWriter::new(file),
        };
        if let Ok(meta) = std::fs::metadata(&target) {
            if !meta.is_file() {
                return Ok(direct(File::create(path).map_err(refuse)?));
            }
            if let Some(stream) = standard_stream_of(&meta) {
                return Ok(direct(stream));
            }
        }
        let name = target
            .file_name()
            .ok_or_else(|| refuse(io::Error::other("the path names no file")))?;
        let mut hidden = std::ffi::OsString::from(".");
        hidden.push(name);
        hidden.push(format!(".{}.partial", std::process::id()));
        let temporary = target.with_file_name(hidden);
        // Listed before it exists, so that no moment has it on disk and unlisted.
        interrupt::guard_outputs();
        temporaries().push(temporary.clone());
        let file = File::create(&temporary).map_err(|error| {
            forget(&temporary);
            refuse(error)
        })?;
        Ok(OutputFile {
            path: path.to_path_buf(),
            target,
            temporary: Some(temporary),
            out: BufWriter::new(file),
        })
    }

    /// The path it will have.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes it and puts it in place of whatever was at its path; returns that path.
    pub fn commit(mut self) -> Result<PathBuf, CliError> {
        self.out
            .flush()
            .map_err(|error| CliError::write(&self.path, error))?;
        if let Some(temporary) = self.temporary.take() {
            let renamed = std::fs::rename(&temporary, &self.target);
            if renamed.is_err() {
                std::fs::remove_file(&temporary).ok();
            }
            forget(&temporary);
            renamed.map_err(|error| CliError::write(&self.path, error))?;
        }
        Ok(std::mem::take(&mut self.path))
    }
}

impl Write for OutputFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.out.write(bytes)
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Drop for OutputFile {
    /// Not committed: the partial file goes, and whatever was at the path stays.
    fn drop(&mut self) {
        if let Some(temporary) = self.temporary.take() {
            std::fs::remove_file(&temporary).ok();
            forget(&temporary);
        }
    }
}

/// The list of temporary files, whichever thread panicked while holding it (a list of paths
/// cannot be left half-changed).
fn temporaries() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARIES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Takes a temporary file off the list once it is renamed or removed.
fn forget(temporary: &Path) {
    let mut list = temporaries();
    if let Some(at) = list.iter().position(|listed| listed == temporary) {
        list.swap_remove(at);
    }
}

/// Removes every temporary file being written and ends the program with `status`. The list
/// stays locked until the end, so no thread creates another meanwhile; one that renames its
/// file into place first has finished it, and the removal of its old name finds nothing.
pub fn remove_temporaries_and_exit(status: i32) -> ! {
    let list = temporaries();
    for temporary in list.iter() {
        std::fs::remove_file(temporary).ok();
    }
    std::process::exit(status)
}

/// Where `path` leads through symbolic links: itself if it is none, else the path the last link
/// names (which need not exist yet).
fn link_target(path: &Path) -> io::Result<PathBuf> {
    // As many links as Linux follows before giving up.
    const MOST_LINKS: usize = 40;
    let mut target = path.to_path_buf();
    for _ in 0..MOST_LINKS {
        match std::fs::symlink_metadata(&target) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = std::fs::read_link(&target)?;
                target = match target.parent() {
                    Some(parent) if next.is_relative() => parent.join(next),
                    _ => next,
                };
            }
            _ => return Ok(target),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The program's standard output or error, as a file to write to, if it goes to the regular
/// file `meta` describes.
#[cfg(unix)]
fn standard_stream_of(meta: &std::fs::Metadata) -> Option<File> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let same = |fd: std::os::fd::BorrowedFd<'_>| -> Option<File> {
        let file = File::from(fd.try_clone_to_owned().ok()?);
        let stream = file.metadata().ok()?;
        (stream.dev() == meta.dev() && stream.ino() == meta.ino()).then_some(file)
    };
    same(io::stdout().as_fd()).or_else(|| same(io::stderr().as_fd()))
}

#[cfg(not(unix))]
fn standard_stream_of(_: &std::fs::Metadata) -> Option<File> {
    None
}

/// [`refuse_clashes`] for a command that reads a scenario file (none: the built-in one) and
/// writes the outputs it was given: each is `(option, path if given)`.
pub fn refuse_scenario_clashes(
    scenario: Option<&Path>,
    outputs: &[(&str, Option<&Path>)],
) -> Result<(), CliError> {
    let given: Vec<(&str, &Path)> = outputs
        .iter()
        .filter_map(|&(option, path)| Some((option, path?)))
        .collect();
    refuse_clashes(scenario.map(|path| ("the scenario file", path)), &given)
}

/// Fails as invalid input if two of `outputs` name the same regular file, or one names the
/// input: each is `(option, path)`, e.g. `("--csv", "out.csv")`, and the input is `(what,
/// path)`, e.g. `("the scenario file", "my.ron")`.
pub fn refuse_clashes(
    input: Option<(&str, &Path)>,
    outputs: &[(&str, &Path)],
) -> Result<(), CliError> {
    let (input_name, input) = match input {
        Some((name, path)) => (name, identity(path)),
        None => ("", None),
    };
    let mut seen: Vec<(&str, &Path, PathBuf)> = Vec::with_capacity(outputs.len());
    for &(option, path) in outputs {
        let Some(file) = identity(path) else {
            continue;
        };
        if input.as_ref() == Some(&file) {
            return Err(CliError::input(format_args!(
                "{option} {} is {input_name}: it would be overwritten; write the output to \
                 another file",
                path.display()
            )));
        }
        if let Some((other, _, _)) = seen.iter().find(|(_, _, seen)| *seen == file) {
            return Err(CliError::input(format_args!(
                "{other} and {option} both name {}: each output needs a file of its own",
                path.display()
            )));
        }
        seen.push((option, path, file));
    }
    Ok(())
}

/// What `path` names, made absolute, if it is (or would be) a regular file: the same file
/// named two ways (`out.csv`, `./out.csv`) has one identity. Not a regular file (`/dev/null`):
/// `None`, as writing to it twice destroys nothing.
fn identity(path: &Path) -> Option<PathBuf> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => path.canonicalize().ok(),
        Ok(_) => None,
        Err(_) => {
            let parent = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty());
            let parent = parent.unwrap_or(Path::new(".")).canonicalize().ok()?;
            Some(parent.join(path.file_name()?))
        }
    }
}
