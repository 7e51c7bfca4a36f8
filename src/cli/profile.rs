//! The `--profile` sink: the run's `tick` and `poll` spans as a timeline in the Chrome
//! trace-event format (a JSON array of events), which Perfetto and `chrome://tracing` open.
//!
//! Each span is one pair of `b`/`e` (nestable async) events, written by `tracing-chrome` from
//! the span's opening to its closing: a `tick` span lasts from Sense to the end of the step,
//! and the `poll` spans of its units nest inside it. Nothing else is recorded (events would
//! swamp it).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tracing::Metadata;
use tracing_chrome::{ChromeLayer, ChromeLayerBuilder, FlushGuard, TraceStyle};
use tracing_subscriber::Layer;
use tracing_subscriber::Registry;
use tracing_subscriber::filter::{FilterFn, Filtered};

use super::CliError;
use super::output_file::OutputFile;

/// The layer to install: tracing-chrome's, given only the `tick` and `poll` spans.
pub type ProfileLayer = Filtered<ChromeLayer<Registry>, FilterFn, Registry>;

/// A profile being written.
pub struct Profile {
    path: PathBuf,
    guard: FlushGuard,
    shared: Arc<Mutex<Shared>>,
}

/// The file, shared with the thread tracing-chrome writes it from.
struct Shared {
    out: Option<OutputFile>,
    /// The first write that failed; what follows is dropped.
    error: Option<io::Error>,
}

/// The writer tracing-chrome is given. It never fails (tracing-chrome would panic): the first
/// error is kept and reported when the profile is finished.
struct SharedWriter(Arc<Mutex<Shared>>);

impl Write for SharedWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.with_file(|out| out.write_all(bytes));
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.with_file(Write::flush);
        Ok(())
    }
}

impl SharedWriter {
    fn with_file(&self, f: impl FnOnce(&mut OutputFile) -> io::Result<()>) {
        let mut shared = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let Shared { out, error } = &mut *shared;
        if let (Some(out), None) = (out, &error)
            && let Err(failed) = f(out)
        {
            *error = Some(failed);
        }
    }
}

/// Whether the profile records what `metadata` describes: tickweave's `tick` and `poll` spans.
fn profiled(metadata: &Metadata<'_>) -> bool {
    metadata.is_span()
        && metadata.target() == "tickweave"
        && matches!(metadata.name(), "tick" | "poll")
}

impl Profile {
    /// Starts the file at `path` (which it replaces when finished); returns the profile and
    /// the layer to install. Fails as invalid input, before anything runs, if the file cannot
    /// be created.
    pub fn create(path: &Path) -> Result<(Self, ProfileLayer), CliError> {
        let out = OutputFile::create(path, "the profile")?;
        let shared = Arc::new(Mutex::new(Shared {
            out: Some(out),
            error: None,
        }));
        let (layer, guard) = ChromeLayerBuilder::new()
            .writer(SharedWriter(Arc::clone(&shared)))
            .trace_style(TraceStyle::Async)
            .include_args(true)
            .include_locations(false)
            .build();
        let profile = Profile {
            path: path.to_path_buf(),
            guard,
            shared,
        };
        Ok((profile, layer.with_filter(FilterFn::new(profiled))))
    }

    /// Ends the timeline and puts the file in place; returns its path.
    pub fn finish(self) -> Result<PathBuf, CliError> {
        // Dropping the guard makes tracing-chrome close the JSON array and wait for its writer.
        drop(self.guard);
        let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(error) = shared.error.take() {
            return Err(CliError::write(&self.path, error));
        }
        match shared.out.take() {
            Some(out) => out.commit(),
            None => Err(CliError::write(
                &self.path,
                io::Error::other("the profile was already finished"),
            )),
        }
    }
}
