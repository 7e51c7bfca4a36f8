//! The trace viewer in a real browser. `tickweave view` writes the skirmish's page; headless
//! Chromium, driven through chromedriver (WebDriver), opens it from disk, goes to a tick with
//! the tick box and the arrow key, clicks a unit where the page draws it, and reads the unit
//! panel: it must show exactly the cell and activity stack `tickweave inspect` prints for that
//! unit and tick, the event list exactly `inspect`'s events of that tick, and the browser's
//! console no error.
//!
//! It runs when `chromium` and `chromedriver` are on the PATH (Debian: `apt-get install chromium
//! chromium-driver`; `CHROMIUM` and `CHROMEDRIVER` name other binaries). Without them it says so
//! and passes, unless `TICKWEAVE_BROWSER_TESTS=require` (CI sets it), which makes their absence
//! a failure. `TICKWEAVE_VIEWER_SCREENSHOT=docs/viewer.png` also saves the screenshot the README
//! shows: the skirmish at its first catch.

#![allow(
    clippy::print_stderr,
    reason = "says when it was skipped, how long the page took and where the screenshot went"
)]

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/binary.rs"]
mod binary;
use binary::{arg, temp_path, text, tickweave};

/// The unit and tick the test clicks: a guard in the middle of a chase, its stack deep.
const UNIT: &str = "north";
const TICK: u64 = 11;

