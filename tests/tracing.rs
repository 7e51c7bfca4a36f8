//! Transitions as `tracing` reports them, inside the `tick` and `poll` spans.
//!
//! Its own test binary: `tracing` caches per callsite whether anyone listens, for every thread at
//! once, so a test without a subscriber running beside this one could make it miss events.

use std::io::Write;
use std::sync::{Arc, Mutex};
use tickweave::prelude::*;

/// A `tracing` writer that appends to a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn tracing_reports_each_transition_inside_its_tick_and_poll_spans() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("tickweave=debug"))
        .with_writer(move || writer.clone())
        .without_time()
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let mut sim = Simulation::new(0);
        let unit = sim.spawn("u1", ivec2(0, 0), goto(ivec2(2, 0)));
        sim.run(3);
        sim.replace(unit, wait(1)).unwrap(); // the finished behaviour is not cancelled
        sim.run(2);
    });
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            r#"DEBUG tick{tick=1}:poll{id=0 unit="u1"}: tickweave::events: goto issued unit=#0 x=2 y=0"#,
            r#"DEBUG tick{tick=3}:poll{id=0 unit="u1"}: tickweave::events: goto arrived unit=#0 x=2 y=0"#,
            r#"DEBUG tick{tick=3}:poll{id=0 unit="u1"}: tickweave::events: behaviour completed unit=#0"#,
            r#"DEBUG tick{tick=4}:poll{id=0 unit="u1"}: tickweave::events: wait started unit=#0 ticks=1"#,
            r#"DEBUG tick{tick=5}:poll{id=0 unit="u1"}: tickweave::events: wait done unit=#0"#,
            r#"DEBUG tick{tick=5}:poll{id=0 unit="u1"}: tickweave::events: behaviour completed unit=#0"#,
        ]
    );
}

#[test]
fn a_behaviour_that_spends_its_poll_budget_is_warned_about_once_naming_its_unit_and_stack() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("tickweave=debug"))
        .with_writer(move || writer.clone())
        .without_time()
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let mut sim = Simulation::new(0);
        sim.spawn(
            "spinner",
            ivec2(0, 0),
            label("spin", async {
                loop {
                    wait(0).await;
                }
            }),
        );
        sim.run(3);
    });
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().filter(|line| line.contains("WARN")).collect();
    assert_eq!(lines.len(), 1, "{text}");
    let line = lines[0];
    assert!(line.starts_with(" WARN "), "{line}");
    for field in [
        r#"tick{tick=1}:poll{id=0 unit="spinner"}: "#,
        "unit=#0",
        r#"name="spinner""#,
        "tick=1",
        r#"activity="spin > next_tick""#,
        "budget=256",
        r#"yielded="wait""#,
    ] {
        assert!(line.contains(field), "{field} in {line}");
    }
}

#[test]
fn a_panicking_behaviour_is_logged_as_an_error_with_its_panic_beside_the_text() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("tickweave=error"))
        .with_writer(move || writer.clone())
        .without_time()
        .with_ansi(false)
        .finish();
    std::panic::set_hook(Box::new(|_| {}));
    tracing::subscriber::with_default(subscriber, || {
        let mut sim = Simulation::new(0);
        sim.spawn("doomed", ivec2(0, 0), async {
            next_tick().await;
            panic!("out of ammo");
        });
        sim.run(3);
    });
    let _ = std::panic::take_hook();
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let line = lines[0];
    assert!(line.starts_with("ERROR "), "{line}");
    for field in [
        "behaviour panicked; dropped it",
        "unit=#0",
        "panic=out of ammo",
        "tick=2",
    ] {
        assert!(line.contains(field), "{field} in {line}");
    }
}
