//! The per-poll unit context: how a behaviour's leaf futures reach their own unit.
//!
//! Think copies the unit's data into a thread-local slot for exactly one poll and takes it back
//! afterwards (a guard clears it even if the poll panics). Leaf futures read and write that copy;
//! Think writes the result back to the unit's components. Nothing is held across an `.await`,
//! no reference escapes, and no `unsafe` is needed.

use bevy_ecs::entity::Entity;
use glam::IVec2;
use std::cell::Cell;

use crate::components::UnitId;

/// The copy of one unit's state that a poll works on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UnitContext {
    pub entity: Entity,
    pub id: UnitId,
    pub tick: u64,
    pub position: IVec2,
    /// Rebuilt by every poll: where the pending `goto`, if any, wants to walk.
    pub move_target: Option<IVec2>,
    /// Rebuilt by every poll: the earliest tick a pending `wait` must be woken at.
    pub wake_at: u64,
    /// Set when a pending leaf handed its work to a native system that will wake the unit.
    pub park: bool,
}

thread_local! {
    static CURRENT: Cell<Option<UnitContext>> = const { Cell::new(None) };
}

/// Runs `poll` with `unit` installed as the current unit context; returns its result and the
/// context as the poll left it.
pub(crate) fn enter<R>(unit: UnitContext, poll: impl FnOnce() -> R) -> (R, UnitContext) {
    struct ClearOnExit;
    impl Drop for ClearOnExit {
        fn drop(&mut self) {
            CURRENT.set(None);
        }
    }

    let previous = CURRENT.replace(Some(unit));
    assert!(
        previous.is_none(),
        "a behaviour poll started inside another behaviour's poll; tickweave polls one unit at a time per thread"
    );
    let guard = ClearOnExit;
    let result = poll();
    let unit = CURRENT
        .take()
        .expect("the unit context vanished during a poll: a behaviour must not poll another unit's executor");
    drop(guard);
    (result, unit)
}

/// Gives `access` the current unit context; panics with a message naming `caller` outside a poll.
#[inline]
pub(crate) fn with<R>(caller: &'static str, access: impl FnOnce(&mut UnitContext) -> R) -> R {
    CURRENT.with(|slot| {
        let Some(mut unit) = slot.take() else {
            outside_poll(caller)
        };
        let result = access(&mut unit);
        slot.set(Some(unit));
        result
    })
}

#[cold]
#[inline(never)]
fn outside_poll(caller: &str) -> ! {
    panic!(
        "`{caller}` was used outside a behaviour poll: it acts on the unit whose behaviour is being \
         polled, so await it inside a future given to `Simulation::spawn` or `Behavior::new` \
         (polling it with another executor, or calling it from a system, has no unit to act on)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit_at(position: IVec2) -> UnitContext {
        UnitContext {
            entity: Entity::PLACEHOLDER,
            id: UnitId(3),
            tick: 9,
            position,
            move_target: None,
            wake_at: u64::MAX,
            park: false,
        }
    }

    #[test]
    fn a_poll_sees_its_unit_and_its_writes_come_back() {
        let ((), after) = enter(unit_at(IVec2::ZERO), || {
            with("test", |unit| {
                assert_eq!(unit.id, UnitId(3));
                unit.position = IVec2::ONE;
                unit.park = true;
            });
        });
        assert_eq!(after.position, IVec2::ONE);
        assert!(after.park);
        assert!(CURRENT.take().is_none(), "cleared after the poll");
    }

    #[test]
    fn a_panicking_poll_leaves_no_context_behind() {
        let result = std::panic::catch_unwind(|| enter(unit_at(IVec2::ZERO), || panic!("boom")));
        assert!(result.is_err());
        let message = std::panic::catch_unwind(|| with("goto", |_| ()))
            .expect_err("no context after the panic")
            .downcast::<String>()
            .unwrap();
        assert!(message.starts_with("`goto` was used outside a behaviour poll"));
    }
}
