//! Runs the `tickweave` binary with a limit on its time, its memory and its output, the way a
//! careful user's shell would: whatever the input, the case must end within them.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// What a case may use.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Wall-clock time, after which the process is killed.
    pub seconds: u64,
    /// Address space, in MiB (`ulimit -v`): an allocation beyond it fails at once, so a case
    /// that tries to take gigabytes aborts instead of slowing the machine.
    pub memory_mib: u64,
    /// Bytes read from stdout and from stderr each; more is an error of the case.
    pub output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            seconds: 30,
            memory_mib: 512,
            output_bytes: 1 << 20,
        }
    }
}

/// How a limited run ended.
#[derive(Debug)]
pub struct Ended {
    /// The exit status; `None` if a signal ended it (e.g. an abort, or the time limit).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// It ran out of time and was killed.
    pub timed_out: bool,
    /// It wrote more than the output limit to stdout or stderr.
    pub too_much_output: bool,
    pub took: Duration,
}

/// Starts the binary with `args` in `dir` under `limits`: through `sh`, whose `ulimit -v`
/// sets the memory limit and whose `exec` then replaces it by the binary, so the process
/// waited for (and killed) is the binary itself.
pub fn start(dir: &Path, args: &[String], limits: Limits) -> Child {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {} && exec \"$0\" \"$@\"",
            limits.memory_mib * 1024
        ))
        .arg(env!("CARGO_BIN_EXE_tickweave"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh starts")
}

/// Waits for `child` within the time limit, reading at most the output limit of each stream.
pub fn finish(mut child: Child, limits: Limits) -> Ended {
    let started = Instant::now();
    let read = |stream: Option<Box<dyn Read + Send>>| {
        let cap = limits.output_bytes;
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let mut more = false;
            if let Some(stream) = stream {
                let mut limited = stream.take(cap as u64 + 1);
                limited.read_to_end(&mut bytes).ok();
                more = bytes.len() > cap;
                // Drain the rest so the process is never blocked on a full pipe.
                std::io::copy(&mut limited.into_inner(), &mut std::io::sink()).ok();
            }
            (String::from_utf8_lossy(&bytes).into_owned(), more)
        })
    };
    let stdout = read(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let stderr = read(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let deadline = started + Duration::from_secs(limits.seconds);
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the case can be waited for") {
            break status;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            child.kill().ok();
            break child.wait().expect("a killed case can be waited for");
        }
        thread::sleep(Duration::from_millis(5));
    };
    let took = started.elapsed();
    let (stdout, more_out) = stdout.join().expect("stdout is read");
    let (stderr, more_err) = stderr.join().expect("stderr is read");
    Ended {
        code: status.code(),
        stdout,
        stderr,
        timed_out,
        too_much_output: more_out || more_err,
        took,
    }
}

/// Runs the binary with `args` in `dir` under `limits`.
pub fn run(dir: &Path, args: &[String], limits: Limits) -> Ended {
    finish(start(dir, args, limits), limits)
}

/// The names in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}
