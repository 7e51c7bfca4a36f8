//! `tickweave check`: validate a scenario and summarise it in one paragraph.

use std::collections::BTreeMap;
use std::io::Write;

use super::CliError;
use super::args::CheckArgs;
use tickweave::scenario::Scenario;

/// Checks the scenario named by `args`; prints a summary, or fails with every problem found.
pub fn check(args: &CheckArgs) -> Result<(), CliError> {
    let scenario = Scenario::load(&args.scenario).map_err(CliError::input)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}",
        summary(&args.scenario.display().to_string(), &scenario)
    )
    .map_err(CliError::output)
}

/// One paragraph: where, how many units, in which teams, doing what, for how long.
fn summary(origin: &str, scenario: &Scenario) -> String {
    let total = scenario.unit_count();
    let listed = scenario.units.len() as u64;
    let groups = scenario.groups.len();
    // Teams in the order the file lists them, then the units of none.
    const NONE: u32 = u32::MAX;
    let mut teams: BTreeMap<u32, u64> = BTreeMap::new();
    for unit in &scenario.units {
        *teams
            .entry(unit.team.map_or(NONE, |team| team.0))
            .or_default() += 1;
    }
    for group in &scenario.groups {
        *teams
            .entry(group.team.map_or(NONE, |team| team.0))
            .or_default() += group.count;
    }
    let teams: Vec<String> = teams
        .iter()
        .map(|(team, count)| {
            let name = match *team {
                NONE => "none",
                team => &scenario.teams[team as usize],
            };
            format!("{name} {}", units(*count))
        })
        .collect();
    let behaviors: Vec<String> = scenario
        .behavior_counts()
        .iter()
        .map(|(kind, count)| format!("{kind} {}", units(*count)))
        .collect();
    let generated = format!(
        "generated in {groups} {}",
        if groups == 1 { "group" } else { "groups" }
    );
    let origins = match (listed, groups) {
        (_, 0) => "all listed".to_owned(),
        (0, _) => format!("all {generated}"),
        _ => format!("{listed} listed, {} {generated}", total - listed),
    };
    let teams = if scenario.teams.is_empty() {
        "no teams".to_owned()
    } else {
        format!("teams: {}", teams.join(", "))
    };
    format!(
        "{origin}: valid scenario \"{}\": {}, {origins}; {teams}; behaviours: {}; runs {} \
         ticks from seed {}{}.",
        scenario.name,
        units(total),
        behaviors.join(", "),
        scenario.ticks,
        scenario.seed,
        if scenario.needs_sensing() {
            ", with sensing on"
        } else {
            ""
        },
    )
}

fn units(count: u64) -> String {
    if count == 1 {
        "1 unit".into()
    } else {
        format!("{count} units")
    }
}
