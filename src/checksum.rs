//! A world checksum: one 64-bit number that two runs share exactly when their units agree.

use bevy_ecs::world::World;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::components::{ActivityStack, Behavior, BehaviorState, Position, UnitId};

/// A 64-bit digest of every unit's id, cell and behaviour state; shown as `0x` and 16 lowercase
/// hex digits.
///
/// Two worlds have the same checksum when they hold the same units (by [`UnitId`]) on the same
/// cells, with behaviours in the same state — live, paused or finished, awaiting the same
/// [`ActivityStack`]. Whether a live behaviour is parked or polled every tick is how the
/// executor schedules it, not what it does, so it is left out.
///
/// It depends neither on entity order nor on the platform: each unit is hashed on its own (FNV-1a
/// over little-endian bytes, then a SplitMix64 finaliser so that every input bit reaches every
/// output bit) and the unit hashes are added with wrapping — addition does not care about order,
/// so no sort is needed. It is stable from run to run and machine to machine, not from one
/// version of tickweave to the next.
///
/// ```
/// # use tickweave::prelude::*;
/// let run = |seed| {
///     let mut sim = Simulation::new(seed);
///     sim.spawn("u", ivec2(0, 0), async { goto(ivec2(3, 1)).await });
///     sim.run(2);
///     sim.checksum()
/// };
/// assert_eq!(run(1), run(1));
/// assert_eq!(run(1).to_string().len(), 18); // 0x and 16 hex digits
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Checksum(pub u64);

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#018x}", self.0)
    }
}

static NO_ACTIVITY: ActivityStack = ActivityStack::EMPTY;

/// The checksum of every unit in `world` (see [`Checksum`]). Costs one pass over the units.
pub fn checksum(world: &World) -> Checksum {
    let Some(mut units) = world.try_query::<(&UnitId, &Position, Option<&Behavior>)>() else {
        return Checksum::of_units(std::iter::empty());
    };
    Checksum::of_units(units.iter(world).map(|(&id, position, behavior)| {
        let state = behavior.map(Behavior::state);
        let activity = behavior.map_or(&NO_ACTIVITY, Behavior::activity);
        (id, position.0, state, activity)
    }))
}

impl Checksum {
    /// Combines units given as (id, cell, behaviour state, activity stack), in any order.
    pub fn of_units<'a>(
        units: impl IntoIterator<
            Item = (
                UnitId,
                glam::IVec2,
                Option<BehaviorState>,
                &'a ActivityStack,
            ),
        >,
    ) -> Checksum {
        let mut sum = 0u64;
        let mut count = 0u64;
        for (id, cell, state, activity) in units {
            let mut hasher = Fnv1a::default();
            id.0.hash(&mut hasher);
            cell.x.hash(&mut hasher);
            cell.y.hash(&mut hasher);
            let state: u8 = match state {
                None => 0,
                Some(BehaviorState::Running | BehaviorState::Parked) => 1,
                Some(BehaviorState::Paused) => 2,
                Some(BehaviorState::Finished) => 3,
            };
            state.hash(&mut hasher);
            activity.hash(&mut hasher);
            sum = sum.wrapping_add(mix(hasher.finish()));
            count += 1;
        }
        Checksum(mix(sum ^ mix(count)))
    }
}

/// SplitMix64's finaliser: a bijection that spreads every input bit over the whole output.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// 64-bit FNV-1a. Integers are fed as little-endian bytes and `usize`/`isize` (lengths, enum
/// discriminants) as 8 bytes, so the digest is the same on every platform.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.write(&[value]);
    }

    fn write_u16(&mut self, value: u16) {
        self.write(&value.to_le_bytes());
    }

    fn write_u32(&mut self, value: u32) {
        self.write(&value.to_le_bytes());
    }

    fn write_u64(&mut self, value: u64) {
        self.write(&value.to_le_bytes());
    }

    fn write_u128(&mut self, value: u128) {
        self.write(&value.to_le_bytes());
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn write_isize(&mut self, value: isize) {
        self.write_u64(value as i64 as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::{Activity, ActivityFrame};
    use glam::IVec2;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        let digest = |bytes: &[u8]| {
            let mut hasher = Fnv1a::default();
            hasher.write(bytes);
            hasher.finish()
        };
        assert_eq!(digest(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(digest(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(digest(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn integers_hash_as_little_endian_bytes() {
        let mut by_value = Fnv1a::default();
        0x0102_0304_u32.hash(&mut by_value);
        (-2_i64 as isize).hash(&mut by_value);
        let mut by_bytes = Fnv1a::default();
        by_bytes.write(&[4, 3, 2, 1]);
        by_bytes.write(&(-2_i64).to_le_bytes());
        assert_eq!(by_value.finish(), by_bytes.finish());
    }

    #[test]
    fn the_checksum_is_pinned_and_ignores_order_but_not_content() {
        let mut walking = ActivityStack::default();
        walking.push(ActivityFrame {
            depth: 0,
            activity: Activity::Goto(IVec2::new(5, 0)),
        });
        let a = (
            UnitId(0),
            IVec2::new(1, 2),
            Some(BehaviorState::Parked),
            &walking,
        );
        let b = (
            UnitId(1),
            IVec2::new(-3, 0),
            Some(BehaviorState::Finished),
            &ActivityStack::EMPTY,
        );
        let forward = Checksum::of_units([a, b]);
        // Pinned: a change here changes every checksum ever recorded in a trace.
        assert_eq!(forward.to_string(), "0x9e37edaba3c728ab");
        assert_eq!(Checksum::of_units([b, a]), forward);
        let running = (a.0, a.1, Some(BehaviorState::Running), a.3);
        assert_eq!(
            Checksum::of_units([running, b]),
            forward,
            "parking is not state"
        );
        let moved = (a.0, IVec2::new(1, 3), a.2, a.3);
        assert_ne!(Checksum::of_units([moved, b]), forward);
        let swapped_ids = ((UnitId(1), a.1, a.2, a.3), (UnitId(0), b.1, b.2, b.3));
        assert_ne!(Checksum::of_units([swapped_ids.0, swapped_ids.1]), forward);
        assert_ne!(
            Checksum::of_units([(a.0, a.1, a.2, &ActivityStack::EMPTY), b]),
            forward
        );
        assert_ne!(Checksum::of_units([a]), forward);
        assert_ne!(Checksum::of_units([a, b, b]), forward, "a duplicate counts");
        assert_eq!(Checksum::of_units(std::iter::empty()).to_string().len(), 18);
    }
}
