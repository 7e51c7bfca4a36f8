//! Behaviour expressions: each built-in and composition, checked whole — a problem in one part
//! never hides the problems of another.

use std::sync::Arc;

use super::Checker;
use super::labels::{MAX_LABELS, intern};
use crate::behaviors::game::{Area, GuardParams};
use crate::scenario::limits::{MAX_DEPTH, MAX_SIGHT};
use crate::scenario::template::Drawn;
use crate::scenario::{BehaviorPlan, BehaviorSpec, Times};

impl Checker<'_> {
    /// A behaviour expression, `depth` deep (1 for a unit's own behaviour).
    pub(super) fn behavior(
        &mut self,
        spec: &BehaviorSpec,
        path: &str,
        depth: usize,
        random: Option<Area>,
    ) -> Option<Drawn<BehaviorPlan>> {
        if depth > MAX_DEPTH {
            self.problem(
                path.to_owned(),
                format!(
                    "behaviours nest more than {MAX_DEPTH} deep here; flatten them, e.g. with \
                     one `Sequence([...])` for many steps"
                ),
            );
            return None;
        }
        let inner = depth + 1;
        match spec {
            BehaviorSpec::Goto { target } => Some(
                self.cell(*target, &format!("{path}.Goto.target"), random)?
                    .map(BehaviorPlan::Goto),
            ),
            BehaviorSpec::Patrol { waypoints } => Some(
                self.route(waypoints, &format!("{path}.Patrol.waypoints"), random)?
                    .map(BehaviorPlan::Patrol),
            ),
            BehaviorSpec::Wait { ticks } => {
                let ticks = self.ticks(*ticks, format!("{path}.Wait.ticks"), 0)?;
                Some(Drawn::Fixed(BehaviorPlan::Wait(ticks)))
            }
            BehaviorSpec::Guard {
                waypoints,
                sight,
                patience,
            } => {
                let route = self.route(waypoints, &format!("{path}.Guard.waypoints"), random);
                let sight = if *sight > MAX_SIGHT {
                    self.problem(
                        format!("{path}.Guard.sight"),
                        format!("{sight} is more than the limit of {MAX_SIGHT} steps"),
                    );
                    None
                } else {
                    Some(*sight)
                };
                let patience = self.ticks(*patience, format!("{path}.Guard.patience"), 0);
                let (route, sight, patience) = (route?, sight?, patience?);
                Some(route.map(move |route| {
                    BehaviorPlan::Guard(GuardParams {
                        route,
                        sight,
                        patience,
                    })
                }))
            }
            BehaviorSpec::Wander {
                from,
                to,
                max_pause,
            } => {
                let from = self.cell(*from, &format!("{path}.Wander.from"), random);
                let to = self.cell(*to, &format!("{path}.Wander.to"), random);
                let max_pause = self.ticks(*max_pause, format!("{path}.Wander.max_pause"), 0);
                let (from, to, max_pause) = (from?, to?, max_pause?);
                Some(
                    Drawn::all(vec![from, to]).map(move |ends| {
                        BehaviorPlan::Wander(Area::new(ends[0], ends[1]), max_pause)
                    }),
                )
            }
            BehaviorSpec::Chase { target } => {
                let index = self.unit_index(target, format!("{path}.Chase.target"))?;
                Some(Drawn::Fixed(BehaviorPlan::Chase(index)))
            }
            BehaviorSpec::Sequence(steps) => {
                let path = format!("{path}.Sequence");
                let steps = self.branches(steps, &path, 1, "steps", inner, random)?;
                Some(steps.map(|steps| BehaviorPlan::Sequence(steps.into())))
            }
            BehaviorSpec::Race(branches) => {
                let path = format!("{path}.Race");
                let branches = self.branches(branches, &path, 2, "branches", inner, random)?;
                Some(branches.map(|branches| BehaviorPlan::Race(branches.into())))
            }
            BehaviorSpec::Join(branches) => {
                let path = format!("{path}.Join");
                let branches = self.branches(branches, &path, 2, "branches", inner, random)?;
                Some(branches.map(|branches| BehaviorPlan::Join(branches.into())))
            }
            BehaviorSpec::Repeat { times, body } => {
                let times = match times {
                    Times::Count(times) => self
                        .ticks(*times, format!("{path}.Repeat.times"), 1)
                        .map(Some),
                    Times::Forever => Some(None),
                };
                let body = self.behavior(body, &format!("{path}.Repeat.body"), inner, random);
                let (times, body) = (times?, body?);
                Some(body.map(move |body| BehaviorPlan::Repeat(times, Arc::new(body))))
            }
            BehaviorSpec::Timeout {
                ticks,
                body,
                otherwise,
            } => {
                let ticks = self.ticks(*ticks, format!("{path}.Timeout.ticks"), 1);
                let body = self.behavior(body, &format!("{path}.Timeout.body"), inner, random);
                let otherwise = otherwise.as_ref().map(|otherwise| {
                    self.behavior(
                        otherwise,
                        &format!("{path}.Timeout.otherwise"),
                        inner,
                        random,
                    )
                });
                let (ticks, body) = (ticks?, body?);
                let otherwise = otherwise.map_or(Some(None), |otherwise| otherwise.map(Some))?;
                let parts: Vec<Drawn<BehaviorPlan>> =
                    std::iter::once(body).chain(otherwise).collect();
                Some(Drawn::all(parts).map(move |mut parts| {
                    let otherwise = (parts.len() > 1).then(|| Arc::new(parts.remove(1)));
                    BehaviorPlan::Timeout {
                        ticks,
                        body: Arc::new(parts.remove(0)),
                        otherwise,
                    }
                }))
            }
            BehaviorSpec::Label { name, body } => {
                let name_path = format!("{path}.Label.name");
                // Only a valid name is kept: the table's bound in bytes relies on it.
                let valid = self.name(name, name_path.clone(), "a label");
                let label = if valid { intern(name) } else { None };
                if valid && label.is_none() {
                    self.problem(
                        name_path,
                        format!(
                            "this program has already kept {MAX_LABELS} different label names, \
                             the most it keeps; use fewer different names"
                        ),
                    );
                }
                let body = self.behavior(body, &format!("{path}.Label.body"), inner, random);
                let (label, body) = (label?, body?);
                Some(body.map(move |body| BehaviorPlan::Label(label, Arc::new(body))))
            }
            BehaviorSpec::Named(name, params) => self.named(name, &params.0, path, inner, random),
        }
    }

    /// The steps or branches of a composition: each checked, the list within its limits.
    pub(super) fn branches(
        &mut self,
        specs: &[BehaviorSpec],
        path: &str,
        least: usize,
        what: &str,
        depth: usize,
        random: Option<Area>,
    ) -> Option<Drawn<Vec<BehaviorPlan>>> {
        let length_ok = self.list_length(specs.len(), path, least, what);
        if specs.len() > crate::scenario::limits::MAX_LIST {
            // Too many to be worth checking one by one.
            return None;
        }
        let plans: Vec<Option<Drawn<BehaviorPlan>>> = specs
            .iter()
            .enumerate()
            .map(|(index, spec)| self.behavior(spec, &format!("{path}[{index}]"), depth, random))
            .collect();
        let plans = plans.into_iter().collect::<Option<Vec<_>>>()?;
        length_ok.then(|| Drawn::all(plans))
    }
}
