//! The arguments of a behaviour the game registered: each parameter given once, known,
//! of its declared kind, and every one without a default given.

use glam::IVec2;
use std::collections::HashSet;
use std::sync::Arc;

use super::Checker;
use crate::behaviors::game::Area;
use crate::scenario::limits::MAX_TICKS;
use crate::scenario::registry::{Arg, Args, ParamDecl, ParamKind};
use crate::scenario::template::Drawn;
use crate::scenario::wording::{all_of, did_you_mean};
use crate::scenario::{BehaviorPlan, CellSpec, NamedPlan, ParamValue};

impl Checker<'_> {
    pub(super) fn named(
        &mut self,
        name: &str,
        params: &[(String, ParamValue)],
        path: &str,
        depth: usize,
        random: Option<Area>,
    ) -> Option<Drawn<BehaviorPlan>> {
        let path = format!("{path}.Named(\"{name}\")");
        let Some(behavior) = self.registry.get(name).cloned() else {
            let message = if self.registry.names().next().is_none() {
                format!(
                    "no behaviour is registered as \"{name}\": `Named` runs a behaviour the game \
                     registered, and none is"
                )
            } else {
                format!(
                    "no behaviour is registered as \"{name}\"{} (registered: {})",
                    did_you_mean(name, self.registry.names()),
                    all_of(self.registry.names())
                )
            };
            self.problem(path.clone(), message);
            // Whatever the game meant, a behaviour given as a parameter is a behaviour: check it.
            for (param, value) in params {
                if let ParamValue::Behavior(spec) = value {
                    self.behavior(spec, &format!("{path}.{param}"), depth, random);
                }
            }
            return None;
        };
        let decls = behavior.params();
        let declared = || all_of(decls.iter().map(|decl| decl.name));
        let mut ok = true;
        let mut seen = HashSet::new();
        for (param, _) in params {
            if !seen.insert(param.as_str()) {
                self.problem(
                    format!("{path}.{param}"),
                    format!("`{param}` is given twice"),
                );
                ok = false;
            } else if !decls.iter().any(|decl| decl.name == param) {
                let message = if decls.is_empty() {
                    format!("`{name}` takes no parameters; remove `{param}`")
                } else {
                    format!(
                        "`{name}` has no parameter `{param}`{} (its parameters are {})",
                        did_you_mean(param, decls.iter().map(|decl| decl.name)),
                        declared()
                    )
                };
                self.problem(format!("{path}.{param}"), message);
                ok = false;
            }
        }
        let mut args: Vec<Drawn<Arg>> = Vec::with_capacity(decls.len());
        for decl in decls {
            let given = params.iter().find(|(param, _)| param == decl.name);
            match (given, &decl.default) {
                (Some((_, value)), _) => {
                    let path = format!("{path}.{}", decl.name);
                    match self.arg(decl, value, &path, depth, random) {
                        Some(arg) => args.push(arg),
                        None => ok = false,
                    }
                }
                (None, Some(default)) => args.push(Drawn::Fixed(default.clone())),
                (None, None) => {
                    self.problem(
                        path.clone(),
                        format!(
                            "`{name}` needs the parameter `{}` ({})",
                            decl.name,
                            decl.kind.describe()
                        ),
                    );
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        let names: Vec<&'static str> = decls.iter().map(|decl| decl.name).collect();
        let behavior_name = name.to_owned();
        Some(Drawn::all(args).map(move |args| {
            BehaviorPlan::Named(NamedPlan {
                behavior: behavior.clone(),
                args: Args::new(
                    behavior_name.clone(),
                    names.iter().copied().zip(args).collect(),
                ),
            })
        }))
    }

    fn arg(
        &mut self,
        decl: &ParamDecl,
        value: &ParamValue,
        path: &str,
        depth: usize,
        random: Option<Area>,
    ) -> Option<Drawn<Arg>> {
        let limit = MAX_TICKS as i64;
        match (decl.kind, value) {
            (ParamKind::Integer, ParamValue::Integer(value))
                if (-limit..=limit).contains(value) =>
            {
                Some(Drawn::Fixed(Arg::Integer(*value)))
            }
            (ParamKind::Count, ParamValue::Integer(value)) if (0..=limit).contains(value) => {
                Some(Drawn::Fixed(Arg::Count(*value as u64)))
            }
            (ParamKind::Integer | ParamKind::Count, ParamValue::Integer(value)) => {
                let least = if decl.kind == ParamKind::Count {
                    0
                } else {
                    -limit
                };
                self.problem(
                    path.to_owned(),
                    format!("{value} is not between {least} and {limit}"),
                );
                None
            }
            (ParamKind::Flag, ParamValue::Flag(value)) => Some(Drawn::Fixed(Arg::Flag(*value))),
            (ParamKind::Text, ParamValue::Text(value)) => {
                Some(Drawn::Fixed(Arg::Text(value.clone())))
            }
            (ParamKind::Cell, value) if as_cell(value).is_some() => {
                let cell = as_cell(value)?;
                Some(self.cell(cell, path, random)?.map(Arg::Cell))
            }
            (ParamKind::Cells, ParamValue::List(items))
                if items.iter().all(|item| as_cell(item).is_some()) =>
            {
                if !self.list_length(items.len(), path, 0, "cells") {
                    return None;
                }
                let cells: Vec<Option<Drawn<IVec2>>> = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.cell(as_cell(item)?, &format!("{path}[{index}]"), random)
                    })
                    .collect();
                Some(Drawn::all(cells.into_iter().collect::<Option<Vec<_>>>()?).map(Arg::Cells))
            }
            (ParamKind::Behavior, ParamValue::Behavior(spec)) => Some(
                self.behavior(spec, path, depth, random)?
                    .map(|plan| Arg::Behavior(Arc::new(plan))),
            ),
            (kind, value) => {
                self.problem(
                    path.to_owned(),
                    format!("expected {}, found {}", kind.describe(), describe(value)),
                );
                None
            }
        }
    }
}

/// A parameter value read as a cell: `(x, y)`, or the word `Random`.
fn as_cell(value: &ParamValue) -> Option<CellSpec> {
    match value {
        ParamValue::Cell(x, y) => Some(CellSpec::At(*x, *y)),
        ParamValue::Text(word) if word == "Random" => Some(CellSpec::Random),
        _ => None,
    }
}

/// How a parameter value reads in messages.
fn describe(value: &ParamValue) -> String {
    match value {
        ParamValue::Flag(value) => format!("`{value}`"),
        ParamValue::Integer(value) => format!("the number {value}"),
        ParamValue::Cell(x, y) => format!("the cell ({x}, {y})"),
        ParamValue::Text(text) => format!("the text \"{text}\""),
        ParamValue::List(items) => format!("a list of {} items", items.len()),
        ParamValue::Behavior(_) => "a behaviour".into(),
    }
}
