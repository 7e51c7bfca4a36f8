//! The per-poll unit context and the lent world: how a behaviour's futures reach their own unit
//! and read the game.
//!
//! Think copies the unit's data into a thread-local slot for exactly one poll and takes it back
//! afterwards (a guard clears it even if the poll panics), and lends the world, read only,
//! through a scoped thread-local for the same poll. Futures read and write the context in place,
//! borrowing it for the length of one access; Think writes the result back to the unit's
//! components. Nothing is held across an `.await`, no reference escapes, and no `unsafe` is
//! needed here.

use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use glam::IVec2;
use std::cell::RefCell;

use super::budget::POLL_BUDGET;
use crate::components::{Team, UnitId};
use crate::systems::SpatialIndex;

/// A patrol the movement system walks by itself: which route, and the waypoint it heads for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NativePatrol {
    /// [`Route::id`](crate::ground::Route::id) of the route.
    pub route: usize,
    /// Index of the waypoint being walked to.
    pub next: u16,
}

/// A look-out a parked behaviour keeps: Sense wakes it on the first tick a unit not of `team`
/// (of any team, with `team` `None`) stands within `radius` steps of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Lookout {
    pub team: Option<Team>,
    pub radius: u32,
}

/// What the pending futures of one poll ask of the native systems. Rebuilt by every poll, so a
/// future that is dropped (a race's loser, a cancelled step) simply stops asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Requests {
    /// Where the movement system should walk the unit.
    pub move_target: Option<IVec2>,
    /// A route the movement system should patrol (instead of `move_target`).
    pub patrol: Option<NativePatrol>,
    /// The earliest tick (of the behaviour's clock) a timer must wake the behaviour at.
    pub wake_at: u64,
    /// Every pending future handed its work to a native system that will wake the unit, so the
    /// behaviour need not be polled until then.
    pub park: bool,
    /// A pending `receive` wants to be woken when a signal arrives.
    pub awaits_signal: bool,
    /// Pending futures want to be woken when a unit of another team comes into sight.
    pub lookout: Option<Lookout>,
}

impl Requests {
    pub const NONE: Requests = Requests {
        move_target: None,
        patrol: None,
        wake_at: u64::MAX,
        park: false,
        awaits_signal: false,
        lookout: None,
    };
}

/// The unit context a poll works on, in place in a thread-local slot.
#[derive(Clone, Debug)]
pub(crate) struct UnitContext {
    pub entity: Entity,
    pub id: UnitId,
    /// The simulation's tick.
    pub tick: u64,
    /// The behaviour's own clock: the tick minus the ticks it spent paused or pre-empted. Waits
    /// count on it, so they stand still while the behaviour does.
    pub clock: u64,
    pub position: IVec2,
    /// Routes handed to the movement system by patrols not yet walked, this poll. Several may
    /// be (a `join` of two patrols, or a race that withdraws the patrol it polled last): the
    /// one the final requests name is taken.
    pub handed_over: Vec<crate::ground::Route>,
    pub requests: Requests,
    /// The behaviour returned an `Err` with this message (see `BehaviorOutput`).
    pub failure: Option<String>,
    /// Awaits this poll may still complete before the next one yields (see `budget`).
    pub budget: u32,
    /// An await of this poll yielded because the budget was spent.
    pub budget_yielded: bool,
    /// Every poll since Think last took them that yielded for its budget: the unit and the
    /// first await that yielded. Kept here, not in what each poll hands back, so that the
    /// common poll carries nothing more out.
    pub budget_yields: Vec<(Entity, UnitId, &'static str)>,
}

/// What Think knows of a unit as its poll begins.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PollStart {
    pub entity: Entity,
    pub id: UnitId,
    pub tick: u64,
    pub clock: u64,
    pub position: IVec2,
}

/// What a poll left of its context: where its unit stands, and what it asks of the native
/// systems.
#[derive(Clone, Debug)]
pub(crate) struct PollEnd {
    pub position: IVec2,
    pub requests: Requests,
    /// A route to hand to the movement system, set by a patrol that is not yet being walked.
    pub patrol_route: Option<crate::ground::Route>,
}

impl PollEnd {
    /// Where a poll's end is kept before the poll writes it.
    pub const NONE: PollEnd = PollEnd {
        position: IVec2::ZERO,
        requests: Requests::NONE,
        patrol_route: None,
    };
}

