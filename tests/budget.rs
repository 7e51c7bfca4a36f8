//! No frozen tick: a behaviour whose awaits all complete at once is made to yield after
//! `POLL_BUDGET` of them, goes on in the next tick's poll, and is reported once; every other
//! unit's tick goes on as if it were not there.

use bevy_ecs::entity::Entity;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use tickweave::behaviors::POLL_BUDGET;
use tickweave::events::UnitEvent;
use tickweave::prelude::*;

/// Counts the turns of a loop.
#[derive(Clone, Default)]
struct Turns(Arc<AtomicU32>);

impl Turns {
    fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
    fn get(&self) -> u32 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Steps `ticks` ticks; returns the turns counted after each.
fn turns_per_tick(sim: &mut Simulation, turns: &Turns, ticks: u64) -> Vec<u32> {
    (0..ticks)
        .map(|_| {
            sim.step();
            turns.get()
        })
        .collect()
}

/// Every event of `unit` recorded so far, with its tick.
fn events_of(sim: &mut Simulation, unit: Entity) -> Vec<(u64, UnitEvent)> {
    let id = sim.unit_id(unit).unwrap();
    sim.event_log()
        .drain()
        .filter(|event| event.unit == id)
        .map(|event| (event.tick, event.event))
        .collect()
}

fn stack(sim: &Simulation, unit: Entity) -> String {
    sim.activity(unit).unwrap().to_string()
}

fn exhausted(yielded: &'static str) -> UnitEvent {
    UnitEvent::BudgetExhausted {
        budget: POLL_BUDGET,
        yielded,
    }
}

#[test]
fn a_loop_of_zero_waits_yields_after_the_budget_and_goes_on_next_tick() {
    let turns = Turns::default();
    let counted = turns.clone();
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let spinner = sim.spawn("spinner", ivec2(0, 0), async move {
        loop {
            wait(0).await;
            counted.add();
        }
    });
    let walker = sim.spawn("walker", ivec2(0, 0), goto(ivec2(3, 0)));
    assert_eq!(
        turns_per_tick(&mut sim, &turns, 3),
        [POLL_BUDGET, 2 * POLL_BUDGET, 3 * POLL_BUDGET]
    );
    assert_eq!(sim.state(spinner), Some(BehaviorState::Running));
    assert_eq!(stack(&sim, spinner), "next_tick");
    assert_eq!(events_of(&mut sim, spinner), [(1, exhausted("wait"))]);
    assert_eq!(sim.stats().budget_yields, 3);
    // The other unit's tick went on exactly as without the spinner.
    assert_eq!(sim.position(walker), Some(ivec2(3, 0)));
    sim.step();
    assert_eq!(sim.state(walker), Some(BehaviorState::Finished));
}

#[test]
fn a_loop_of_gotos_to_where_the_unit_stands_yields_after_the_budget() {
    let turns = Turns::default();
    let counted = turns.clone();
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let unit = sim.spawn("stayer", ivec2(2, 1), async move {
        loop {
            goto(unit::position()).await;
            counted.add();
        }
    });
    assert_eq!(
        turns_per_tick(&mut sim, &turns, 2),
        [POLL_BUDGET, 2 * POLL_BUDGET]
    );
    assert_eq!(sim.position(unit), Some(ivec2(2, 1)));
    assert_eq!(events_of(&mut sim, unit), [(1, exhausted("goto"))]);
}

#[test]
fn a_race_whose_goto_has_arrived_yields_at_the_race_after_the_budget() {
    let turns = Turns::default();
    let counted = turns.clone();
    let post = ivec2(3, 0);
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let unit = sim.spawn("sentry", ivec2(0, 0), async move {
        loop {
            let _ = race(goto(post), wait(4)).await;
            counted.add();
        }
    });
    // Walks for three ticks; from tick 4 on, each turn completes the goto and the race: two
    // awaits of the budget.
    assert_eq!(
        turns_per_tick(&mut sim, &turns, 5),
        [0, 0, 0, POLL_BUDGET / 2, POLL_BUDGET]
    );
    assert_eq!(sim.position(unit), Some(post));
    assert_eq!(stack(&sim, unit), "next_tick");
    assert_eq!(
        events_of(&mut sim, unit),
        [
            (1, UnitEvent::GotoIssued { cell: post }),
            (1, UnitEvent::WaitStarted { ticks: 4 }),
            (4, UnitEvent::GotoArrived { cell: post }),
            (4, exhausted("race")),
        ]
    );
    assert_eq!(sim.stats().budget_yields, 2);
}

#[test]
fn a_poll_may_complete_exactly_the_budget() {
    let finished_on = |awaits: u32| {
        let mut sim = Simulation::new(0);
        let unit = sim.spawn("u", ivec2(0, 0), async move {
            for _ in 0..awaits {
                wait(0).await;
            }
        });
        sim.step();
        let first = sim.state(unit);
        sim.step();
        (first, sim.state(unit), sim.stats().budget_yields)
    };
    use BehaviorState::{Finished, Running};
    assert_eq!(
        finished_on(POLL_BUDGET),
        (Some(Finished), Some(Finished), 0)
    );
    assert_eq!(
        finished_on(POLL_BUDGET + 1),
        (Some(Running), Some(Finished), 1)
    );
}

#[test]
fn an_await_that_would_be_pending_anyway_is_not_cut_by_a_spent_budget() {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let unit = sim.spawn("u", ivec2(0, 0), async {
        for _ in 0..POLL_BUDGET {
            wait(0).await;
        }
        wait(2).await; // the budget is spent, but this wait starts on tick 1 all the same
        goto(ivec2(1, 0)).await;
    });
    sim.run(2);
    assert_eq!(sim.position(unit), Some(ivec2(0, 0)));
    sim.step();
    assert_eq!(sim.position(unit), Some(ivec2(1, 0)));
    assert_eq!(
        events_of(&mut sim, unit),
        [
            (1, UnitEvent::WaitStarted { ticks: 2 }),
            (3, UnitEvent::WaitDone),
            (3, UnitEvent::GotoIssued { cell: ivec2(1, 0) }),
        ]
    );
    assert_eq!(sim.stats().budget_yields, 0);
}
