//! The live activity stack: what a unit's behaviour is awaiting right now, as nested labels.

use glam::IVec2;
use std::fmt;

use super::{Motion, UnitId};

/// One thing a behaviour can be awaiting. `Copy` and small, so recording it never allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Activity {
    /// A step a user or a built-in behaviour named with [`label`](crate::behaviors::label).
    Label(&'static str),
    /// Walking to a cell.
    Goto(IVec2),
    /// Patrolling a route.
    Patrol,
    /// Waiting until this tick of the behaviour's clock.
    Wait {
        /// The tick it resumes on.
        until: u64,
    },
    /// Yielding until the next tick.
    NextTick,
    /// Re-checking a condition each tick.
    WaitUntil,
    /// Waiting for a signal of the named type (its short name, e.g. `Alarm`).
    Receive(&'static str),
    /// The first of several futures to finish wins.
    Race,
    /// Every one of several futures must finish.
    Join,
    /// A future with a deadline on this tick of the behaviour's clock.
    Timeout {
        /// The tick it gives up on.
        until: u64,
    },
    /// Repeating a body; this is its iteration (0-based).
    Repeat {
        /// Current iteration.
        iteration: u64,
    },
    /// Chasing another unit.
    Chase(UnitId),
    /// Looking out for a unit of another team within this many steps.
    Lookout {
        /// How far it looks.
        radius: u32,
    },
    /// Waiting for Act to apply a write (e.g. `spawn`, `modify`), to learn its result.
    Applying(&'static str),
    /// The behaviour is pre-empted by an interrupt (e.g. a stun) and resumes after it.
    Interrupted,
}

impl fmt::Display for Activity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Activity::Label(name) => f.write_str(name),
            Activity::Goto(cell) => write!(f, "goto({},{})", cell.x, cell.y),
            Activity::Patrol => f.write_str("patrol"),
            Activity::Wait { until } => write!(f, "wait(until {until})"),
            Activity::NextTick => f.write_str("next_tick"),
            Activity::WaitUntil => f.write_str("wait_until"),
            Activity::Receive(kind) => write!(f, "receive({kind})"),
            Activity::Race => f.write_str("race"),
            Activity::Join => f.write_str("join"),
            Activity::Timeout { until } => write!(f, "timeout(until {until})"),
            Activity::Repeat { iteration } => write!(f, "repeat#{iteration}"),
            Activity::Chase(unit) => write!(f, "chase({unit})"),
            Activity::Lookout { radius } => write!(f, "enemy_in_sight({radius})"),
            Activity::Applying(write) => write!(f, "apply({write})"),
            Activity::Interrupted => f.write_str("interrupted"),
        }
    }
}

/// An activity and how deeply it is nested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActivityFrame {
    /// 0 for the outermost activity; children of a frame are one deeper.
    pub depth: u8,
    /// What is awaited.
    pub activity: Activity,
}

/// What a unit is awaiting right now, outermost first, e.g. `guard > pursue > chase(#4)`: its
/// [`Behavior::activity`](super::Behavior::activity). Use [`ActivityStack::with_motion`] to show
/// the waypoint a patrol heads for (`guard > patrol > goto(5,0)`).
///
/// Rebuilt by every poll of the unit's behaviour from the futures that are still pending, so a
/// race's loser, a cancelled behaviour or a finished step disappears from it by construction.
/// Siblings awaited together (a race, a join) are separated by ` | `. At most
/// [`ActivityStack::CAPACITY`] frames are kept (deeper ones are shown as `…`); the frames' buffer
/// keeps its capacity, so once a unit has been as deep as it gets, recording it never allocates.
#[derive(Clone, Debug, Default)]
pub struct ActivityStack {
    frames: Frames,
}

impl ActivityStack {
    /// How many frames are kept.
    pub const CAPACITY: usize = 8;

    /// Nothing awaited.
    pub const EMPTY: ActivityStack = ActivityStack {
        frames: Frames::Empty,
    };

