//! The simulation's seeded randomness, for the game's own systems.

use bevy_ecs::resource::Resource;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{SeedableRng, TryRng};
use std::convert::Infallible;

/// A random number generator for the game's own systems, seeded from the simulation's seed
/// (read it with [`Executor::seed`](crate::systems::Executor::seed)); draw from it with `rand`'s
/// `RngExt` methods, e.g. `rng.random_range(0..10)`. Behaviours draw from their own
/// [`unit::rng`](crate::behaviors::unit::rng), so the order systems and units draw in never
/// changes what another gets.
///
/// `Xoshiro256PlusPlus` is specified bit for bit, so a seed reproduces a run on every platform
/// and with every version of `rand`; nothing in the simulation draws from an unseeded source.
#[derive(Resource, Clone, Debug)]
pub struct SimRng(Xoshiro256PlusPlus);

impl SimRng {
    /// A generator seeded from `seed`.
    pub fn seed_from_u64(seed: u64) -> Self {
        SimRng(Xoshiro256PlusPlus::seed_from_u64(seed))
    }
}

impl TryRng for SimRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        self.0.try_next_u32()
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0.try_next_u64()
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.0.try_fill_bytes(dst)
    }
}
