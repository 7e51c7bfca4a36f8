//! Behaviours a game registers by name, so that scenario files can use them as
//! `Named("name", (parameter: value, ...))`.

use glam::IVec2;
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use super::BehaviorPlan;
use crate::components::{BoxedBehavior, UnitId};

/// The behaviours a game adds to the scenario vocabulary, by name.
///
/// Each declares its parameters (name and kind); a file's `Named("name", (...))` is checked
/// against the declaration like a built-in behaviour: an unknown name, an unknown, missing or
/// mistyped parameter is reported with the path to it and, for a misspelling, the closest name.
///
/// ```
/// use tickweave::prelude::*;
/// use tickweave::scenario::{Arg, BehaviorRegistry, NamedBehavior, ParamKind, Scenario};
///
/// let mut registry = BehaviorRegistry::new();
/// registry.register(
///     NamedBehavior::new("pace", |args| {
///         let (a, b) = (args.cell("from"), args.cell("to"));
///         let laps = args.count("laps");
///         async move {
///             for _ in 0..laps {
///                 goto(b).await;
///                 goto(a).await;
///             }
///         }
///     })
///     .param("from", ParamKind::Cell)
///     .param("to", ParamKind::Cell)
///     .optional("laps", Arg::Count(1)),
/// );
/// let text = r#"Scenario(units: [
///     Unit(name: "u", position: (0, 0), behavior: Named("pace", (from: (0, 0), to: (2, 0)))),
/// ])"#;
/// let scenario = Scenario::parse_with(text, "pace.ron", &registry).unwrap();
/// let mut sim = scenario.simulation(0);
/// sim.run(3);
/// assert_eq!(sim.units()[0].position, ivec2(1, 0)); // there and back once: (2, 0) at tick 2
///
/// let typo = r#"Scenario(units: [
///     Unit(name: "u", position: (0, 0), behavior: Named("pace", (from: (0, 0), too: (2, 0)))),
/// ])"#;
/// assert_eq!(
///     Scenario::parse_with(typo, "pace.ron", &registry).unwrap_err().to_string(),
///     "pace.ron: units[0].behavior.Named(\"pace\").too: `pace` has no parameter `too`; did \
///      you mean `to`? (its parameters are `from`, `to` and `laps`)\n\
///      pace.ron: units[0].behavior.Named(\"pace\"): `pace` needs the parameter `to` (a cell \
///      `(x, y)`)"
/// );
/// ```
#[derive(Clone, Default)]
pub struct BehaviorRegistry {
    behaviors: BTreeMap<String, Arc<NamedBehavior>>,
}

impl BehaviorRegistry {
    /// A registry with no behaviours: files may use the built-in ones only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `behavior` under its name, replacing one registered before under that name.
    pub fn register(&mut self, behavior: NamedBehavior) -> &mut Self {
        self.behaviors
            .insert(behavior.name.clone(), Arc::new(behavior));
        self
    }

    /// The behaviour registered under `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<NamedBehavior>> {
        self.behaviors.get(name)
    }

    /// The registered names, in alphabetical order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.behaviors.keys().map(String::as_str)
    }
}

impl fmt::Debug for BehaviorRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

/// What builds a registered behaviour's future from its checked arguments.
type Build = dyn Fn(&Args) -> BoxedBehavior + Send + Sync;

/// A behaviour registered by name: its parameters and how to build it.
pub struct NamedBehavior {
    name: String,
    params: Vec<ParamDecl>,
    senses: bool,
    build: Box<Build>,
}

impl NamedBehavior {
    /// A behaviour called `name`, built by `build` from its arguments each time a unit starts
    /// it. Declare its parameters with [`param`](Self::param) and
    /// [`optional`](Self::optional).
    pub fn new<F, Fut>(name: impl Into<String>, build: F) -> Self
    where
        F: Fn(&Args) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        NamedBehavior {
            name: name.into(),
            params: Vec::new(),
            senses: false,
            build: Box::new(move |args| Box::pin(build(args))),
        }
    }

    /// Declares a parameter the file must give.
    pub fn param(mut self, name: &'static str, kind: ParamKind) -> Self {
        self.params.push(ParamDecl {
            name,
            kind,
            default: None,
        });
        self
    }

    /// Declares a parameter the file may leave out; it then has the value `default` (whose kind
    /// is the parameter's kind).
    pub fn optional(mut self, name: &'static str, default: Arg) -> Self {
        self.params.push(ParamDecl {
            name,
            kind: default.kind(),
            default: Some(default),
        });
        self
    }

    /// Declares that the behaviour reads other units (`nearest`, `chase`, ...), so a scenario
    /// using it turns sensing on.
    pub fn senses(mut self) -> Self {
        self.senses = true;
        self
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its parameters, in the order declared.
    pub fn params(&self) -> &[ParamDecl] {
        &self.params
    }

    /// Whether it reads other units.
    pub fn needs_sensing(&self) -> bool {
        self.senses
    }

    /// A fresh future running it with `args`.
    pub fn build(&self, args: &Args) -> BoxedBehavior {
        (self.build)(args)
    }
}