/// The thread's unit context: written field by field before a poll and read back after it, so
/// no poll moves the whole context in or out.
struct Slot {
    /// A poll is under way.
    active: bool,
    unit: UnitContext,
}

thread_local! {
    static CURRENT: RefCell<Slot> = const {
        RefCell::new(Slot {
            active: false,
            unit: UnitContext {
                entity: Entity::PLACEHOLDER,
                id: UnitId(0),
                tick: 0,
                clock: 0,
                position: IVec2::ZERO,
                handed_over: Vec::new(),
                requests: Requests::NONE,
                failure: None,
                budget: 0,
                budget_yielded: false,
                budget_yields: Vec::new(),
            },
        })
    };
}

scoped_tls::scoped_thread_local!(static WORLD: World);
scoped_tls::scoped_thread_local!(static INDEX: SpatialIndex);

/// Lends `world` for reading to every poll `polls` makes; taken back when it returns or unwinds.
/// Its spatial index is lent on its own, so that sensing, a few times a poll, costs no resource
/// lookup.
pub(crate) fn lend_world<R>(world: &World, polls: impl FnOnce() -> R) -> R {
    match world.get_resource::<SpatialIndex>() {
        Some(index) => WORLD.set(world, || INDEX.set(index, polls)),
        None => WORLD.set(world, polls),
    }
}

/// Runs `poll` with the unit context set up from `start`; returns its result, and writes what
/// the poll left to `end` (in place: Think keeps the ends of a round's polls where it reads them
/// back, so none is moved). The context is cleared afterwards, also if `poll` panics.
pub(crate) fn poll_as<R>(start: PollStart, end: &mut PollEnd, poll: impl FnOnce() -> R) -> R {
    struct EndOnExit;
    impl Drop for EndOnExit {
        fn drop(&mut self) {
            CURRENT.with_borrow_mut(|slot| {
                slot.active = false;
                slot.unit.handed_over.clear();
                slot.unit.failure = None;
            });
        }
    }

    CURRENT.with_borrow_mut(|slot| {
        assert!(
            !slot.active,
            "a behaviour poll started inside another behaviour's poll; tickweave polls one unit \
             at a time per thread"
        );
        slot.active = true;
        let unit = &mut slot.unit;
        unit.entity = start.entity;
        unit.id = start.id;
        unit.tick = start.tick;
        unit.clock = start.clock;
        unit.position = start.position;
        unit.requests = Requests::NONE;
        unit.budget = POLL_BUDGET;
        unit.budget_yielded = false;
    });
    let _end = EndOnExit;
    let result = poll();
    CURRENT.with_borrow_mut(|slot| {
        end.position = slot.unit.position;
        end.requests = slot.unit.requests;
        let unit = &mut slot.unit;
        end.patrol_route = unit.requests.patrol.and_then(|patrol| {
            let at = unit
                .handed_over
                .iter()
                .rposition(|route| route.id() == patrol.route)?;
            Some(unit.handed_over.swap_remove(at))
        });
        unit.handed_over.clear();
    });
    result
}

/// Takes the context of the poll under way, if any, leaving the slot free for a nested Think's
/// polls; [`resume`] puts it back.
pub(crate) fn suspend() -> Option<UnitContext> {
    CURRENT.with_borrow_mut(|slot| {
        slot.active.then(|| {
            slot.active = false;
            slot.unit.clone()
        })
    })
}

/// Puts back a context [`suspend`] took.
pub(crate) fn resume(unit: UnitContext) {
    CURRENT.with_borrow_mut(|slot| {
        slot.active = true;
        slot.unit = unit;
    });
}

/// Where the record of the polls that yield for their budget (see `budget`) stands now: a Think
/// takes what was recorded after its mark, so a Think run inside a poll takes only its own.
pub(crate) fn budget_yields_mark() -> usize {
    CURRENT.with_borrow(|slot| slot.unit.budget_yields.len())
}

