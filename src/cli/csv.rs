//! The `--csv` sink: every unit's cell at every tick.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::CliError;
use tickweave::Simulation;

/// Writes `tick,unit,x,y` rows, one per unit per tick, ordered by unit id within a tick.
pub struct CsvSink {
    path: PathBuf,
    out: BufWriter<File>,
    rows: u64,
}

impl CsvSink {
    /// Creates (or truncates) `path` and writes the header. Fails as invalid input, before any
    /// tick runs, when the file cannot be created.
    pub fn create(path: &Path) -> Result<Self, CliError> {
        let file = File::create(path).map_err(|error| {
            CliError::input(format_args!(
                "{}: cannot create the CSV file: {error}",
                path.display()
            ))
        })?;
        let mut sink = CsvSink {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            rows: 0,
        };
        writeln!(sink.out, "tick,unit,x,y").map_err(|error| sink.error(error))?;
        Ok(sink)
    }

    /// Appends the rows of the simulation's current tick.
    pub fn record(&mut self, simulation: &mut Simulation) -> Result<(), CliError> {
        let tick = simulation.tick();
        for unit in simulation.units() {
            let (x, y) = (unit.position.x, unit.position.y);
            writeln!(self.out, "{tick},{},{x},{y}", unit.name)
                .map_err(|error| self.error(error))?;
            self.rows += 1;
        }
        Ok(())
    }

    /// Flushes the file; returns its path and the number of data rows written.
    pub fn finish(mut self) -> Result<(PathBuf, u64), CliError> {
        self.out.flush().map_err(|error| self.error(error))?;
        Ok((self.path, self.rows))
    }

    fn error(&self, error: std::io::Error) -> CliError {
        CliError::write(&self.path, error)
    }
}
