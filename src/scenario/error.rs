//! What can be wrong with a scenario, said so that a designer can fix it.

use std::fmt;
use std::path::PathBuf;

/// Why a scenario could not be loaded.
#[derive(Debug)]
pub enum ScenarioError {
    /// The file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not UTF-8 text.
    NotUtf8 {
        /// The file.
        origin: String,
        /// Line of the first invalid byte (1-based).
        line: usize,
        /// Column of the first invalid byte (1-based, counted in characters).
        column: usize,
    },
    /// The text is not a scenario in RON.
    Syntax {
        /// The file.
        origin: String,
        /// Line (1-based).
        line: usize,
        /// Column (1-based).
        column: usize,
        /// What was expected there.
        message: String,
    },
    /// The scenario parses but does not make sense: every problem found.
    Invalid {
        /// The file.
        origin: String,
        /// At least one.
        problems: Vec<Problem>,
    },
}

/// One semantic problem, located by the path to its field (e.g. `units[1].behavior`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Path to the offending field.
    pub field: String,
    /// What is wrong and what would be right.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Read { path, source } => {
                write!(f, "{}: cannot read the scenario: {source}", path.display())
            }
            ScenarioError::NotUtf8 {
                origin,
                line,
                column,
            } => write!(
                f,
                "{origin}:{line}:{column}: the file is not UTF-8 text; save it as UTF-8"
            ),
            ScenarioError::Syntax {
                origin,
                line,
                column,
                message,
            } => write!(f, "{origin}:{line}:{column}: {message}"),
            ScenarioError::Invalid { origin, problems } => {
                for (index, problem) in problems.iter().enumerate() {
                    if index > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{origin}: {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ScenarioError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ScenarioError::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}