/// Moves the polls that yielded for their budget since `mark` to the end of `into`.
pub(crate) fn take_budget_yields(mark: usize, into: &mut Vec<(Entity, UnitId, &'static str)>) {
    CURRENT.with_borrow_mut(|slot| {
        let yields = &mut slot.unit.budget_yields;
        into.extend(yields.drain(mark.min(yields.len())..));
    });
}

/// Gives `access` the current unit context; panics with a message naming `caller` outside a poll.
#[inline]
pub(crate) fn with<R>(caller: &'static str, access: impl FnOnce(&mut UnitContext) -> R) -> R {
    CURRENT.with(|slot| {
        // Borrowed in place. A busy slot means `access` itself reached for the context, which no
        // tickweave function does.
        let Ok(mut slot) = slot.try_borrow_mut() else {
            panic!("`{caller}` reached for the unit context while it was already in use")
        };
        if !slot.active {
            outside_poll(caller)
        }
        access(&mut slot.unit)
    })
}

/// Gives `access` the current unit context if a poll is under way (a future that also works
/// polled by hand, outside Think, does without it there).
#[inline]
pub(crate) fn try_with<R>(access: impl FnOnce(&mut UnitContext) -> R) -> Option<R> {
    CURRENT.with(|slot| {
        let mut slot = slot.try_borrow_mut().ok()?;
        slot.active.then(|| access(&mut slot.unit))
    })
}

/// Gives `access` the world as it stood when Think began; panics with a message naming `caller`
/// outside a poll.
#[inline]
pub(crate) fn with_world<R>(caller: &'static str, access: impl FnOnce(&World) -> R) -> R {
    if !WORLD.is_set() {
        outside_poll(caller)
    }
    WORLD.with(access)
}

/// Gives `access` the world's spatial index as it stood when Think began (`None` if the world
/// has none); panics with a message naming `caller` outside a poll.
#[inline]
pub(crate) fn with_index<R>(
    caller: &'static str,
    access: impl FnOnce(Option<&SpatialIndex>) -> R,
) -> R {
    if !WORLD.is_set() {
        outside_poll(caller)
    }
    if INDEX.is_set() {
        INDEX.with(|index| access(Some(index)))
    } else {
        access(None)
    }
}

/// Records that the behaviour being polled returned an `Err` with `message`. Outside a poll
/// (a behaviour polled by another executor) there is no one to tell, and it is dropped.
pub(crate) fn report_failure(message: String) {
    CURRENT.with_borrow_mut(|slot| {
        if slot.active {
            slot.unit.failure = Some(message);
        }
    });
}

impl UnitContext {
    /// Parks the pending future being polled on a look-out for units not of `team` within
    /// `radius` steps. Two look-outs of one poll for the same team make one, of the wider
    /// radius (a wake-up the narrower did not need costs one poll that finds nothing); for
    /// different teams the future cannot park, and is polled every tick.
    pub(crate) fn look_out(&mut self, team: Option<Team>, radius: u32) {
        match &mut self.requests.lookout {
            None => self.requests.lookout = Some(Lookout { team, radius }),
            Some(lookout) if lookout.team == team => lookout.radius = lookout.radius.max(radius),
            Some(_) => {
                self.requests.park = false;
                return;
            }
        }
        self.requests.park = true;
    }
}

#[cold]
#[inline(never)]
pub(crate) fn outside_poll(caller: &str) -> ! {
    panic!(
        "`{caller}` was used outside a behaviour poll: it acts on the unit whose behaviour is being \
         polled, so await it inside a future given to `Simulation::spawn` or `Behavior::new` \
         (polling it with another executor, or calling it from a system, has no unit to act on)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start_at(position: IVec2) -> PollStart {
        PollStart {
            entity: Entity::PLACEHOLDER,
            id: UnitId(3),
            tick: 9,
            clock: 9,
            position,
        }
    }

    #[test]
    fn a_poll_sees_its_unit_and_its_writes_come_back() {
        let mut end = PollEnd::NONE;
        poll_as(start_at(IVec2::ZERO), &mut end, || {
            with("test", |unit| {
                assert_eq!(unit.id, UnitId(3));
                unit.position = IVec2::ONE;
                unit.requests.park = true;
            });
        });
        assert_eq!(end.position, IVec2::ONE);
        assert!(end.requests.park);
        assert!(std::panic::catch_unwind(|| with("goto", |_| ())).is_err());
    }

    #[test]
    fn a_panicking_poll_leaves_no_context_behind() {
        let mut end = PollEnd::NONE;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            poll_as(start_at(IVec2::ZERO), &mut end, || panic!("boom"))
        }));
        assert!(result.is_err());
        let message = std::panic::catch_unwind(|| with("goto", |_| ()))
            .expect_err("no context after the panic")
            .downcast::<String>()
            .unwrap();
        assert!(message.starts_with("`goto` was used outside a behaviour poll"));
    }
}
