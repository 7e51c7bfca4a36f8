//! Type names as people read them: `Ore`, `(Ore, Health)`, `Messages<Alarm>` rather than the
//! paths `std::any::type_name` gives.

use std::any::{TypeId, type_name};
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

/// `my_game::signals::Alarm` → `Alarm`. Only the outer path is shortened: see [`short_name_of`]
/// for a name with generics or tuples.
pub(crate) fn short_type_name(name: &str) -> &str {
    let base = name.split('<').next().unwrap_or(name);
    let start = base.rfind("::").map_or(0, |at| at + 2);
    &name[start..]
}

/// The name of `T` with every path shortened: `(game::Ore, game::Health)` → `(Ore, Health)`,
/// `bevy_ecs::message::Messages<game::Alarm>` → `Messages<Alarm>`.
///
/// A plain name is a slice of the type's own name. A compound one is built once per type and
/// kept for the rest of the program (one small string per type ever named), so that errors and
/// events can carry it as `&'static str`.
pub(crate) fn short_name_of<T: ?Sized + 'static>() -> &'static str {
    let name = type_name::<T>();
    if !name.contains(['<', '(', '[', ',', '&', ' ']) {
        return short_type_name(name);
    }
    static NAMES: LazyLock<RwLock<HashMap<TypeId, &'static str>>> = LazyLock::new(Default::default);
    let id = TypeId::of::<T>();
    if let Some(&short) = NAMES
        .read()
        .unwrap_or_else(|poison| poison.into_inner())
        .get(&id)
    {
        return short;
    }
    let mut names = NAMES.write().unwrap_or_else(|poison| poison.into_inner());
    names
        .entry(id)
        .or_insert_with(|| Box::leak(shorten_paths(name).into_boxed_str()))
}

/// Drops the module path of every path in `name`.
fn shorten_paths(name: &str) -> String {
    let mut short = String::with_capacity(name.len());
    let mut segment_start = 0;
    for (at, character) in name.char_indices() {
        if character.is_alphanumeric() || character == '_' || character == ':' {
            continue;
        }
        short.push_str(short_type_name(&name[segment_start..at]));
        short.push(character);
        segment_start = at + character.len_utf8();
    }
    short.push_str(short_type_name(&name[segment_start..]));
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    mod game {
        pub struct Ore;
        pub struct Wrap<T>(pub T);
    }

    #[test]
    fn plain_names_lose_their_path() {
        assert_eq!(short_type_name("game::signals::Alarm"), "Alarm");
        assert_eq!(short_type_name("Alarm"), "Alarm");
        assert_eq!(short_name_of::<game::Ore>(), "Ore");
    }

    #[test]
    fn every_path_of_a_compound_name_is_shortened() {
        assert_eq!(short_name_of::<(game::Ore, u32)>(), "(Ore, u32)");
        assert_eq!(short_name_of::<game::Wrap<game::Ore>>(), "Wrap<Ore>");
        assert_eq!(short_name_of::<[game::Ore; 2]>(), "[Ore; 2]");
        assert_eq!(short_name_of::<&game::Ore>(), "&Ore");
        assert!(std::ptr::eq(
            short_name_of::<game::Wrap<game::Ore>>(),
            short_name_of::<game::Wrap<game::Ore>>()
        ));
    }
}
