//! What Think takes out of the world for the length of its polls, and gives back.

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::world::World;

use crate::events::EventLog;
use crate::scope::{SharedMailboxes, TickView};
use crate::systems::Executor;

/// The executor and the tick view (mailboxes, outbox, event log), out of the world while Think
/// runs; given back when dropped, also when something in Think panics, so no resource is ever
/// lost.
pub(super) struct Lent<'w> {
    pub world: &'w mut World,
    pub executor: Executor,
    pub view: TickView,
}

impl<'w> Lent<'w> {
    /// Takes the executor and the event log out of `world`, and moves the mailboxes into
    /// `mailboxes`, which the polling threads share.
    pub fn begin(world: &'w mut World, mailboxes: &SharedMailboxes) -> Self {
        let mut executor = std::mem::take(&mut *world.resource_mut::<Executor>());
        let log = std::mem::take(&mut *world.resource_mut::<EventLog>());
        mailboxes.with(|shared| *shared = std::mem::take(&mut executor.mailboxes));
        let view = TickView {
            seed: executor.seed,
            mailboxes: mailboxes.clone(),
            outbox: std::mem::take(&mut executor.outbox),
            log,
        };
        Lent {
            world,
            executor,
            view,
        }
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        let view = &mut self.view;
        self.executor.mailboxes = view.mailboxes.with(std::mem::take);
        self.executor.outbox = std::mem::take(&mut view.outbox);
        *self.world.resource_mut::<EventLog>() = std::mem::take(&mut view.log);
        let executor = std::mem::take(&mut self.executor);
        *self
            .world
            .resource_mut::<Executor>()
            .bypass_change_detection() = executor;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Simulation;
    use glam::ivec2;

    #[test]
    fn a_panic_in_think_outside_any_behaviour_gives_back_everything_it_lent() {
        let mut sim = Simulation::new(0);
        sim.spawn("u", ivec2(0, 0), async {
            crate::behaviors::wait(100).await
        });
        sim.step();
        let world = sim.world_mut();
        world.resource_mut::<EventLog>().set_recording(true);
        let mailboxes = SharedMailboxes::default();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _lent = Lent::begin(world, &mailboxes);
            panic!("a bug in Think");
        }));
        assert!(result.is_err());
        assert!(world.resource::<EventLog>().is_recording());
        assert_eq!(world.resource::<Executor>().timers.len(), 1);
    }
}
