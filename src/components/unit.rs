//! A unit's stable identity: its id (spawn order) and its name.

use bevy_ecs::component::Component;
use bevy_ecs::lifecycle::HookContext;
use bevy_ecs::world::DeferredWorld;
use std::fmt;

use super::Position;
use crate::systems::{Executor, UnitIndex};

/// A unit's stable identity, assigned in spawn order starting at 0.
///
/// Output, traces and every ordering decision use `UnitId`, never `Entity`: entity indices are
/// recycled and table order changes with despawns, while unit ids are never reused.
///
/// Insert [`UnitId::UNASSIGNED`] (the default, which [`UnitName`] requires) and the next id is
/// assigned when the component is added. Serialized as its number.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[component(on_add = register_unit, on_remove = unregister_unit)]
pub struct UnitId(pub u64);

impl UnitId {
    /// Placeholder replaced by the next id in spawn order as soon as the component is added.
    pub const UNASSIGNED: UnitId = UnitId(u64::MAX);
}

impl Default for UnitId {
    fn default() -> Self {
        UnitId::UNASSIGNED
    }
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Gives a new unit its id (unless one was set) and makes it findable by id. The index hands
/// out the ids too, so that this hook, which runs for every unit spawned, looks up one resource.
fn register_unit(mut world: DeferredWorld, ctx: HookContext) {
    let id = *world
        .get::<UnitId>(ctx.entity)
        .expect("the hook runs for this component");
    let Some(mut index) = world.get_resource_mut::<UnitIndex>() else {
        panic!(
            "a unit was spawned into a World without tickweave: call `tickweave::Tickweave::install` \
             (or use `Simulation`) before spawning units"
        );
    };
    let assigned = index.register(id, ctx.entity);
    if assigned != id {
        *world.get_mut::<UnitId>(ctx.entity).expect("just read") = assigned;
    }
}

/// A despawned unit can no longer be found, and its undelivered signals go with it.
fn unregister_unit(mut world: DeferredWorld, ctx: HookContext) {
    let id = *world
        .get::<UnitId>(ctx.entity)
        .expect("the hook runs for this component");
    world.resource_mut::<UnitIndex>().remove(id);
    world
        .resource_mut::<Executor>()
        .mailboxes
        .remove(ctx.entity);
}

/// A unit's human-readable name, used in output (CSV, traces, summaries). Make one with
/// `UnitName::from("scout")` (from a `&str` or a `String`).
///
/// Requires a [`UnitId`] and a [`Position`], so spawning a name and a behaviour makes a unit.
#[derive(Component, Clone, Debug, PartialEq, Eq, Hash)]
#[require(UnitId, Position)]
pub struct UnitName(NameText);

impl UnitName {
    /// The name as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl UnitName {
    /// `prefix` followed by `index` in decimal (`p41`), made without an intermediate `String`.
    pub(crate) fn numbered(prefix: &str, index: u64) -> Self {
        let mut buffer = [0u8; 20];
        let digits = decimal(index, &mut buffer);
        let len = prefix.len() + digits.len();
        if len > NameText::INLINE {
            return UnitName::from(format!("{prefix}{index}"));
        }
        let mut bytes = [0; NameText::INLINE];
        bytes[..prefix.len()].copy_from_slice(prefix.as_bytes());
        bytes[prefix.len()..len].copy_from_slice(digits);
        UnitName(NameText::Inline {
            len: len as u8,
            bytes,
        })
    }
}

/// `number` in decimal ASCII digits, written at the end of `buffer` (20 bytes hold any `u64`).
pub(crate) fn decimal(number: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut at = buffer.len();
    let mut rest = number;
    loop {
        at -= 1;
        buffer[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    &buffer[at..]
}

impl fmt::Display for UnitName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for UnitName {
    fn from(name: &str) -> Self {
        UnitName(NameText::new(name))
    }
}

impl From<String> for UnitName {
    fn from(name: String) -> Self {
        UnitName(NameText::new(&name))
    }
}

impl From<&String> for UnitName {
    fn from(name: &String) -> Self {
        UnitName(NameText::new(name))
    }
}

/// A name's text: short names (most are, `p41` or `scout7`) are kept in place, so a million
/// generated units do not each allocate their name; longer ones are boxed, behind a thin
/// pointer so that the whole is 16 bytes.
#[derive(Clone)]
enum NameText {
    Inline {
        len: u8,
        bytes: [u8; NameText::INLINE],
    },
    Boxed(Box<Box<str>>),
}

impl NameText {
    /// The longest name kept in place: as many bytes as fit beside the length and the variant's
    /// tag in 16 bytes.
    const INLINE: usize = 14;

    fn new(text: &str) -> Self {
        if text.len() <= Self::INLINE {
            let mut bytes = [0; Self::INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            NameText::Inline {
                len: text.len() as u8,
                bytes,
            }
        } else {
            NameText::Boxed(Box::new(text.into()))
        }
    }

    fn as_str(&self) -> &str {
        match self {
            NameText::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)])
                .expect("an inline name is copied whole from a `str`"),
            NameText::Boxed(text) => text,
        }
    }
}

impl PartialEq for NameText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for NameText {}

impl std::hash::Hash for NameText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for NameText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_any_length_read_back_whole() {
        let long = "a name longer than fourteen bytes";
        for text in ["", "p41", "scout-north-14", "scout-north-015", long] {
            let name = UnitName::from(text);
            assert_eq!(name.as_str(), text);
            assert_eq!(name.to_string(), text);
            assert_eq!(name, UnitName::from(text.to_owned()));
            assert_eq!(format!("{name:?}"), format!("UnitName({text:?})"));
        }
        assert_ne!(UnitName::from("p1"), UnitName::from("p10"));
        for (prefix, index) in [
            ("p", 0),
            ("scout", 41),
            ("sentinel", 999_999),
            ("sentinels", 1_000_000),
        ] {
            assert_eq!(
                UnitName::numbered(prefix, index),
                UnitName::from(format!("{prefix}{index}"))
            );
        }
        assert_eq!(std::mem::size_of::<UnitName>(), 16);
    }
}
