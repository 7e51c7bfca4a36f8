//! What a finished run reports: the numbers `run` prints in its summary and `sweep` writes as
//! a seed's row, computed once here so that the two always agree.

use std::collections::BTreeMap;

use tickweave::events::LoggedEvent;
use tickweave::systems::UnitIndex;
use tickweave::{Checksum, Simulation};

/// The outcome of one run of a scenario from one seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunReport {
    /// Ticks run.
    pub ticks: u64,
    /// Units the scenario spawned.
    pub units: u64,
    /// Units alive at the end.
    pub alive: u64,
    /// Behaviours that returned.
    pub completed: u64,
    /// Behaviours that returned an `Err`.
    pub failed: u64,
    /// Behaviours the game cancelled.
    pub cancelled: u64,
    /// Behaviours that panicked.
    pub faulted: u64,
    /// Behaviour polls, over all units and ticks.
    pub polls: u64,
    /// The named tallies, ordered by name.
    pub tallies: Vec<(&'static str, u64)>,
    /// The unit events raised, by kind (`goto_issued`, …), ordered by kind.
    pub events: Vec<(&'static str, u64)>,
    /// The checksum of the last tick.
    pub checksum: Checksum,
}

/// Counts a run's unit events by kind as it goes. The simulation must record its events
/// (`Simulation::record_events`); count each tick's before the log is drained.
#[derive(Debug, Default)]
pub struct EventCounts(BTreeMap<&'static str, u64>);

impl EventCounts {
    /// Counts `events`.
    pub fn count(&mut self, events: &[LoggedEvent]) {
        for logged in events {
            *self.0.entry(logged.event.name()).or_default() += 1;
        }
    }

    /// Counts the events the simulation recorded since the last call, and drains its log.
    pub fn take(&mut self, simulation: &mut Simulation) {
        let log = simulation.event_log();
        self.count(log.entries());
        log.drain();
    }

    fn get(&self, kind: &str) -> u64 {
        self.0.get(kind).copied().unwrap_or(0)
    }
}

impl RunReport {
    /// What `simulation`, a run that spawned `units` units and whose events were counted in
    /// `events`, reports now.
    pub fn of(units: u64, simulation: &Simulation, events: &EventCounts) -> Self {
        let stats = simulation.stats();
        RunReport {
            ticks: simulation.tick(),
            units,
            alive: simulation.world().resource::<UnitIndex>().len() as u64,
            completed: stats.finished,
            failed: stats.failed,
            cancelled: events.get("behavior_cancelled"),
            faulted: stats.faulted,
            polls: stats.polls,
            tallies: simulation.tallies().iter().collect(),
            events: events
                .0
                .iter()
                .map(|(&kind, &count)| (kind, count))
                .collect(),
            checksum: simulation.checksum(),
        }
    }
}
