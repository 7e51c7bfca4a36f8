//! The simulation's one source of randomness.

use bevy_ecs::resource::Resource;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

/// The seeded random number generator of a simulation.
///
/// `Xoshiro256PlusPlus` is specified bit for bit, so a seed reproduces a run on every platform
/// and with every version of `rand`; nothing in the simulation draws from an unseeded source.
#[derive(Resource, Clone, Debug)]
pub struct SimRng(pub Xoshiro256PlusPlus);

impl SimRng {
    /// A generator seeded from `seed`.
    pub fn seed_from_u64(seed: u64) -> Self {
        SimRng(Xoshiro256PlusPlus::seed_from_u64(seed))
    }
}

/// The seed a simulation was created with; behaviours derive their own generators from it
/// (see [`unit::rng`](crate::behaviors::unit::rng)).
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimSeed(pub u64);
