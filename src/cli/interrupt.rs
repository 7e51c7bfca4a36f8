//! Ctrl-C during a run: the first stops it at the end of the tick under way, so that every
//! output is complete up to there; a second stops the program at once.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the first Ctrl-C.
static REQUESTED: AtomicBool = AtomicBool::new(false);

/// The exit status of a run stopped by Ctrl-C: 128 + SIGINT, as a shell reports it.
pub const EXIT_STATUS: u8 = 130;

/// Takes over Ctrl-C (SIGINT, and SIGTERM on Unix) for the rest of the program. If that is not
/// possible, Ctrl-C keeps its default effect of ending the program at once.
pub fn install() {
    let installed = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            // The second time: the user does not want to wait for the tick to end.
            std::process::exit(i32::from(EXIT_STATUS));
        }
    });
    if let Err(error) = installed {
        tracing::warn!("Ctrl-C will end the run without finishing its outputs: {error}");
    }
}

/// Whether Ctrl-C has been pressed since [`install`].
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
