//! Running the `tickweave` program from a test: its output, temporary files and traces.

#![allow(
    dead_code,
    reason = "each test binary uses its own subset of these helpers"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `tickweave` with `args`, without the caller's `RUST_LOG`.
pub fn tickweave(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tickweave"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("the tickweave binary runs")
}

/// Output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A path in a temporary directory of this test binary's own.
pub fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tickweave-{}-{}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A path as a command-line argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs `run` with `args` and `--trace FILE`; returns the trace's path.
pub fn trace(name: &str, args: &[&str]) -> PathBuf {
    let path = temp_path(name);
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend(["--trace", arg(&path)]);
    let output = tickweave(&all);
    assert!(output.status.success(), "{output:?}");
    path
}
