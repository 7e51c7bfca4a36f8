//! Signals as data: who one is for, and one in flight.

use std::any::{Any, TypeId};
use std::sync::Arc;

use crate::components::{Team, UnitId};
use crate::type_names::short_name_of;

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

/// A signal in flight or waiting in a mailbox.
#[derive(Clone, Debug)]
pub(crate) struct Envelope {
    /// The sending unit; `None` when the game sent it.
    pub from: Option<UnitId>,
    /// The tick it was sent on.
    pub sent_at: u64,
    /// The short name of the value's type, e.g. `Alarm`.
    pub kind: &'static str,
    pub payload: Arc<dyn Any + Send + Sync>,
}

impl Envelope {
    /// Wraps `value`, sent by `from` on tick `sent_at`.
    pub fn new<T: Send + Sync + 'static>(from: Option<UnitId>, sent_at: u64, value: T) -> Self {
        Envelope {
            from,
            sent_at,
            kind: short_name_of::<T>(),
            payload: Arc::new(value),
        }
    }

    /// The type of the value, which picks its queue in a mailbox.
    pub fn value_type(&self) -> TypeId {
        // Through the `dyn Any`: the `Arc` itself is `Any` too, with a type id of its own.
        (*self.payload).type_id()
    }
}
