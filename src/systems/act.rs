//! Act: the native systems carry out what behaviours asked for — first the movement every
//! walking unit makes, then the rarer requests.

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::query::QueryState;
use bevy_ecs::system::Local;
use bevy_ecs::world::World;

use super::movement::{NamedWalker, Walker, walk, walk_reporting};
use super::{Executor, apply_requests};
use crate::control::apply_held;

/// Act: steps every walking unit, then applies this tick's requests, if any, and last the
/// controls the game issued since Think began.
///
/// One exclusive system rather than two: each system costs a tick tens of nanoseconds whatever
/// it does, and on the usual tick this one only walks (one resource lookup, one loop).
pub(crate) fn act(
    world: &mut World,
    mut walkers: Local<QueryState<Walker>>,
    mut named_walkers: Local<QueryState<NamedWalker>>,
) {
    let executor = world.resource::<Executor>();
    let (listening, has_work) = (executor.listening, executor.has_work_for_act());
    if listening {
        let mut reached = std::mem::take(&mut world.resource_mut::<Executor>().waypoints_reached);
        walk_reporting(&mut named_walkers, world, &mut reached);
        world.resource_mut::<Executor>().waypoints_reached = reached;
        apply_requests(world);
    } else {
        // Walking adds no work when no one listens.
        walk(&mut walkers, world);
        if has_work {
            apply_requests(world);
        }
    }
    let mut executor = world.resource_mut::<Executor>();
    let executor = executor.bypass_change_detection();
    executor.mid_tick = false;
    if !executor.held.is_empty() {
        apply_held(world);
    }
}
