//! How much memory a scenario will need, estimated from its counts before anything is spawned,
//! so that one too large for [`MAX_MEMORY`] is refused with a message rather than ending in an
//! allocation failure part-way through spawning.
//!
//! The costs were measured by spawning 200,000 units of each kind and stepping them twice, and
//! rounded up: a unit with one leaf behaviour (a `Wait`, a `Goto`, a two-waypoint `Patrol`)
//! takes 600 to 780 bytes with its name, components and queues (a guard about 1,030); each
//! further future alive at once (the eight branches of a `Join`, the step a `Sequence` is on)
//! about 240 to 260 more (20,000 units racing 16, 64 or 256 waits: 241 to 243 bytes a branch;
//! joining them, 257); a group whose behaviour has `Random` cells also keeps each unit's drawn
//! copy of its plan.

use std::mem::size_of;

use super::limits::MAX_MEMORY;
use super::{Arg, BehaviorPlan, GroupPlan, UnitPlan};

/// A unit with a leaf behaviour: its entity and components, its name, its place in the
/// simulation's queues and indexes, and the boxed future.
pub(crate) const UNIT_BYTES: u64 = 800;

/// Each further future of a composition alive at the same time.
const FUTURE_BYTES: u64 = 280;

/// A guard is one future more than a leaf, as the measured 1,030 bytes of a guard say (its
/// patrol, sensing loop and chase sit in one state machine).
const GUARD_FUTURES: u64 = 2;

/// The estimate for `units` and `groups`, in bytes, and the bytes each unit of the most
/// costly group (or listed unit) needs.
pub(crate) fn estimate(units: &[UnitPlan], groups: &[GroupPlan]) -> u64 {
    let listed = units
        .iter()
        .map(|unit| per_unit(&unit.behavior).saturating_add(plan_bytes(&unit.behavior)));
    let generated = groups.iter().map(|group| {
        let plan = group.unit(0).behavior;
        let mut each = per_unit(&plan);
        if group.behavior_is_drawn() {
            // Every unit keeps its own drawn copy of the plan.
            each = each.saturating_add(plan_bytes(&plan));
        }
        each.saturating_mul(group.count)
    });
    listed.chain(generated).fold(0, u64::saturating_add)
}

/// Whether `bytes` fits the budget.
pub(crate) fn fits(bytes: u64) -> bool {
    bytes <= MAX_MEMORY
}

/// A unit running `plan`: the unit and the futures alive at once, at most.
pub(crate) fn per_unit(plan: &BehaviorPlan) -> u64 {
    UNIT_BYTES.saturating_add(FUTURE_BYTES.saturating_mul(futures(plan).saturating_sub(1)))
}

/// The most futures `plan` keeps alive at once.
fn futures(plan: &BehaviorPlan) -> u64 {
    let all = |plans: &[BehaviorPlan]| plans.iter().map(futures).fold(0, u64::saturating_add);
    let most = |plans: &[BehaviorPlan]| plans.iter().map(futures).max().unwrap_or(0);
    let inner = match plan {
        BehaviorPlan::Goto(_)
        | BehaviorPlan::Patrol(_)
        | BehaviorPlan::Wait(_)
        | BehaviorPlan::Wander(..)
        | BehaviorPlan::Chase(_) => 0,
        BehaviorPlan::Guard(_) => GUARD_FUTURES - 1,
        BehaviorPlan::Sequence(steps) => most(steps),
        BehaviorPlan::Race(branches) | BehaviorPlan::Join(branches) => all(branches),
        BehaviorPlan::Repeat(_, body) | BehaviorPlan::Label(_, body) => futures(body),
        BehaviorPlan::Timeout {
            body, otherwise, ..
        } => futures(body).max(otherwise.as_deref().map_or(0, futures)),
        BehaviorPlan::Named(named) => named
            .args
            .iter()
            .map(|(_, arg)| match arg {
                Arg::Behavior(plan) => futures(plan),
                _ => 0,
            })
            .fold(0, u64::saturating_add),
    };
    inner.saturating_add(1)
}

/// The memory a copy of `plan` takes: every node, and the cells of routes and arguments.
pub(crate) fn plan_bytes(plan: &BehaviorPlan) -> u64 {
    let mut bytes = 0u64;
    plan.visit(&mut |node| {
        // The node, and the reference count of the shared block it sits in.
        let mut node_bytes = size_of::<BehaviorPlan>() as u64 + 16;
        match node {
            BehaviorPlan::Patrol(route) => node_bytes += 8 * route.waypoints().len() as u64,
            BehaviorPlan::Guard(params) => {
                node_bytes += 8 * params.route.waypoints().len() as u64;
            }
            BehaviorPlan::Named(named) => {
                for (_, arg) in named.args.iter() {
                    node_bytes += size_of::<Arg>() as u64;
                    match arg {
                        Arg::Cells(cells) => node_bytes += 8 * cells.len() as u64,
                        Arg::Text(text) => node_bytes += text.len() as u64,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        bytes = bytes.saturating_add(node_bytes);
    });
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn bytes(text: &str) -> u64 {
        let scenario = Scenario::parse(text, "t.ron").unwrap();
        estimate(&scenario.units, &scenario.groups)
    }

    #[test]
    fn a_fixed_plan_is_counted_once_and_a_drawn_one_per_unit() {
        let group = |behavior: &str| {
            format!(
                "Scenario(groups: [Group(name: \"p\", count: 1000, area: (from: (0, 0), to: \
                 (9, 9)), behavior: {behavior})])"
            )
        };
        let fixed = bytes(&group(
            "Sequence([Goto(target: (1, 1)), Goto(target: (2, 2))])",
        ));
        assert_eq!(fixed, 1000 * (UNIT_BYTES + FUTURE_BYTES));
        let drawn = bytes(&group(
            "Sequence([Goto(target: Random), Goto(target: (2, 2))])",
        ));
        assert!(drawn > fixed + 1000 * 3 * size_of::<BehaviorPlan>() as u64);
    }

    #[test]
    fn branches_run_at_once_and_steps_one_at_a_time() {
        let unit = |behavior: &str| {
            format!("Scenario(units: [Unit(name: \"u\", position: (0, 0), behavior: {behavior})])")
        };
        let wait = "Wait(ticks: 1)";
        let join = bytes(&unit(&format!("Join([{wait}, {wait}, {wait}])")));
        let sequence = bytes(&unit(&format!("Sequence([{wait}, {wait}, {wait}])")));
        assert_eq!(join - sequence, 2 * FUTURE_BYTES);
    }
}