    /// The frames, outermost first.
    pub fn frames(&self) -> impl Iterator<Item = ActivityFrame> + '_ {
        let (one, many) = self.frames.parts();
        one.into_iter().chain(many.iter().copied())
    }

    /// True if nothing is awaited (not started, finished, or cancelled).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn len(&self) -> usize {
        let (one, many) = self.frames.parts();
        usize::from(one.is_some()) + many.len()
    }

    fn last(&self) -> Option<ActivityFrame> {
        let (one, many) = self.frames.parts();
        many.last().copied().or(one)
    }

    /// True if frames beyond [`Self::CAPACITY`] were dropped.
    pub fn is_truncated(&self) -> bool {
        self.frames
            .spilled()
            .is_some_and(|(_, truncated)| truncated)
    }

    pub(crate) fn clear(&mut self) {
        self.frames.set(&[], false);
    }

    #[cfg(test)]
    pub(crate) fn push(&mut self, frame: ActivityFrame) {
        let mut frames: Vec<ActivityFrame> = self.frames().collect();
        if frames.len() < Self::CAPACITY {
            frames.push(frame);
            self.frames.set(&frames, self.is_truncated());
        } else {
            self.frames.set(&frames, true);
        }
    }

    #[cfg(test)]
    pub(crate) fn truncate(&mut self, len: usize) {
        let frames: Vec<ActivityFrame> = self.frames().collect();
        if len < frames.len() {
            self.frames.set(&frames[..len], false);
        }
    }

    /// Makes `frames` (and `truncated`) the stack, without allocating once `self` has the
    /// capacity; reports whether anything changed.
    ///
    /// Labels are compared by address, not by text: the same `label` call site always passes the
    /// same string, and comparing text would cost a `memcmp` per label per poll. Two equal texts
    /// at different addresses merely count as a change.
    pub(crate) fn assign(&mut self, frames: &[ActivityFrame], truncated: bool) -> bool {
        let unchanged = match (&self.frames, frames) {
            (Frames::Empty, []) => !truncated,
            (Frames::One(current), [frame]) => {
                !truncated && frame.is_same(&ActivityFrame::outermost(current.activity()))
            }
            _ => self
                .frames
                .spilled()
                .is_some_and(|(spilled, was_truncated)| {
                    was_truncated == truncated
                        && spilled.len() == frames.len()
                        && spilled.iter().zip(frames).all(|(a, b)| a.is_same(b))
                }),
        };
        if unchanged {
            return false;
        }
        self.frames.set(frames, truncated);
        true
    }
}

impl ActivityStack {
    /// The stack with the waypoint a patrol is walking to, which the movement system changes
    /// without polling the behaviour: `guard > patrol > goto(5,0)` rather than `guard > patrol`.
    pub fn with_motion<'a>(&'a self, motion: &'a Motion) -> impl fmt::Display + 'a {
        WithMotion {
            stack: self,
            motion,
        }
    }
}

struct WithMotion<'a> {
    stack: &'a ActivityStack,
    motion: &'a Motion,
}

impl fmt::Display for WithMotion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.stack)?;
        let ends_in_patrol = matches!(
            self.stack.last(),
            Some(ActivityFrame {
                activity: Activity::Patrol,
                ..
            })
        );
        if ends_in_patrol && let Some(target) = self.motion.target() {
            write!(f, " > {}", Activity::Goto(target))?;
        }
        Ok(())
    }
}

impl ActivityFrame {
    /// `activity` as the outermost frame.
    #[inline]
    fn outermost(activity: Activity) -> Self {
        ActivityFrame { depth: 0, activity }
    }

    /// Equal, comparing names by address (see [`ActivityStack::assign`]).
    #[inline]
    fn is_same(&self, other: &ActivityFrame) -> bool {
        self.depth == other.depth
            && match (&self.activity, &other.activity) {
                (Activity::Label(a), Activity::Label(b))
                | (Activity::Receive(a), Activity::Receive(b))
                | (Activity::Applying(a), Activity::Applying(b)) => std::ptr::eq(*a, *b),
                (a, b) => a == b,
            }
    }
}

impl fmt::Display for ActivityStack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut previous: Option<u8> = None;
        for frame in self.frames() {
            match previous {
                None => {}
                Some(depth) if frame.depth > depth => f.write_str(" > ")?,
                Some(_) => f.write_str(" | ")?,
            }
            write!(f, "{}", frame.activity)?;
            previous = Some(frame.depth);
        }
        if self.is_truncated() {
            f.write_str(" > …")?;
        }
        Ok(())
    }
}

impl PartialEq for ActivityStack {
    fn eq(&self, other: &Self) -> bool {
        self.is_truncated() == other.is_truncated() && self.frames().eq(other.frames())
    }
}

