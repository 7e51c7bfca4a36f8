//! Finding a unit's entity from its stable id.

use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use std::collections::{HashMap, VecDeque};

use crate::components::UnitId;

/// Every live unit's entity by [`UnitId`]; kept by the `UnitId` component's hooks, which also
/// take each new unit's id from it.
///
/// Ids are handed out one after another, so the index is an array by id rather than a hash
/// map: 8 bytes a unit instead of about 35, and a spawn writes the next slot instead of
/// hashing. The array is cut into pages of 256 ids; a page is freed when its last unit is
/// despawned, and the pages before the oldest live unit are dropped, so churn does not grow it
/// without bound. An id set by hand far beyond the others goes to a small map instead.
#[derive(Resource, Debug, Default)]
pub struct UnitIndex {
    /// Page `i` holds the ids from `(first_page + i) * PAGE` on; `None` once it is empty.
    pages: VecDeque<Option<Box<Page>>>,
    /// The page number of `pages[0]`.
    first_page: u64,
    /// Ids too far from the pages to extend them (see [`UnitIndex::FAR`]).
    far: HashMap<UnitId, Entity>,
    len: usize,
    /// The id the next unit spawned gets.
    next: u64,
}

/// Ids a page holds.
const PAGE: usize = 256;

/// One page of the index: the entities of `PAGE` consecutive ids, and how many are live.
#[derive(Debug)]
struct Page {
    entities: [Option<Entity>; PAGE],
    live: u16,
}

impl UnitIndex {
    /// An id more than this many pages past the last one goes to the map, so that one odd id
    /// (set by hand) cannot make the array huge.
    const FAR: u64 = 64;

    /// The entity of a live unit.
    pub fn entity(&self, id: UnitId) -> Option<Entity> {
        match self.slot_of(id) {
            Some((page, slot)) => self.pages.get(page)?.as_ref()?.entities[slot],
            None if self.far.is_empty() => None,
            None => self.far.get(&id).copied(),
        }
    }

    /// The id the next unit spawned without one gets.
    pub(crate) fn next_id(&self) -> UnitId {
        UnitId(self.next)
    }

    /// Registers a new unit: `id`, or the next id if it is [`UnitId::UNASSIGNED`]. Returns the
    /// id it has.
    pub(crate) fn register(&mut self, id: UnitId, entity: Entity) -> UnitId {
        let id = if id == UnitId::UNASSIGNED {
            UnitId(self.next)
        } else {
            id
        };
        self.next = self.next.max(id.0 + 1);
        self.insert(id, entity);
        id
    }

    /// How many units are alive.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True if no unit is alive.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The page (an index into `pages`) and slot of `id`, if it belongs in the pages: at or
    /// after the first page, and not [`Self::FAR`] pages past the end.
    #[inline]
    fn slot_of(&self, id: UnitId) -> Option<(usize, usize)> {
        let page = (id.0 / PAGE as u64).checked_sub(self.first_page)?;
        if page >= self.pages.len() as u64 + Self::FAR {
            return None;
        }
        Some((page as usize, (id.0 % PAGE as u64) as usize))
    }

    fn insert(&mut self, id: UnitId, entity: Entity) {
        if self.len == 0 && self.pages.is_empty() {
            // Start the pages at the first id, wherever the ids begin.
            self.first_page = id.0 / PAGE as u64;
        }
        let Some((page, slot)) = self.slot_of(id) else {
            if self.far.insert(id, entity).is_none() {
                self.len += 1;
            }
            return;
        };
        if page >= self.pages.len() {
            self.pages.resize_with(page + 1, || None);
        }
        let page = self.pages[page].get_or_insert_with(|| {
            Box::new(Page {
                entities: [None; PAGE],
                live: 0,
            })
        });
        if page.entities[slot].replace(entity).is_none() {
            page.live += 1;
            self.len += 1;
        }
    }

    /// Makes room for `more` units at once, before spawning many.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.pages.reserve(more.div_ceil(PAGE));
    }

    pub(crate) fn remove(&mut self, id: UnitId) {
        let Some((index, slot)) = self.slot_of(id) else {
            if self.far.remove(&id).is_some() {
                self.len -= 1;
            }
            return;
        };
        let Some(Some(page)) = self.pages.get_mut(index) else {
            return;
        };
        if page.entities[slot].take().is_none() {
            return;
        }
        self.len -= 1;
        page.live -= 1;
        if page.live == 0 {
            self.pages[index] = None;
            while let Some(None) = self.pages.front() {
                self.pages.pop_front();
                self.first_page += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(index: u32) -> Entity {
        Entity::from_raw_u32(index).expect("a valid index")
    }

    #[test]
    fn finds_units_by_id_across_pages_far_ids_and_removals() {
        let mut index = UnitIndex::default();
        let far = UnitId(1 << 40);
        let ids = (0..3 * PAGE as u64).map(UnitId).chain([far]);
        for (n, id) in ids.clone().enumerate() {
            index.insert(id, entity(n as u32));
        }
        assert_eq!(index.len(), 3 * PAGE + 1);
        for (n, id) in ids.enumerate() {
            assert_eq!(index.entity(id), Some(entity(n as u32)), "{id}");
        }
        assert_eq!(index.entity(UnitId(3 * PAGE as u64)), None);
        // Emptying the first page drops it; the others still answer.
        for id in 0..PAGE as u64 {
            index.remove(UnitId(id));
        }
        assert_eq!(index.first_page, 1);
        assert_eq!(index.entity(UnitId(0)), None);
        assert_eq!(index.entity(UnitId(PAGE as u64)), Some(entity(PAGE as u32)));
        index.remove(far);
        index.remove(far);
        assert_eq!(index.entity(far), None);
        assert_eq!(index.len(), 2 * PAGE);
        // An id before the first page still goes somewhere it can be found.
        index.insert(UnitId(3), entity(7));
        assert_eq!(index.entity(UnitId(3)), Some(entity(7)));
        index.remove(UnitId(3));
        assert_eq!(index.len(), 2 * PAGE);
    }
}