impl fmt::Debug for NamedBehavior {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedBehavior")
            .field("name", &self.name)
            .field("params", &self.params)
            .field("senses", &self.senses)
            .finish_non_exhaustive()
    }
}

/// One declared parameter of a [`NamedBehavior`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamDecl {
    /// Its name in the file.
    pub name: &'static str,
    /// The kind of value it takes.
    pub kind: ParamKind,
    /// Its value when the file leaves it out; `None` if the file must give it.
    pub default: Option<Arg>,
}

/// The kind of value a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamKind {
    /// A whole number within `-MAX_TICKS..=MAX_TICKS` (see [`limits`](super::limits)).
    Integer,
    /// A whole number within `0..=MAX_TICKS`: a number of ticks, steps or times.
    Count,
    /// `true` or `false`.
    Flag,
    /// A cell `(x, y)` inside the world (or `Random` in a group).
    Cell,
    /// A list of cells `[(x, y), ...]`.
    Cells,
    /// Text: `"..."`, or a bare word.
    Text,
    /// A behaviour expression, started afresh each time the behaviour asks for it.
    Behavior,
}

impl ParamKind {
    /// How the kind reads in messages: `a count (a whole number from 0)`.
    pub fn describe(self) -> &'static str {
        match self {
            ParamKind::Integer => "a whole number",
            ParamKind::Count => "a count (a whole number from 0)",
            ParamKind::Flag => "`true` or `false`",
            ParamKind::Cell => "a cell `(x, y)`",
            ParamKind::Cells => "a list of cells `[(x, y), ...]`",
            ParamKind::Text => "text",
            ParamKind::Behavior => "a behaviour",
        }
    }
}

/// A checked argument value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// For [`ParamKind::Integer`].
    Integer(i64),
    /// For [`ParamKind::Count`].
    Count(u64),
    /// For [`ParamKind::Flag`].
    Flag(bool),
    /// For [`ParamKind::Cell`].
    Cell(IVec2),
    /// For [`ParamKind::Cells`].
    Cells(Vec<IVec2>),
    /// For [`ParamKind::Text`].
    Text(String),
    /// For [`ParamKind::Behavior`].
    Behavior(Arc<BehaviorPlan>),
}

impl Arg {
    /// The kind of parameter this value fits.
    pub fn kind(&self) -> ParamKind {
        match self {
            Arg::Integer(_) => ParamKind::Integer,
            Arg::Count(_) => ParamKind::Count,
            Arg::Flag(_) => ParamKind::Flag,
            Arg::Cell(_) => ParamKind::Cell,
            Arg::Cells(_) => ParamKind::Cells,
            Arg::Text(_) => ParamKind::Text,
            Arg::Behavior(_) => ParamKind::Behavior,
        }
    }
}

/// The checked arguments a registered behaviour is built from, one per declared parameter.
///
/// Each getter returns the argument of a declared parameter of its kind, so it cannot fail for
/// a behaviour built from a checked scenario; asking for an undeclared parameter, or as another
/// kind, is a mistake in the game's code and panics with a message naming it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    behavior: String,
    values: Vec<(&'static str, Arg)>,
    first_unit: UnitId,
}

impl Args {
    pub(crate) fn new(behavior: String, values: Vec<(&'static str, Arg)>) -> Self {
        Args {
            behavior,
            values,
            first_unit: UnitId(0),
        }
    }

    pub(crate) fn with_first_unit(&self, first_unit: UnitId) -> Self {
        let mut args = self.clone();
        args.first_unit = first_unit;
        args
    }

    /// The name of the behaviour these arguments are for.
    pub fn behavior_name(&self) -> &str {
        &self.behavior
    }

    /// The argument of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.values
            .iter()
            .find(|(param, _)| *param == name)
            .map(|(_, arg)| arg)
    }

