//! Finding a unit's entity from its stable id.

use bevy_ecs::entity::{Entity, EntityIndex};
use bevy_ecs::resource::Resource;
use std::collections::{HashMap, VecDeque};

use crate::components::UnitId;

/// Every live unit's entity by [`UnitId`]; kept by the `UnitId` component's hooks, which also
/// take each new unit's id from it.
///
/// Ids are handed out one after another, so the index is an array by id rather than a hash
/// map, cut into pages of 256 ids. Units spawned one after another usually get consecutive
/// entities too (a crowd spawned at once always does, until despawned entities are reused), so
/// a page whose entities follow each other keeps only its first and a bit for each live unit:
/// well under a byte a unit, where a page that lists its entities takes 8. A page is dropped
/// when its last unit is despawned, and the pages before the oldest live unit are dropped, so
/// churn does not grow it without bound. An id set by hand far beyond the others goes to a small
/// map instead.
#[derive(Resource, Debug, Default)]
pub struct UnitIndex {
    /// Page `i` holds the ids from `(first_page + i) * PAGE` on.
    pages: VecDeque<Page>,
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

/// The entities of `PAGE` consecutive ids.
#[derive(Debug, Default)]
enum Page {
    /// No live unit.
    #[default]
    Empty,
    /// The unit in slot `i`, if its bit in `live` is set, is the entity of index `first + i`
    /// and `first`'s generation.
    Run {
        first: Entity,
        live: [u64; PAGE / 64],
    },
    /// Any entities.
    Listed(Box<Listed>),
}

/// A page's entities, listed.
#[derive(Debug)]
struct Listed {
    entities: [Option<Entity>; PAGE],
    live: u16,
}

impl Page {
    /// The entity in `slot`.
    #[inline]
    fn get(&self, slot: usize) -> Option<Entity> {
        match self {
            Page::Empty => None,
            Page::Run { first, live } => {
                if live[slot / 64] >> (slot % 64) & 1 == 0 {
                    return None;
                }
                Some(run_entity(*first, slot).expect("a run's live slots are valid entities"))
            }
            Page::Listed(listed) => listed.entities[slot],
        }
    }

    /// Puts `entity` in `slot`; true if the slot was empty.
    fn insert(&mut self, slot: usize, entity: Entity) -> bool {
        match self {
            Page::Empty => {
                if let Some(first) = entity.index_u32().checked_sub(slot as u32)
                    && let Some(first) = run_entity_at(first, entity)
                {
                    let mut live = [0; PAGE / 64];
                    live[slot / 64] = 1 << (slot % 64);
                    *self = Page::Run { first, live };
                    return true;
                }
            }
            Page::Run { first, live } if run_entity(*first, slot) == Some(entity) => {
                let bit = 1 << (slot % 64);
                let was_empty = live[slot / 64] & bit == 0;
                live[slot / 64] |= bit;
                return was_empty;
            }
            Page::Run { .. } => {}
            Page::Listed(listed) => {
                let was_empty = listed.entities[slot].replace(entity).is_none();
                listed.live += u16::from(was_empty);
                return was_empty;
            }
        }
        // Not the next of a run: list the page's entities.
        let mut listed = Box::new(Listed {
            entities: [None; PAGE],
            live: 0,
        });
        for (at, listed_entity) in listed.entities.iter_mut().enumerate() {
            *listed_entity = self.get(at);
            listed.live += u16::from(listed_entity.is_some());
        }
        *self = Page::Listed(listed);
        self.insert(slot, entity)
    }

    /// Empties `slot`; true if it held a unit.
    fn remove(&mut self, slot: usize) -> bool {
        let (removed, now_empty) = match self {
            Page::Empty => (false, false),
            Page::Run { live, .. } => {
                let bit = 1 << (slot % 64);
                let removed = live[slot / 64] & bit != 0;
                live[slot / 64] &= !bit;
                (removed, live.iter().all(|&bits| bits == 0))
            }
            Page::Listed(listed) => {
                let removed = listed.entities[slot].take().is_some();
                listed.live -= u16::from(removed);
                (removed, listed.live == 0)
            }
        };
        if now_empty {
            *self = Page::Empty;
        }
        removed
    }
}

/// The entity of a run starting at `first` in `slot`, if there is one.
#[inline]
fn run_entity(first: Entity, slot: usize) -> Option<Entity> {
    run_entity_at(first.index_u32().checked_add(slot as u32)?, first)
}

/// The entity of index `index` and the generation of `like`, if there is one.
#[inline]
fn run_entity_at(index: u32, like: Entity) -> Option<Entity> {
    Some(Entity::from_index_and_generation(
        EntityIndex::from_raw_u32(index)?,
        like.generation(),
    ))
}

impl UnitIndex {
    /// An id more than this many pages past the last one goes to the map, so that one odd id
    /// (set by hand) cannot make the array huge.
    const FAR: u64 = 64;

