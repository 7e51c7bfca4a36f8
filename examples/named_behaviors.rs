//! A game registers its own behaviour and a scenario file uses it by name.
//!
//! The game registers `sentry`: stand at a post, look around for `watch` ticks, then walk to
//! the next post, forever. The scenario gives two listed units their posts and makes a group
//! of four whose posts are drawn at random from the group's area. Each tick prints where
//! everyone is; a misspelt parameter shows the error a designer would get.
#![allow(clippy::print_stdout, reason = "an example prints what happens")]

use tickweave::prelude::*;
use tickweave::scenario::{Arg, BehaviorRegistry, NamedBehavior, ParamKind, Scenario};

const SCENARIO: &str = r#"
Scenario(
    name: "sentries",
    units: [
        Unit(name: "north", position: (0, 5),
             behavior: Named("sentry", (posts: [(0, 5), (5, 5)], watch: 2))),
        Unit(name: "south", position: (0, -5),
             behavior: Named("sentry", (posts: [(0, -5), (-5, -5)]))),
    ],
    groups: [
        Group(name: "camp", count: 4, area: (from: (-3, -3), to: (3, 3)),
              behavior: Named("sentry", (posts: [Random, Random], watch: 1))),
    ],
)
"#;

fn registry() -> BehaviorRegistry {
    let mut registry = BehaviorRegistry::new();
    registry.register(
        NamedBehavior::new("sentry", |args| {
            let posts = args.cells("posts").to_vec();
            let watch = args.count("watch");
            async move {
                for post in posts.iter().cycle() {
                    goto(*post).await;
                    label("watch", wait(watch)).await;
                }
            }
        })
        .param("posts", ParamKind::Cells)
        .optional("watch", Arg::Count(3)),
    );
    registry
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let registry = registry();
    let scenario = Scenario::parse_with(SCENARIO, "sentries.ron", &registry)?;
    let mut sim = scenario.simulation(scenario.seed);
    for tick in 0..=8 {
        if tick > 0 {
            sim.step();
        }
        let cells: Vec<String> = sim
            .units()
            .iter()
            .map(|unit| format!("{} ({}, {})", unit.name, unit.position.x, unit.position.y))
            .collect();
        println!("tick {tick}: {}", cells.join(", "));
    }

    let typo = SCENARIO.replace("watch: 2", "wacth: 2");
    if let Err(error) = Scenario::parse_with(&typo, "sentries.ron", &registry) {
        println!("\nwith a typo:\n{error}");
    }
    Ok(())
}
