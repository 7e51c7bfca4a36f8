//! The `--csv` sink: every unit's cell at every tick.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::CliError;
use super::output_file::OutputFile;
use tickweave::Simulation;

/// Writes `tick,unit,x,y` rows, one per unit per tick, ordered by unit id within a tick.
pub struct CsvSink {
    out: OutputFile,
    rows: u64,
}

impl CsvSink {
    /// Starts the file at `path` (which it replaces when finished) with the header. Fails as
    /// invalid input, before any tick runs, when the file cannot be created.
    pub fn create(path: &Path) -> Result<Self, CliError> {
        let mut sink = CsvSink {
            out: OutputFile::create(path, "the CSV file")?,
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

    /// Puts the file in place; returns its path and the number of data rows written.
    pub fn finish(self) -> Result<(PathBuf, u64), CliError> {
        Ok((self.out.commit()?, self.rows))
    }

    fn error(&self, error: std::io::Error) -> CliError {
        CliError::write(self.out.path(), error)
    }
}
