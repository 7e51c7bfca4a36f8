//! A Think nested in a poll — a behaviour that steps a simulation of its own, say to look
//! ahead — runs its polls on the same thread as the poll that called it. The enclosing poll's
//! scope is set aside for the nested Think and restored afterwards, also if it panics.

use super::context::{self, UnitContext};
use super::{emit, trail, view};

/// The enclosing poll's scope, restored when this is dropped.
pub(crate) struct SetAside {
    unit: UnitContext,
    view: Option<view::TickView>,
    trail: trail::Saved,
    recording: bool,
}

/// Sets aside the scope of the poll under way on this thread, if any: Think calls it before
/// installing its own.
pub(crate) fn set_aside_enclosing_poll() -> Option<SetAside> {
    let unit = context::suspend()?;
    Some(SetAside {
        unit,
        view: view::take(),
        trail: trail::save(),
        recording: emit::recording(),
    })
}

impl Drop for SetAside {
    fn drop(&mut self) {
        if let Some(view) = self.view.take() {
            view::install(view);
        }
        trail::restore(&self.trail);
        emit::set_recording(self.recording);
        context::resume(self.unit.clone());
    }
}