impl Eq for ActivityStack {}

impl std::hash::Hash for ActivityStack {
    /// The frames as a slice, then whether they were truncated: the checksum hashes stacks, so
    /// this must not change with how they are stored.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_usize(self.len());
        for frame in self.frames() {
            frame.hash(state);
        }
        self.is_truncated().hash(state);
    }
}

/// The frames of a stack. Most units await one thing at a time (a patrol, a wait), so one
/// outermost frame is kept in place if it carries no name (so that the whole is 16 bytes: a
/// name is a 16-byte `&str`), and other stacks spill to a buffer of a few frames or of every
/// frame kept, which then keeps its capacity: a unit allocates nothing until it first awaits
/// two things at once, or one named thing (a lone `label`, `receive` or write), and at most once
/// more, for a stack deeper than a few. A buffer is one block, frames and length together, so
/// that writing back a poll's trail reads one cache line to find them.
#[derive(Clone, Debug, Default)]
enum Frames {
    #[default]
    Empty,
    /// One frame, at depth 0.
    One(Unnamed),
    Few(Box<Spilled<FEW>>),
    Many(Box<Spilled<{ ActivityStack::CAPACITY }>>),
}

/// Frames a small buffer holds.
const FEW: usize = 4;

/// An [`Activity`] that carries no name, in 16 bytes.
#[derive(Clone, Copy, Debug)]
enum Unnamed {
    Goto(IVec2),
    Patrol,
    Wait { until: u64 },
    NextTick,
    WaitUntil,
    Race,
    Join,
    Timeout { until: u64 },
    Repeat { iteration: u64 },
    Chase(UnitId),
    Lookout { radius: u32 },
    Interrupted,
}

impl Unnamed {
    /// `activity`, unless it carries a name.
    #[inline]
    fn of(activity: Activity) -> Option<Unnamed> {
        Some(match activity {
            Activity::Goto(cell) => Unnamed::Goto(cell),
            Activity::Patrol => Unnamed::Patrol,
            Activity::Wait { until } => Unnamed::Wait { until },
            Activity::NextTick => Unnamed::NextTick,
            Activity::WaitUntil => Unnamed::WaitUntil,
            Activity::Race => Unnamed::Race,
            Activity::Join => Unnamed::Join,
            Activity::Timeout { until } => Unnamed::Timeout { until },
            Activity::Repeat { iteration } => Unnamed::Repeat { iteration },
            Activity::Chase(unit) => Unnamed::Chase(unit),
            Activity::Lookout { radius } => Unnamed::Lookout { radius },
            Activity::Interrupted => Unnamed::Interrupted,
            Activity::Label(_) | Activity::Receive(_) | Activity::Applying(_) => return None,
        })
    }

    #[inline]
    fn activity(self) -> Activity {
        match self {
            Unnamed::Goto(cell) => Activity::Goto(cell),
            Unnamed::Patrol => Activity::Patrol,
            Unnamed::Wait { until } => Activity::Wait { until },
            Unnamed::NextTick => Activity::NextTick,
            Unnamed::WaitUntil => Activity::WaitUntil,
            Unnamed::Race => Activity::Race,
            Unnamed::Join => Activity::Join,
            Unnamed::Timeout { until } => Activity::Timeout { until },
            Unnamed::Repeat { iteration } => Activity::Repeat { iteration },
            Unnamed::Chase(unit) => Activity::Chase(unit),
            Unnamed::Lookout { radius } => Activity::Lookout { radius },
            Unnamed::Interrupted => Activity::Interrupted,
        }
    }
}

/// The frames of a stack that once held more than one (or one with a name), up to `N`.
#[derive(Clone, Debug)]
struct Spilled<const N: usize> {
    len: u8,
    truncated: bool,
    frames: [ActivityFrame; N],
}

impl<const N: usize> Spilled<N> {
    /// What fills the frames beyond `len`.
    const UNUSED: ActivityFrame = ActivityFrame {
        depth: 0,
        activity: Activity::NextTick,
    };

    /// A buffer holding `frames`, at most `N` of them.
    fn of(frames: &[ActivityFrame], truncated: bool) -> Box<Self> {
        let mut spilled = Box::new(Spilled {
            len: 0,
            truncated,
            frames: [Self::UNUSED; N],
        });
        spilled.set(frames, truncated);
        spilled
    }

