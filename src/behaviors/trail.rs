//! The activity trail of the poll in progress: the frames pending futures push, which Think
//! then stores as the unit's [`ActivityStack`].
//!
//! A frame is pushed by a future that stays pending; a wrapping future (a label, a race)
//! pushes its own frame before polling its children, one level deeper, and removes everything
//! from its frame on when it completes. So the trail always holds exactly what is still awaited.

use std::cell::RefCell;

use crate::components::{Activity, ActivityFrame, ActivityStack};

struct Trail {
    stack: ActivityStack,
    depth: u8,
}

thread_local! {
    static TRAIL: RefCell<Trail> = const {
        RefCell::new(Trail { stack: ActivityStack::EMPTY, depth: 0 })
    };
}

/// Where a wrapping future's frame starts; give it back to [`leave`].
#[derive(Clone, Copy, Debug)]
#[must_use]
pub(crate) struct Mark(usize);

/// Empties the trail for a new poll.
pub(crate) fn reset() {
    TRAIL.with_borrow_mut(|trail| {
        trail.stack.clear();
        trail.depth = 0;
    });
}

/// Records a pending leaf at the current depth.
pub(crate) fn leaf(activity: Activity) {
    TRAIL.with_borrow_mut(|trail| {
        let depth = trail.depth;
        trail.stack.push(ActivityFrame { depth, activity });
    });
}

/// Pushes a wrapping future's frame; its children are recorded one level deeper until [`leave`].
pub(crate) fn enter(activity: Activity) -> Mark {
    TRAIL.with_borrow_mut(|trail| {
        let mark = Mark(trail.stack.len());
        let depth = trail.depth;
        trail.stack.push(ActivityFrame { depth, activity });
        trail.depth = depth.saturating_add(1);
        mark
    })
}

/// Ends a wrapping future's poll; if it completed, its frame and its children's go.
pub(crate) fn leave(mark: Mark, completed: bool) {
    TRAIL.with_borrow_mut(|trail| {
        trail.depth = trail.depth.saturating_sub(1);
        if completed {
            trail.stack.truncate(mark.0);
        }
    });
}

/// Copies the trail into `stack`; true if it changed.
pub(crate) fn store_into(stack: &mut ActivityStack) -> bool {
    TRAIL.with_borrow(|trail| stack.assign(&trail.stack))
}
