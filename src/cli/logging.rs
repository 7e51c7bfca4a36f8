//! Where the library's `tracing` output goes: stderr, filtered by `RUST_LOG`, and with
//! `run --profile` a timeline of the tick and poll spans.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use super::profile::ProfileLayer;

/// Installs a subscriber that writes to stderr what `RUST_LOG` asks for (`warn` and worse when
/// it is unset), e.g. `RUST_LOG=tickweave=debug` for every tick, poll and transition. With
/// `TICKWEAVE_LOG_FORMAT=json` each line is a JSON object. A `profile` layer, if given, is
/// installed beside it with a filter of its own, so that each gets only what it asked for.
pub fn install(profile: Option<ProfileLayer>) {
    let filter = EnvFilter::builder()
        .with_default_directive(LevelFilter::WARN.into())
        .from_env_lossy();
    let json = std::env::var("TICKWEAVE_LOG_FORMAT").is_ok_and(|format| format == "json");
    // Only fails if a subscriber is already installed, which then does the job.
    let installed = match profile {
        // Without a profile, one global filter: spans nobody wants are never even built.
        None => {
            let builder = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_writer(std::io::stderr);
            if json {
                builder.json().try_init()
            } else {
                builder
                    .with_ansi(std::io::stderr().is_terminal())
                    .try_init()
            }
            .is_ok()
        }
        Some(profile) => {
            let registry = tracing_subscriber::registry().with(profile);
            let stderr = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
            if json {
                registry.with(stderr.json().with_filter(filter)).try_init()
            } else {
                let stderr = stderr.with_ansi(std::io::stderr().is_terminal());
                registry.with(stderr.with_filter(filter)).try_init()
            }
            .is_ok()
        }
    };
    let _ = installed;
}
