//! Ctrl-C, and the signals that ask a program to end (SIGTERM, as `timeout` or a job scheduler
//! sends it, and SIGHUP, as a closed terminal does): during a run or a sweep, the first stops it
//! at the end of the tick under way, so that every output is complete up to there; a second
//! stops the program at once. Any other command that writes a file stops at once too.
//!
//! Stopping at once is not dying of the signal: every temporary output file is removed first,
//! so that the paths are left as they were (see [`output_file`](super::output_file)).

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use super::output_file;

/// Set by the first signal.
static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Set by [`install`]: the command looks at [`requested`] between ticks, so the first signal
/// may wait for it.
static GRACEFUL: AtomicBool = AtomicBool::new(false);

/// The handler is installed once for the program's life.
static INSTALLED: Once = Once::new();

/// The exit status of a run stopped by a signal: 128 + SIGINT, as a shell reports Ctrl-C. The
/// handler is not told which signal came, so SIGTERM and SIGHUP end with it too.
pub const EXIT_STATUS: u8 = 130;

/// Takes over the signals for a command that stops between ticks when [`requested`] says so:
/// the first signal asks it to, a second stops the program at once.
pub fn install() {
    GRACEFUL.store(true, Ordering::SeqCst);
    guard_outputs();
}

/// Takes over the signals for the rest of the program, so that one stops it at once with its
/// temporary output files removed (not left beside their paths). Called before the first
/// temporary file is created; calling it again does nothing. If the signals cannot be taken
/// over, they keep their default effect of ending the program at once.
pub fn guard_outputs() {
    INSTALLED.call_once(|| {
        if let Err(error) = ctrlc::set_handler(on_signal) {
            tracing::warn!(
                "Ctrl-C will end the program without finishing or removing its outputs: {error}"
            );
        }
    });
}

/// Runs on the handler's own thread, not in the signal's context, so it may take locks and
/// remove files.
fn on_signal() {
    let first = !REQUESTED.swap(true, Ordering::SeqCst);
    if first && GRACEFUL.load(Ordering::SeqCst) {
        return;
    }
    // The second time, or a command that cannot stop part-way: the user does not want to wait.
    output_file::remove_temporaries_and_exit(i32::from(EXIT_STATUS));
}

/// Whether a signal has come since [`install`].
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
