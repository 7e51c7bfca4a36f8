//! A checked behaviour expression, and the `async` future it becomes when a unit is spawned.

use glam::IVec2;
use std::fmt;
use std::sync::Arc;

use super::registry::{Args, NamedBehavior};
use crate::behaviors::game::{Area, GuardParams, guard, wander};
use crate::behaviors::{
    Route, chase, forever, goto, join, label, patrol, race, repeat, timeout, wait,
};
use crate::components::{Behavior, BoxedBehavior, UnitId};

/// A checked behaviour expression, ready to become a unit's future.
///
/// Compositions hold their parts behind `Arc`s: a clone shares them, so every unit of a group
/// runs one plan (a 1,024-step `Sequence` is stored once, not once per unit), and a unit's
/// future holds only the node it is running.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BehaviorPlan {
    /// [`goto`] the cell.
    Goto(IVec2),
    /// [`patrol`] the route.
    Patrol(Route),
    /// [`wait`] this many ticks.
    Wait(u64),
    /// [`guard`] with these parameters.
    Guard(GuardParams),
    /// [`wander`] in the area, pausing up to the given ticks.
    Wander(Area, u64),
    /// [`chase`] the unit spawned at this index of the scenario (0 is its first unit).
    Chase(u64),
    /// Each in turn.
    Sequence(Arc<[BehaviorPlan]>),
    /// [`repeat`] the body this many times, or [`forever`] (`None`).
    Repeat(Option<u64>, Arc<BehaviorPlan>),
    /// [`race`] the branches: the first to finish wins (ties go to the earliest).
    Race(Arc<[BehaviorPlan]>),
    /// [`join`] the branches: all must finish.
    Join(Arc<[BehaviorPlan]>),
    /// [`timeout`] the body after `ticks`; then run `otherwise`, if any.
    Timeout {
        /// The ticks the body is given.
        ticks: u64,
        /// What is timed.
        body: Arc<BehaviorPlan>,
        /// What runs if the body runs out of time.
        otherwise: Option<Arc<BehaviorPlan>>,
    },
    /// [`label`] the body.
    Label(&'static str, Arc<BehaviorPlan>),
    /// A behaviour the game registered, with its checked arguments.
    Named(NamedPlan),
}

/// A registered behaviour with checked arguments.
#[derive(Clone)]
pub struct NamedPlan {
    /// The registered behaviour.
    pub behavior: Arc<NamedBehavior>,
    /// Its arguments.
    pub args: Args,
}

impl PartialEq for NamedPlan {
    fn eq(&self, other: &Self) -> bool {
        self.behavior.name() == other.behavior.name() && self.args == other.args
    }
}

impl Eq for NamedPlan {}

impl fmt::Debug for NamedPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Named")
            .field(&self.behavior.name())
            .field(&self.args)
            .finish()
    }
}

impl BehaviorPlan {
    /// A fresh future running this plan. `first_unit` is the id of the scenario's first unit:
    /// a [`Chase`](BehaviorPlan::Chase) target is counted from it.
    pub fn future(&self, first_unit: UnitId) -> BoxedBehavior {
        self.clone().into_future(first_unit)
    }