    /// Every argument, in the order the parameters were declared.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Arg)> {
        self.values.iter().map(|(name, arg)| (*name, arg))
    }

    /// The [`ParamKind::Integer`] parameter `name`.
    pub fn integer(&self, name: &str) -> i64 {
        match self.expect(name, ParamKind::Integer) {
            Arg::Integer(value) => *value,
            _ => unreachable!("`expect` checked the kind"),
        }
    }

    /// The [`ParamKind::Count`] parameter `name`.
    pub fn count(&self, name: &str) -> u64 {
        match self.expect(name, ParamKind::Count) {
            Arg::Count(value) => *value,
            _ => unreachable!("`expect` checked the kind"),
        }
    }

    /// The [`ParamKind::Flag`] parameter `name`.
    pub fn flag(&self, name: &str) -> bool {
        match self.expect(name, ParamKind::Flag) {
            Arg::Flag(value) => *value,
            _ => unreachable!("`expect` checked the kind"),
        }
    }

    /// The [`ParamKind::Cell`] parameter `name`.
    pub fn cell(&self, name: &str) -> IVec2 {
        match self.expect(name, ParamKind::Cell) {
            Arg::Cell(value) => *value,
            _ => unreachable!("`expect` checked the kind"),
        }
    }

    /// The [`ParamKind::Cells`] parameter `name`.
    pub fn cells(&self, name: &str) -> &[IVec2] {
        match self.expect(name, ParamKind::Cells) {
            Arg::Cells(value) => value,
            _ => unreachable!("`expect` checked the kind"),
        }
    }

    /// The [`ParamKind::Text`] parameter `name`.
    pub fn text(&self, name: &str) -> &str {
        match self.expect(name, ParamKind::Text) {
            Arg::Text(value) => value,
            _ => unreachable!("`expect` checked the kind"),
        }
    }

    /// A fresh future running the [`ParamKind::Behavior`] parameter `name`.
    pub fn behavior(&self, name: &str) -> BoxedBehavior {
        match self.expect(name, ParamKind::Behavior) {
            Arg::Behavior(plan) => plan.future(self.first_unit),
            _ => unreachable!("`expect` checked the kind"),
        }
    }

    fn expect(&self, name: &str, kind: ParamKind) -> &Arg {
        let Some(arg) = self.get(name) else {
            panic!(
                "the behaviour `{}` asked for the parameter `{name}`, which it did not declare: \
                 add `.param(\"{name}\", ParamKind::{kind:?})` to its registration",
                self.behavior
            );
        };
        if arg.kind() != kind {
            panic!(
                "the behaviour `{}` asked for the parameter `{name}` as {}, but declared it as \
                 {}",
                self.behavior,
                kind.describe(),
                arg.kind().describe()
            );
        }
        arg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> Args {
        Args::new(
            "flee".into(),
            vec![
                ("distance", Arg::Count(3)),
                ("from", Arg::Cell(IVec2::new(1, 2))),
            ],
        )
    }

    #[test]
    fn getters_return_declared_arguments() {
        let args = args();
        assert_eq!(args.count("distance"), 3);
        assert_eq!(args.cell("from"), IVec2::new(1, 2));
        assert_eq!(args.get("speed"), None);
    }

    #[test]
    #[should_panic(
        expected = "the behaviour `flee` asked for the parameter `speed`, which it \
                               did not declare"
    )]
    fn an_undeclared_parameter_is_named() {
        args().count("speed");
    }

    #[test]
    #[should_panic(
        expected = "asked for the parameter `distance` as text, but declared it as \
                               a count"
    )]
    fn a_parameter_of_another_kind_is_named() {
        args().text("distance");
    }

    #[test]
    fn registering_again_replaces() {
        let mut registry = BehaviorRegistry::new();
        registry.register(NamedBehavior::new("b", |_| async {}));
        registry.register(NamedBehavior::new("a", |_| async {}).param("x", ParamKind::Flag));
        registry.register(NamedBehavior::new("b", |_| async {}).senses());
        assert_eq!(registry.names().collect::<Vec<_>>(), ["a", "b"]);
        assert!(registry.get("b").unwrap().needs_sensing());
        assert_eq!(format!("{registry:?}"), "{\"a\", \"b\"}");
    }
}
