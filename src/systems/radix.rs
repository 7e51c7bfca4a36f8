//! Sorting by unit id in linear time: a least-significant-digit radix sort over only the bits in
//! which the ids differ, 11 bits a pass (two passes for ids up to four million apart).
//!
//! A comparison sort of the units a tick's timers woke cost about 280 instructions a unit at
//! 10,000 a tick, a third of everything a wake-up cost; the radix sort costs about 15 a pass.

/// Below this many items a comparison sort is cheaper than clearing the counts.
const SMALL: usize = 256;

/// Bits of the key each pass sorts by.
const DIGIT_BITS: u32 = 11;
const DIGITS: usize = 1 << DIGIT_BITS;

/// Sorts `items` by `key` (items of equal key in an order that depends only on the input).
/// `scratch` is working room, kept by the caller between calls so that a steady caller
/// allocates nothing.
pub(crate) fn sort_by_key<T: Copy>(
    items: &mut Vec<T>,
    scratch: &mut Vec<T>,
    key: impl Fn(&T) -> u64,
) {
    if items.is_sorted_by_key(&key) {
        return; // a crowd spawned at once is woken in order, and needs no room to sort
    }
    if items.len() <= SMALL {
        items.sort_unstable_by_key(&key);
        return;
    }
    let (low, high) = items.iter().fold((u64::MAX, 0), |(low, high), item| {
        let key = key(item);
        (low.min(key), high.max(key))
    });
    let varying_bits = u64::BITS - (high - low).leading_zeros();
    scratch.clear();
    scratch.resize(items.len(), items[0]);
    let mut counts = [0_usize; DIGITS];
    for pass in 0..varying_bits.div_ceil(DIGIT_BITS) {
        let shift = pass * DIGIT_BITS;
        let digit = |item: &T| ((key(item) - low) >> shift) as usize & (DIGITS - 1);
        counts.fill(0);
        for item in items.iter() {
            counts[digit(item)] += 1;
        }
        let mut start = 0;
        for count in &mut counts {
            (*count, start) = (start, start + *count);
        }
        for item in items.iter() {
            let slot = &mut counts[digit(item)];
            scratch[*slot] = *item;
            *slot += 1;
        }
        std::mem::swap(items, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn it_sorts_whatever_the_keys() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let mut scratch = Vec::new();
        let spans: [u64; 6] = [1, 100, 5_000, 1 << 22, 1 << 40, u64::MAX];
        for len in [0, 1, 2, 255, 256, 257, 1_000, 20_000] {
            for span in spans {
                let base = rng.random_range(0..=u64::MAX - span);
                let mut items: Vec<(u64, u32)> = (0..len)
                    .map(|_| {
                        let key = base + rng.random_range(0..=span);
                        (key, key as u32)
                    })
                    .collect();
                let mut expected = items.clone();
                expected.sort_unstable();
                sort_by_key(&mut items, &mut scratch, |item| item.0);
                assert_eq!(items, expected, "{len} keys over {span}");
            }
        }
    }
}