/// A program: `variable` if set, else `name` found on the PATH.
fn program(variable: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// One row of `inspect --unit UNIT --ticks TICK`: the unit's cell and what it was doing.
fn inspect_row(trace: &Path, unit: &str, tick: u64) -> (String, String) {
    let output = tickweave(&[
        "inspect",
        arg(trace),
        "--unit",
        unit,
        "--ticks",
        &tick.to_string(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let stdout = text(&output.stdout);
    let row = stdout
        .lines()
        .find_map(|line| line.strip_prefix("  ")?.strip_prefix(unit))
        .unwrap_or_else(|| panic!("no row of {unit}:\n{stdout}"));
    // name, #id, cell, then the activity (which has spaces of its own).
    let row = row.trim_start();
    let (_id, row) = row.split_once(' ').unwrap();
    let row = row.trim_start();
    let (cell, activity) = row.split_once(' ').unwrap();
    (cell.to_owned(), activity.trim().to_owned())
}

/// The `·` lines of `inspect --ticks TICK`: the tick's events.
fn inspect_events(trace: &Path, tick: u64) -> Vec<String> {
    let output = tickweave(&["inspect", arg(trace), "--ticks", &tick.to_string()]);
    assert!(output.status.success(), "{output:?}");
    text(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix("  · "))
        .map(str::to_owned)
        .collect()
}

/// The first tick on which a chase caught its target, and the chaser.
fn first_catch(trace: &Path) -> (u64, String) {
    let trace = std::fs::read_to_string(trace).unwrap();
    trace
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|record| record["event"] == "chase_caught")
        .map(|record| {
            (
                record["tick"].as_u64().unwrap(),
                record["unit"].as_str().unwrap().to_owned(),
            )
        })
        .expect("the skirmish has a catch")
}

/// chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(chromedriver: &Path) -> Driver {
        let mut child = Command::new(chromedriver)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        // "ChromeDriver was started successfully on port 41237."
        let port = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                let (_, port) = line.split_once("started successfully on port ")?;
                port.trim_end_matches('.').trim().parse().ok()
            })
            .expect("chromedriver says its port");
        // Keep reading what it prints, so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// chromedriver's command for the browser's console log (not in the WebDriver standard).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

async fn wait_until_ready(client: &Client) {
    let started = Instant::now();
    loop {
        let ready = client
            .execute("return document.body.dataset.ready === 'true';", vec![])
            .await
            .unwrap();
        if ready == Value::Bool(true) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the page never got ready"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn current_tick(client: &Client) -> u64 {
    let tick = client
        .execute("return window.tickweave.tick();", vec![])
        .await
        .unwrap();
    tick.as_u64().unwrap()
}

/// Goes to `tick` as a person would: the tick box, then → for the last tick.
async fn go_to_tick(client: &Client, tick: u64) {
    let input = client.find(Locator::Css("#tick-input")).await.unwrap();
    input.clear().await.unwrap();
    input
        .send_keys(&format!("{}{}", tick - 1, char::from(Key::Enter)))
        .await
        .unwrap();
    assert_eq!(current_tick(client).await, tick - 1);
    let grid = client.find(Locator::Css("#grid")).await.unwrap();
    grid.send_keys(&char::from(Key::Right).to_string())
        .await
        .unwrap();
    assert_eq!(current_tick(client).await, tick);
}

/// Clicks, with the mouse, the centre of `cell` (written `(x,y)`) where the page draws it.
async fn click_cell(client: &Client, cell: &str) {
    let (x, y) = cell
        .trim_matches(|c| c == '(' || c == ')')
        .split_once(',')
        .unwrap();
    let point = client
        .execute(
            "return window.tickweave.clientPoint(arguments[0], arguments[1]);",
            vec![
                json!(x.parse::<i64>().unwrap()),
                json!(y.parse::<i64>().unwrap()),
            ],
        )
        .await
        .unwrap();
    let (px, py) = (point["x"].as_f64().unwrap(), point["y"].as_f64().unwrap());
    let mouse = MouseActions::new("mouse".to_owned())
        .then(PointerAction::MoveTo {
            duration: None,
            x: px.round(),
            y: py.round(),
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    client.perform_actions(mouse).await.unwrap();
}

async fn drive(page: &Path, trace: &Path, chromium: &Path, driver: &Driver) {
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--hide-scrollbars", "--force-device-scale-factor=1",
            ],
        },
        "goog:loggingPrefs": {"browser": "ALL"},
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session");
    let url = url::Url::from_file_path(page.canonicalize().unwrap()).unwrap();
    client.goto(url.as_str()).await.unwrap();
    wait_until_ready(&client).await;
    let load_ms = client
        .execute("return document.body.dataset.loadMs;", vec![])
        .await
        .unwrap();
    eprintln!(
        "the page was ready in {} ms",
        load_ms.as_str().unwrap_or("?")
    );

    // Space plays and pauses; the page starts at the trace's first tick.
    assert_eq!(current_tick(&client).await, 0);
    let grid = client.find(Locator::Css("#grid")).await.unwrap();
    grid.send_keys(" ").await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    grid.send_keys(" ").await.unwrap();
    let played = current_tick(&client).await;
    assert!(played > 0, "space played the trace");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(current_tick(&client).await, played, "space paused it");

    go_to_tick(&client, TICK).await;
    let (cell, activity) = inspect_row(trace, UNIT, TICK);
    click_cell(&client, &cell).await;
    assert_eq!(text_of(&client, "#unit-name").await, UNIT);
    assert_eq!(text_of(&client, "#unit-cell").await, cell);
    assert_eq!(text_of(&client, "#unit-activity").await, activity);
    assert_eq!(text_of(&client, "#unit-state").await, "active");

    // The tick's events, exactly as `inspect` lists them; then only one kind.
    let listed = client
        .find_all(Locator::Css("#event-list li"))
        .await
        .unwrap();
    let mut lines = Vec::new();
    for item in listed {
        lines.push(item.text().await.unwrap());
    }
    assert_eq!(lines, inspect_events(trace, TICK));
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("north chase_started")),
        "{lines:?}"
    );
    let kind = client.find(Locator::Css("#event-kind")).await.unwrap();
    kind.select_by_value("chase_started").await.unwrap();
    let listed = client
        .find_all(Locator::Css("#event-list li"))
        .await
        .unwrap();
    assert!(!listed.is_empty());
    for item in listed {
        assert_eq!(
            item.attr("data-kind").await.unwrap().as_deref(),
            Some("chase_started")
        );
    }
    kind.select_by_value("").await.unwrap();

    // The panel follows the tick: one tick on, the row `inspect` prints for it.
    grid.send_keys(&char::from(Key::Right).to_string())
        .await
        .unwrap();
    let (cell, activity) = inspect_row(trace, UNIT, TICK + 1);
    assert_eq!(text_of(&client, "#unit-cell").await, cell);
    assert_eq!(text_of(&client, "#unit-activity").await, activity);

    if let Some(path) = std::env::var_os("TICKWEAVE_VIEWER_SCREENSHOT") {
        let (tick, chaser) = first_catch(trace);
        go_to_tick(&client, tick).await;
        let (cell, _) = inspect_row(trace, &chaser, tick);
        click_cell(&client, &cell).await;
        assert_eq!(text_of(&client, "#unit-name").await, chaser);
        let png = client.screenshot().await.unwrap();
        std::fs::write(&path, png).unwrap();
        eprintln!(
            "screenshot of tick {tick} ({chaser} catches) in {}",
            Path::new(&path).display()
        );
    }

    let log = client.issue_cmd(BrowserLog).await.unwrap();
    let errors: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["level"] == "SEVERE")
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    client.close().await.unwrap();
}

#[test]
fn the_page_shows_what_inspect_prints_for_the_unit_clicked() {
    let (Some(chromium), Some(chromedriver)) = (
        program("CHROMIUM", "chromium"),
        program("CHROMEDRIVER", "chromedriver"),
    ) else {
        let required =
            std::env::var("TICKWEAVE_BROWSER_TESTS").is_ok_and(|value| value == "require");
        assert!(
            !required,
            "TICKWEAVE_BROWSER_TESTS=require, but chromium and chromedriver are not both on the \
             PATH (Debian: apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: no chromium and chromedriver on the PATH");
        return;
    };
    let trace = temp_path("skirmish.jsonl");
    let output = tickweave(&["run", "--trace", arg(&trace)]);
    assert!(output.status.success(), "{output:?}");
    let page = temp_path("skirmish.html");
    let output = tickweave(&["view", arg(&trace), "-o", arg(&page)]);
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"));

    let driver = Driver::start(&chromedriver);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(drive(&page, &trace, &chromium, &driver));
}
