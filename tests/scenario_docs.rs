//! Every example of docs/scenario-format.md is a valid scenario that runs.

use tickweave::prelude::*;
use tickweave::scenario::{Arg, BehaviorRegistry, NamedBehavior, ParamKind, Scenario};

/// The registry the reference's `Named` examples assume: the one it shows.
fn registry() -> BehaviorRegistry {
    let mut registry = BehaviorRegistry::new();
    registry.register(
        NamedBehavior::new("flee", |args| {
            let (from, distance) = (args.cell("from"), args.count("distance") as i32);
            async move {
                let away = (unit::position() - from).signum();
                goto(unit::position() + away * distance).await;
            }
        })
        .param("from", ParamKind::Cell)
        .param("distance", ParamKind::Count)
        .optional("shout", Arg::Flag(false)),
    );
    registry
}

/// The text of every ```ron block.
fn ron_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut block: Option<String> = None;
    for line in markdown.lines() {
        match (&mut block, line.trim_end()) {
            (None, "```ron") => block = Some(String::new()),
            (Some(text), "```") => {
                blocks.push(std::mem::take(text));
                block = None;
            }
            (Some(text), line) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn every_example_loads_and_runs() {
    let markdown = std::fs::read_to_string("docs/scenario-format.md").unwrap();
    let blocks = ron_blocks(&markdown);
    assert_eq!(blocks.len(), 18, "found {} examples", blocks.len());
    for block in blocks {
        let text = if block.trim_start().starts_with("//") || block.starts_with("Scenario(") {
            block.clone()
        } else {
            // A behaviour alone: give it to a unit, with someone to chase.
            format!(
                "Scenario(teams: [\"guards\", \"scouts\"], units: [
                    Unit(name: \"u\", team: \"guards\", position: (0, 0), behavior: {block}),
                    Unit(name: \"runner\", team: \"scouts\", position: (8, 8),
                         behavior: Wait(ticks: 10)),
                ])"
            )
        };
        let scenario = Scenario::parse_with(&text, "example.ron", &registry())
            .unwrap_or_else(|error| panic!("{error}\nin the example\n{block}"));
        if scenario.unit_count() <= 1_000 {
            scenario.simulation(scenario.seed).run(50);
        }
    }
}

#[test]
fn a_forever_repeat_of_nothing_still_ends_each_tick() {
    let text = "Scenario(units: [Unit(name: \"u\", position: (0, 0),
        behavior: Repeat(times: Forever, body: Wait(ticks: 0)))])";
    let mut sim = Scenario::parse(text, "t.ron").unwrap().simulation(0);
    sim.run(5);
    assert_eq!(sim.tick(), 5);
}
