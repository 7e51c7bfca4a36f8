//! The `--csv` sink: every unit's cell at every tick.

use std::path::{Path, PathBuf};

use super::CliError;
use super::output_file::OutputFile;
use tickweave::Simulation;

/// Writes `tick,unit,x,y` rows, one per unit per tick, ordered by unit id within a tick. A name
/// with a comma, a quote or a line break in it is quoted (RFC 4180), so every row has 4 fields.
pub struct CsvSink {
    out: csv::Writer<OutputFile>,
    rows: u64,
}

impl CsvSink {
    /// Starts the file at `path` (which it replaces when finished) with the header. Fails as
    /// invalid input, before any tick runs, when the file cannot be created.
    pub fn create(path: &Path) -> Result<Self, CliError> {
        let mut sink = CsvSink {
            out: csv::Writer::from_writer(OutputFile::create(path, "the CSV file")?),
            rows: 0,
        };
        sink.out
            .write_record(["tick", "unit", "x", "y"])
            .map_err(|error| sink.error(error))?;
        Ok(sink)
    }

    /// Appends the rows of the simulation's current tick.
    pub fn record(&mut self, simulation: &mut Simulation) -> Result<(), CliError> {
        let tick = simulation.tick();
        for unit in simulation.units() {
            let (x, y) = (unit.position.x, unit.position.y);
            // As a tuple, numbers are written without an allocation each.
            self.out
                .serialize((tick, unit.name, x, y))
                .map_err(|error| self.error(error))?;
            self.rows += 1;
        }
        Ok(())
    }

    /// Puts the file in place; returns its path and the number of data rows written.
    pub fn finish(self) -> Result<(PathBuf, u64), CliError> {
        let rows = self.rows;
        let path = self.out.get_ref().path().to_path_buf();
        let file = self
            .out
            .into_inner()
            .map_err(|error| CliError::write(&path, error.into_error()))?;
        Ok((file.commit()?, rows))
    }

    fn error(&self, error: csv::Error) -> CliError {
        CliError::write(self.out.get_ref().path(), error.into())
    }
}
