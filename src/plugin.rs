//! `TickweavePlugin`: tickweave in a Bevy `App` (feature `bevy_plugin`).

use bevy_app::{App, Plugin};
use bevy_ecs::intern::Interned;
use bevy_ecs::schedule::ScheduleLabel;

use crate::install::Tickweave;
use crate::outcome::BehaviorFinished;

/// Adds tickweave to an `App`: its resources, and its systems in the [`TickPhase`] sets of the
/// schedule you choose, so one run of that schedule is one tick.
///
/// ```
/// use bevy_app::{App, Update};
/// use tickweave::prelude::*;
/// use tickweave::TickweavePlugin;
///
/// let mut app = App::new();
/// app.add_plugins(TickweavePlugin::new(Update).seed(3));
/// let unit = spawn_unit(app.world_mut(), "u", ivec2(0, 0), goto(ivec2(2, 0)));
/// app.update();
/// app.update();
/// assert_eq!(app.world().get::<Position>(unit), Some(&Position(ivec2(2, 0))));
/// ```
///
/// [`TickPhase`]: crate::systems::TickPhase
#[derive(Clone, Debug)]
pub struct TickweavePlugin {
    schedule: Interned<dyn ScheduleLabel>,
    config: Tickweave,
}

impl TickweavePlugin {
    /// Runs tickweave's tick in `schedule` (e.g. `Update` or `FixedUpdate`).
    pub fn new(schedule: impl ScheduleLabel) -> Self {
        TickweavePlugin {
            schedule: schedule.intern(),
            config: Tickweave::new(),
        }
    }

    /// See [`Tickweave::seed`].
    pub fn seed(mut self, seed: u64) -> Self {
        self.config = self.config.seed(seed);
        self
    }

    /// See [`Tickweave::sensing`].
    pub fn sensing(mut self, enabled: bool) -> Self {
        self.config = self.config.sensing(enabled);
        self
    }

    /// See [`Tickweave::threads`].
    pub fn threads(mut self, threads: usize) -> Self {
        self.config = self.config.threads(threads);
        self
    }

    /// See [`Tickweave::parallel_from`].
    pub fn parallel_from(mut self, units: usize) -> Self {
        self.config = self.config.parallel_from(units);
        self
    }

    /// See [`Tickweave::record_events`].
    pub fn record_events(mut self, record: bool) -> Self {
        self.config = self.config.record_events(record);
        self
    }
}

impl Plugin for TickweavePlugin {
    fn build(&self, app: &mut App) {
        // The App updates message buffers itself, once per frame: that builder option is the
        // App's, not the plugin's.
        let config = self.config.clone().update_messages(false);
        app.add_message::<BehaviorFinished>();
        config.insert_resources(app.world_mut());
        app.edit_schedule(self.schedule, |schedule| config.add_systems(schedule));
    }
}
