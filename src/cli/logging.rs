//! Where the library's `tracing` output goes: stderr, filtered by `RUST_LOG`.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;

/// Installs a subscriber that writes to stderr what `RUST_LOG` asks for (`warn` and worse when
/// it is unset), e.g. `RUST_LOG=tickweave=debug` for every tick, poll and transition. With
/// `TICKWEAVE_LOG_FORMAT=json` each line is a JSON object.
pub fn install() {
    let filter = EnvFilter::builder()
        .with_default_directive(LevelFilter::WARN.into())
        .from_env_lossy();
    let json = std::env::var("TICKWEAVE_LOG_FORMAT").is_ok_and(|format| format == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = if json {
        builder.json().try_init()
    } else {
        builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init()
    };
    // Only fails if a subscriber is already installed, which then does the job.
    drop(installed);
}