    /// The entity of a live unit.
    pub fn entity(&self, id: UnitId) -> Option<Entity> {
        match self.slot_of(id) {
            Some((page, slot)) => self.pages.get(page)?.get(slot),
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
    ///
    /// # Panics
    ///
    /// If `id` is a live unit's (two units with one id would make every order by id
    /// ambiguous, and one of them unreachable), or if every id has been given out.
    pub(crate) fn register(&mut self, id: UnitId, entity: Entity) -> UnitId {
        let id = if id == UnitId::UNASSIGNED {
            assert!(
                self.next != UnitId::UNASSIGNED.0,
                "no unit id is left to give entity {entity}: an id set by hand took the last one"
            );
            UnitId(self.next)
        } else {
            if let Some(other) = self.entity(id) {
                panic!(
                    "entity {entity} was given unit id {id}, which is live unit {other}'s: a unit's \
                     id must be unique (leave it `UnitId::UNASSIGNED` to get the next one)"
                );
            }
            id
        };
        // Below `u64::MAX` (`UNASSIGNED`), so this cannot overflow.
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
            self.pages.resize_with(page + 1, Page::default);
        }
        if self.pages[page].insert(slot, entity) {
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
        let Some(page) = self.pages.get_mut(index) else {
            return;
        };
        if !page.remove(slot) {
            return;
        }
        self.len -= 1;
        while let Some(Page::Empty) = self.pages.front() {
            self.pages.pop_front();
            self.first_page += 1;
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

    fn runs(index: &UnitIndex) -> usize {
        let run = |page: &&Page| matches!(page, Page::Run { .. });
        index.pages.iter().filter(run).count()
    }

    #[test]
    fn consecutive_entities_are_kept_as_runs_and_others_listed() {
        let mut index = UnitIndex::default();
        // Ids 0.. on entities 10.., then a gap in the entities from id 300 on.
        let at = |id: u64| entity(10 + id as u32 + if id >= 300 { 5 } else { 0 });
        for id in 0..400 {
            index.insert(UnitId(id), at(id));
        }
        assert_eq!(runs(&index), 1, "the second page's entities jump");
        for id in 0..400 {
            assert_eq!(index.entity(UnitId(id)), Some(at(id)), "#{id}");
        }
        // An entity of another generation lists a run's entities, keeping them.
        let mut index = UnitIndex::default();
        for id in 0..10 {
            index.insert(UnitId(id), entity(id as u32));
        }
        let reused = Entity::from_index_and_generation(
            EntityIndex::from_raw_u32(10).expect("a valid index"),
            entity(0).generation().after_versions(1),
        );
        index.insert(UnitId(10), reused);
        assert_eq!(runs(&index), 0);
        assert_eq!(index.entity(UnitId(10)), Some(reused));
        for id in 0..10 {
            assert_eq!(index.entity(UnitId(id)), Some(entity(id as u32)));
        }
        assert_eq!(index.len(), 11);
        // A run's holes read as none; its last unit gone, the page goes.
        let mut index = UnitIndex::default();
        for id in 0..2 * PAGE as u64 {
            index.insert(UnitId(id), entity(id as u32));
        }
        for id in (0..PAGE as u64).step_by(2) {
            index.remove(UnitId(id));
        }
        assert_eq!(runs(&index), 2);
        assert_eq!(index.entity(UnitId(4)), None);
        assert_eq!(index.entity(UnitId(5)), Some(entity(5)));
        for id in (1..PAGE as u64).step_by(2) {
            index.remove(UnitId(id));
        }
        assert_eq!((index.first_page, index.pages.len()), (1, 1));
        assert_eq!(index.len(), PAGE);
        // An entity below its slot cannot start a run.
        let mut index = UnitIndex::default();
        index.insert(UnitId(7), entity(3));
        assert_eq!(index.entity(UnitId(7)), Some(entity(3)));
        assert_eq!(runs(&index), 0);
    }

    #[test]
    fn units_spawned_one_after_another_make_runs() {
        let mut sim = crate::Simulation::new(0);
        let units: Vec<Entity> = (0..1_000)
            .map(|n| sim.spawn(format!("u{n}"), glam::IVec2::ZERO, async {}))
            .collect();
        let index = sim.world().resource::<UnitIndex>();
        assert_eq!(runs(index), index.pages.len());
        for (id, &unit) in units.iter().enumerate() {
            assert_eq!(index.entity(UnitId(id as u64)), Some(unit));
        }
    }
}
