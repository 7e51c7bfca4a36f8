//! The activity trail of the poll in progress: the frames pending futures push, which Think
//! then stores as the unit's [`ActivityStack`].
//!
//! A frame is pushed by a future that stays pending; a wrapping future (a label, a race)
//! pushes its own frame before polling its children, one level deeper, and removes everything
//! from its frame on when it completes. So the trail always holds exactly what is still awaited.
//!
//! The trail is a fixed array of [`ActivityStack::CAPACITY`] frames in a thread-local that needs
//! no destructor, so each push is a bounds check and a copy: the trail is touched several times
//! per poll, on every poll.

use std::cell::RefCell;
use std::ops::Range;

use crate::components::{Activity, ActivityFrame, ActivityStack};

const CAPACITY: usize = ActivityStack::CAPACITY;

/// Filler for the unused part of the array.
const BLANK: ActivityFrame = ActivityFrame {
    depth: 0,
    activity: Activity::NextTick,
};

#[derive(Clone, Copy)]
struct Trail {
    frames: [ActivityFrame; CAPACITY],
    len: usize,
    /// A frame was dropped for want of room.
    truncated: bool,
    depth: u8,
}

impl Trail {
    #[inline]
    fn push(&mut self, activity: Activity) {
        if self.len < CAPACITY {
            self.frames[self.len] = ActivityFrame {
                depth: self.depth,
                activity,
            };
            self.len += 1;
        } else {
            self.truncated = true;
        }
    }
}

thread_local! {
    static TRAIL: RefCell<Trail> = const {
        RefCell::new(Trail { frames: [BLANK; CAPACITY], len: 0, truncated: false, depth: 0 })
    };
}

/// The trail of a poll set aside while a nested Think polls (see `nest`).
pub(crate) struct Saved(Trail);

/// Copies the trail out, for [`restore`].
pub(crate) fn save() -> Saved {
    Saved(TRAIL.with_borrow(|trail| *trail))
}

/// Puts back a trail [`save`] copied.
pub(crate) fn restore(saved: &Saved) {
    TRAIL.with_borrow_mut(|trail| *trail = saved.0);
}

/// Where a wrapping future's frame starts; give it back to [`leave`].
#[derive(Clone, Copy, Debug)]
#[must_use]
pub(crate) struct Mark(usize);

/// Empties the trail for a new poll.
#[inline]
pub(crate) fn reset() {
    TRAIL.with_borrow_mut(|trail| {
        trail.len = 0;
        trail.truncated = false;
        trail.depth = 0;
    });
}

/// Records a pending leaf at the current depth.
#[inline]
pub(crate) fn leaf(activity: Activity) {
    TRAIL.with_borrow_mut(|trail| trail.push(activity));
}

/// Pushes a wrapping future's frame; its children are recorded one level deeper until [`leave`].
#[inline]
pub(crate) fn enter(activity: Activity) -> Mark {
    TRAIL.with_borrow_mut(|trail| {
        let mark = Mark(trail.len);
        trail.push(activity);
        trail.depth = trail.depth.saturating_add(1);
        mark
    })
}

/// Ends a wrapping future's poll; if it completed, its frame and its children's go.
#[inline]
pub(crate) fn leave(mark: Mark, completed: bool) {
    TRAIL.with_borrow_mut(|trail| {
        trail.depth = trail.depth.saturating_sub(1);
        if completed && mark.0 < trail.len {
            trail.len = mark.0;
            trail.truncated = false;
        }
    });
}

/// Appends the trail's frames to `frames`; returns where they lie, and whether frames were
/// dropped for want of room.
pub(crate) fn append_to(frames: &mut Vec<ActivityFrame>) -> (Range<usize>, bool) {
    TRAIL.with_borrow(|trail| {
        let start = frames.len();
        frames.extend_from_slice(&trail.frames[..trail.len]);
        (start..frames.len(), trail.truncated)
    })
}

/// Copies the trail into `stack`; true if it changed.
#[cfg(test)]
fn store_into(stack: &mut ActivityStack) -> bool {
    TRAIL.with_borrow(|trail| stack.assign(&trail.frames[..trail.len], trail.truncated))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> String {
        let mut stack = ActivityStack::default();
        store_into(&mut stack);
        stack.to_string()
    }

    #[test]
    fn frames_nest_and_a_completed_frame_takes_its_children_along() {
        reset();
        let guard = enter(Activity::Label("guard"));
        let race = enter(Activity::Race);
        leaf(Activity::NextTick);
        leaf(Activity::Wait { until: 4 });
        leave(race, false);
        assert_eq!(stored(), "guard > race > next_tick | wait(until 4)");
        let errand = enter(Activity::Label("errand"));
        leaf(Activity::Goto(glam::IVec2::new(1, 2)));
        leave(errand, true);
        leave(guard, false);
        assert_eq!(stored(), "guard > race > next_tick | wait(until 4)");
        reset();
        assert_eq!(stored(), "");
    }

    #[test]
    fn frames_past_capacity_are_dropped_until_the_next_poll() {
        reset();
        let marks: Vec<Mark> = (0..10).map(|_| enter(Activity::Label("deep"))).collect();
        assert!(stored().ends_with("deep > deep > …"));
        for mark in marks.into_iter().rev() {
            leave(mark, true);
        }
        assert_eq!(stored(), "");
        reset();
    }
}