    /// The future running this plan, which it consumes (see [`future`](Self::future)).
    pub fn into_future(self, first_unit: UnitId) -> BoxedBehavior {
        match self {
            BehaviorPlan::Goto(target) => Box::pin(goto(target)),
            BehaviorPlan::Patrol(route) => Box::pin(patrol(route)),
            BehaviorPlan::Wait(ticks) => Box::pin(wait(ticks)),
            BehaviorPlan::Guard(params) => Box::pin(guard(params)),
            BehaviorPlan::Wander(area, max_pause) => Box::pin(wander(area, max_pause)),
            BehaviorPlan::Chase(index) => {
                let target = UnitId(first_unit.0 + index);
                Box::pin(async move {
                    // A target that is gone has nothing left to chase: the chase is over.
                    let _ = chase(target).await;
                })
            }
            BehaviorPlan::Sequence(steps) => Box::pin(async move {
                for step in steps.iter() {
                    step.future(first_unit).await;
                }
            }),
            BehaviorPlan::Repeat(Some(times), body) => {
                Box::pin(repeat(times, move || body.future(first_unit)))
            }
            BehaviorPlan::Repeat(None, body) => Box::pin(forever(move || body.future(first_unit))),
            BehaviorPlan::Race(branches) => fold(branches, first_unit, |first, second| {
                Box::pin(async move {
                    race(first, second).await;
                })
            }),
            BehaviorPlan::Join(branches) => fold(branches, first_unit, |first, second| {
                Box::pin(async move {
                    join(first, second).await;
                })
            }),
            BehaviorPlan::Timeout {
                ticks,
                body,
                otherwise,
            } => Box::pin(async move {
                if timeout(ticks, body.future(first_unit)).await.is_err()
                    && let Some(otherwise) = otherwise
                {
                    otherwise.future(first_unit).await;
                }
            }),
            BehaviorPlan::Label(name, body) => Box::pin(label(name, body.future(first_unit))),
            BehaviorPlan::Named(named) => named
                .behavior
                .build(&named.args.with_first_unit(first_unit)),
        }
    }

    /// A fresh [`Behavior`] running this plan (see [`future`](Self::future)).
    pub fn to_behavior(&self, first_unit: UnitId) -> Behavior {
        Behavior::from_boxed(self.future(first_unit))
    }

    /// Whether it reads other units (so the simulation must build the spatial index).
    pub fn needs_sensing(&self) -> bool {
        let mut senses = false;
        self.visit(&mut |plan| {
            senses |= match plan {
                BehaviorPlan::Guard(_) | BehaviorPlan::Chase(_) => true,
                BehaviorPlan::Named(named) => named.behavior.needs_sensing(),
                _ => false,
            }
        });
        senses
    }

    /// The name of this node as a file writes it: `Patrol`, `Sequence`, or a registered
    /// behaviour's name.
    pub fn kind(&self) -> &str {
        match self {
            BehaviorPlan::Goto(_) => "Goto",
            BehaviorPlan::Patrol(_) => "Patrol",
            BehaviorPlan::Wait(_) => "Wait",
            BehaviorPlan::Guard(_) => "Guard",
            BehaviorPlan::Wander(..) => "Wander",
            BehaviorPlan::Chase(_) => "Chase",
            BehaviorPlan::Sequence(_) => "Sequence",
            BehaviorPlan::Repeat(..) => "Repeat",
            BehaviorPlan::Race(_) => "Race",
            BehaviorPlan::Join(_) => "Join",
            BehaviorPlan::Timeout { .. } => "Timeout",
            BehaviorPlan::Label(..) => "Label",
            BehaviorPlan::Named(named) => named.behavior.name(),
        }
    }

    /// Calls `f` on this node and every node inside it, parents first.
    pub fn visit(&self, f: &mut impl FnMut(&BehaviorPlan)) {
        f(self);
        match self {
            BehaviorPlan::Sequence(children)
            | BehaviorPlan::Race(children)
            | BehaviorPlan::Join(children) => {
                for child in children.iter() {
                    child.visit(f);
                }
            }
            BehaviorPlan::Repeat(_, body) | BehaviorPlan::Label(_, body) => body.visit(f),
            BehaviorPlan::Timeout {
                body, otherwise, ..
            } => {
                body.visit(f);
                if let Some(otherwise) = otherwise {
                    otherwise.visit(f);
                }
            }
            BehaviorPlan::Named(named) => {
                for (_, arg) in named.args.iter() {
                    if let super::Arg::Behavior(plan) = arg {
                        plan.visit(f);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Combines branches pairwise from the right: `a, b, c` becomes `op(a, op(b, c))`, so ties
/// still go to the earliest branch.
fn fold(
    branches: Arc<[BehaviorPlan]>,
    first_unit: UnitId,
    op: impl Fn(BoxedBehavior, BoxedBehavior) -> BoxedBehavior,
) -> BoxedBehavior {
    let mut futures = branches
        .iter()
        .rev()
        .map(|branch| branch.future(first_unit));
    let last = futures
        .next()
        .unwrap_or_else(|| Box::pin(std::future::ready(())));
    futures.fold(last, |rest, first| op(first, rest))
}