    fn frames(&self) -> &[ActivityFrame] {
        &self.frames[..usize::from(self.len)]
    }

    /// Makes `frames`, at most `N` of them, what it holds.
    fn set(&mut self, frames: &[ActivityFrame], truncated: bool) {
        self.frames[..frames.len()].copy_from_slice(frames);
        self.len = frames.len() as u8;
        self.truncated = truncated;
    }
}

impl Frames {
    /// The frames: a frame in place, or the spilled ones.
    #[inline]
    fn parts(&self) -> (Option<ActivityFrame>, &[ActivityFrame]) {
        match self {
            Frames::Empty => (None, &[]),
            Frames::One(activity) => (Some(ActivityFrame::outermost(activity.activity())), &[]),
            Frames::Few(spilled) => (None, spilled.frames()),
            Frames::Many(spilled) => (None, spilled.frames()),
        }
    }

    /// The frames of a spilled stack, and whether frames were dropped for want of room.
    #[inline]
    fn spilled(&self) -> Option<(&[ActivityFrame], bool)> {
        match self {
            Frames::Few(spilled) => Some((spilled.frames(), spilled.truncated)),
            Frames::Many(spilled) => Some((spilled.frames(), spilled.truncated)),
            Frames::Empty | Frames::One(_) => None,
        }
    }

    fn set(&mut self, frames: &[ActivityFrame], truncated: bool) {
        // A trail is never longer than a stack keeps; were it, its end would go.
        let (frames, truncated) = match frames.get(..ActivityStack::CAPACITY) {
            Some(kept) if kept.len() < frames.len() => (kept, true),
            _ => (frames, truncated),
        };
        match (self, frames) {
            (Frames::Many(spilled), _) => spilled.set(frames, truncated),
            (Frames::Few(spilled), _) if frames.len() <= FEW => spilled.set(frames, truncated),
            (this @ Frames::Few(_), _) => *this = Frames::Many(Spilled::of(frames, truncated)),
            (this, []) if !truncated => *this = Frames::Empty,
            (this, [frame])
                if !truncated
                    && frame.depth == 0
                    && let Some(activity) = Unnamed::of(frame.activity) =>
            {
                *this = Frames::One(activity);
            }
            (this, _) if frames.len() <= FEW => *this = Frames::Few(Spilled::of(frames, truncated)),
            (this, _) => *this = Frames::Many(Spilled::of(frames, truncated)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(depth: u8, activity: Activity) -> ActivityFrame {
        ActivityFrame { depth, activity }
    }

    #[test]
    fn nesting_reads_outermost_first_and_siblings_are_separated() {
        let mut stack = ActivityStack::default();
        stack.push(frame(0, Activity::Label("guard")));
        stack.push(frame(1, Activity::Race));
        stack.push(frame(2, Activity::Chase(UnitId(3))));
        stack.push(frame(2, Activity::Label("lost_sight")));
        stack.push(frame(3, Activity::NextTick));
        assert_eq!(
            stack.to_string(),
            "guard > race > chase(#3) | lost_sight > next_tick"
        );
        stack.truncate(2);
        assert_eq!(stack.to_string(), "guard > race");
    }

    #[test]
    fn frames_beyond_capacity_are_marked() {
        let mut stack = ActivityStack::default();
        for depth in 0..10 {
            stack.push(frame(depth, Activity::Label("deep")));
        }
        assert!(stack.is_truncated());
        assert!(stack.to_string().ends_with("deep > …"));
    }

    #[test]
    fn a_stack_is_16_bytes_and_a_lone_named_frame_spills() {
        assert_eq!(std::mem::size_of::<ActivityStack>(), 16);
        for activity in [
            Activity::Patrol,
            Activity::Wait { until: 7 },
            Activity::Chase(UnitId(3)),
            Activity::Label("guard"),
            Activity::Receive("Alarm"),
        ] {
            let mut stack = ActivityStack::default();
            assert!(stack.assign(&[ActivityFrame::outermost(activity)], false));
            assert!(!stack.assign(&[ActivityFrame::outermost(activity)], false));
            assert_eq!(stack.frames().collect::<Vec<_>>(), [frame(0, activity)]);
            let spilled = matches!(stack.frames, Frames::Few(_) | Frames::Many(_));
            assert_eq!(spilled, Unnamed::of(activity).is_none(), "{activity}");
        }
    }
}
