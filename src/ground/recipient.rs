//! `Recipient`: who a signal is for.

use crate::components::{Team, UnitId};

/// Who a signal is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Recipient {
    /// One unit.
    Unit(UnitId),
    /// Every unit of a team (but the sender).
    Team(Team),
    /// Every unit (but the sender).
    Everyone,
}

/// `#3`, `team 1` or `everyone`.
impl std::fmt::Display for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recipient::Unit(unit) => write!(f, "{unit}"),
            Recipient::Team(team) => write!(f, "{team}"),
            Recipient::Everyone => f.write_str("everyone"),
        }
    }
}
