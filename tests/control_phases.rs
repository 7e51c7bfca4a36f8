//! Every control, issued from every phase of a tick, from a game's own `World` and `Schedule`:
//! it takes effect at the documented point, never in the middle of a poll.
//!
//! The rule: a control issued before Think of tick `t` first changes tick `t`; issued later in
//! tick `t` (between Think and Act, from an observer or a command applied in Act, after Act) it
//! first changes tick `t + 1`. So each run is compared with the same control issued between
//! ticks just before the first tick it changes — the plain case `tests/control.rs` pins down
//! cell by cell — and a few runs are checked cell by cell here too.

use bevy_ecs::event::Event;
use bevy_ecs::message::Messages;
use bevy_ecs::observer::On;
use bevy_ecs::prelude::{Commands, IntoScheduleConfigs, Res, Resource};
use bevy_ecs::schedule::Schedule;
use bevy_ecs::world::World;
use tickweave::control::{self, ControlCommands};
use tickweave::events::{EventLog, UnitEvent};
use tickweave::prelude::*;
use tickweave::systems::Tick;

/// Where in a tick the game issues a control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// With the `World`, after one tick's schedule has run and before the next.
    BetweenTicks,
    /// An exclusive system after Sense, before Think.
    BeforeThink,
    /// An ordinary system in Sense, through `Commands`.
    CommandsInSense,
    /// An exclusive system after Think, before Act.
    BetweenThinkAndAct,
    /// An ordinary system after Think, before Act, through `Commands`.
    CommandsBetweenThinkAndAct,
    /// An observer of an event a behaviour triggered, run in Act.
    Observer,
    /// An exclusive system in Observe.
    AfterAct,
    /// An ordinary system in Observe, through `Commands`.
    CommandsAfterAct,
}

impl Phase {
    const ALL: [Phase; 8] = [
        Phase::BetweenTicks,
        Phase::BeforeThink,
        Phase::CommandsInSense,
        Phase::BetweenThinkAndAct,
        Phase::CommandsBetweenThinkAndAct,
        Phase::Observer,
        Phase::AfterAct,
        Phase::CommandsAfterAct,
    ];

    /// The first tick changed by a control issued in this phase of tick `tick` (for
    /// `BetweenTicks`, after tick `tick`).
    fn first_tick_changed(self, tick: u64) -> u64 {
        match self {
            Phase::BeforeThink | Phase::CommandsInSense => tick,
            _ => tick + 1,
        }
    }
}

/// The controls, as data so that the same one can be issued from every phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    Stun(u64),
    /// An interrupt that completes in its first poll.
    InstantInterrupt,
    Cancel,
    Replace,
    Pause,
    Resume,
    /// Puts the unit on the cell its first walk ends at.
    Place,
}

fn issue_now(world: &mut World, unit: bevy_ecs::entity::Entity, order: Order) {
    let result = match order {
        Order::Stun(ticks) => control::stun(world, unit, ticks),
        Order::InstantInterrupt => control::interrupt(world, unit, async {}),
        Order::Cancel => control::cancel(world, unit, "enough"),
        Order::Replace => control::replace(world, unit, goto(ivec2(0, 9))),
        Order::Pause => control::pause(world, unit),
        Order::Resume => control::resume(world, unit),
        Order::Place => control::place(world, unit, ivec2(4, 0)),
    };
    result.unwrap();
}

fn issue_commanded(commands: &mut Commands, unit: bevy_ecs::entity::Entity, order: Order) {
    let mut unit = commands.entity(unit);
    match order {
        Order::Stun(ticks) => unit.stun(ticks),
        Order::InstantInterrupt => unit.interrupt_behavior(async {}),
        Order::Cancel => unit.cancel_behavior("enough"),
        Order::Replace => unit.replace_behavior(goto(ivec2(0, 9))),
        Order::Pause => unit.pause_behavior(),
        Order::Resume => unit.resume_behavior(),
        Order::Place => unit.place(ivec2(4, 0)),
    };
}

/// The controls to issue: (tick, phase, order).
#[derive(Resource, Clone, Default)]
struct Plan {
    target: Option<bevy_ecs::entity::Entity>,
    orders: Vec<(u64, Phase, Order)>,
}

impl Plan {
    fn due(&self, tick: u64, phase: Phase) -> impl Iterator<Item = Order> + '_ {
        self.orders
            .iter()
            .filter(move |&&(at, at_phase, _)| at == tick && at_phase == phase)
            .map(|&(_, _, order)| order)
    }
}

/// Rung by the bell unit's behaviour on every tick, through `ecs::trigger`: observed in Act.
#[derive(Event, Clone, Copy)]
struct Bell;

fn exclusive(phase: Phase) -> impl FnMut(&mut World) {
    move |world: &mut World| {
        let tick = world.resource::<Tick>().get();
        let plan = world.resource::<Plan>().clone();
        for order in plan.due(tick, phase) {
            issue_now(world, plan.target.unwrap(), order);
        }
    }
}

fn commanded(phase: Phase) -> impl FnMut(Commands, Res<Tick>, Res<Plan>) {
    move |mut commands: Commands, tick: Res<Tick>, plan: Res<Plan>| {
        for order in plan.due(tick.get(), phase) {
            issue_commanded(&mut commands, plan.target.unwrap(), order);
        }
    }
}

/// What a run showed, tick by tick.
#[derive(Debug, PartialEq)]
struct Run {
    /// The target's cell after each tick and the controls issued after it. (Not its state,
    /// which a control issued in Observe changes before the schedule's end.)
    cells: Vec<IVec2>,
    /// Every event but the controls' own, with its tick.
    events: Vec<(u64, UnitId, UnitEvent)>,
    /// The controls' own events (stamped with the tick they were issued in, which differs
    /// between phases that change the same tick).
    control_events: Vec<(UnitId, UnitEvent)>,
    /// The endings announced, in order.
    endings: Vec<(UnitId, Outcome)>,
}

/// The target walks, waits, and walks again, so that both its walks and its clock show a
/// control; a bell unit rings every tick so that an observer runs in every Act.
fn run(orders: &[(u64, Phase, Order)], ticks: u64) -> Run {
    let mut world = World::new();
    let mut schedule = Schedule::default();
    Tickweave::new()
        .record_events(true)
        .install(&mut world, &mut schedule);
    schedule.add_systems((
        exclusive(Phase::BeforeThink)
            .after(TickPhase::Sense)
            .before(TickPhase::Think),
        commanded(Phase::CommandsInSense).in_set(TickPhase::Sense),
        exclusive(Phase::BetweenThinkAndAct)
            .after(TickPhase::Think)
            .before(TickPhase::Act),
        commanded(Phase::CommandsBetweenThinkAndAct)
            .after(TickPhase::Think)
            .before(TickPhase::Act),
        exclusive(Phase::AfterAct).in_set(TickPhase::Observe),
        commanded(Phase::CommandsAfterAct).in_set(TickPhase::Observe),
    ));
    world.add_observer(
        |_: On<Bell>, mut commands: Commands, tick: Res<Tick>, plan: Res<Plan>| {
            for order in plan.due(tick.get(), Phase::Observer) {
                issue_commanded(&mut commands, plan.target.unwrap(), order);
            }
        },
    );
    let target = spawn_unit(&mut world, "target", ivec2(0, 0), async {
        goto(ivec2(4, 0)).await;
        wait(3).await;
        goto(ivec2(4, 6)).await;
    });
    spawn_unit(&mut world, "bell", ivec2(9, 9), async {
        loop {
            drop(ecs::trigger(Bell));
            next_tick().await;
        }
    });
    world.insert_resource(Plan {
        target: Some(target),
        orders: orders.to_vec(),
    });
    let mut cursor = world.resource::<Messages<BehaviorFinished>>().get_cursor();
    let mut result = Run {
        cells: vec![],
        events: vec![],
        control_events: vec![],
        endings: vec![],
    };
    for tick in 0..=ticks {
        if tick > 0 {
            schedule.run(&mut world);
        }
        let plan = world.resource::<Plan>().clone();
        for order in plan.due(tick, Phase::BetweenTicks) {
            issue_now(&mut world, target, order);
        }
        result.cells.push(world.get::<Position>(target).unwrap().0);
        let finished = world.resource::<Messages<BehaviorFinished>>();
        result
            .endings
            .extend(cursor.read(finished).map(|e| (e.unit, e.outcome.clone())));
    }
    for entry in world.resource_mut::<EventLog>().drain() {
        match entry.event {
            UnitEvent::Paused
            | UnitEvent::Resumed
            | UnitEvent::Interrupted
            | UnitEvent::BehaviorCancelled { .. }
            | UnitEvent::BehaviorReplaced => result.control_events.push((entry.unit, entry.event)),
            event => result.events.push((entry.tick, entry.unit, event)),
        }
    }
    result
}

/// Each order issued in `phase` on the given ticks runs exactly like the same order issued
/// between ticks just before the first tick it changes.
fn assert_like_between_ticks(orders: &[(u64, Order)], phase: Phase) {
    let in_phase: Vec<_> = orders.iter().map(|&(t, o)| (t, phase, o)).collect();
    let reference: Vec<_> = orders
        .iter()
        .map(|&(t, o)| (phase.first_tick_changed(t) - 1, Phase::BetweenTicks, o))
        .collect();
    let (mut got, mut expected) = (run(&in_phase, 16), run(&reference, 16));
    // The cell read at the boundary where a control lands (after tick f - 1) is read before or
    // after a `place` depending on the phase; every other cell must agree.
    for &(tick, _) in orders {
        let boundary = phase.first_tick_changed(tick) as usize - 1;
        got.cells[boundary] = IVec2::ZERO;
        expected.cells[boundary] = IVec2::ZERO;
    }
    assert_eq!(got, expected, "{orders:?} issued {phase:?}");
}

#[test]
fn every_control_from_every_phase_takes_effect_at_the_documented_tick() {
    let plans: [&[(u64, Order)]; 11] = [
        &[(2, Order::Place)],
        &[(3, Order::Pause), (4, Order::Place), (6, Order::Resume)],
        &[(3, Order::Stun(2))],
        &[(6, Order::Stun(2))],
        &[(3, Order::InstantInterrupt)],
        &[(3, Order::Cancel)],
        &[(6, Order::Cancel)],
        &[(3, Order::Replace)],
        &[(3, Order::Pause), (5, Order::Resume)],
        &[(6, Order::Pause), (9, Order::Resume)],
        &[(3, Order::Pause), (4, Order::Stun(2)), (6, Order::Resume)],
    ];
    for orders in plans {
        for phase in Phase::ALL {
            assert_like_between_ticks(orders, phase);
        }
    }
}

#[test]
fn a_stun_keeps_the_unit_still_for_exactly_its_ticks_from_any_phase() {
    // Unstunned: (1,0) (2,0) (3,0) (4,0) on ticks 1–4.
    let before_think = run(&[(3, Phase::BeforeThink, Order::Stun(2))], 6);
    assert_eq!(
        before_think.cells,
        [0, 1, 2, 2, 2, 3, 4].map(|x| ivec2(x, 0))
    );
    for phase in [
        Phase::BetweenThinkAndAct,
        Phase::CommandsBetweenThinkAndAct,
        Phase::Observer,
        Phase::AfterAct,
    ] {
        let stunned = run(&[(3, phase, Order::Stun(2))], 6);
        assert_eq!(
            stunned.cells,
            [0, 1, 2, 3, 3, 3, 4].map(|x| ivec2(x, 0)),
            "{phase:?}"
        );
    }
}

#[test]
fn an_interrupt_that_completes_at_once_before_think_changes_nothing() {
    let interrupted = run(&[(3, Phase::BeforeThink, Order::InstantInterrupt)], 16);
    let untouched = run(&[], 16);
    assert_eq!(interrupted.cells, untouched.cells);
    assert_eq!(interrupted.events, untouched.events);
}

/// The tick a unit's `wait(10)`, begun on tick 1, completes.
fn wait_completes(orders: &[(u64, Phase, Order)]) -> u64 {
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let unit = sim.spawn("u", ivec2(0, 0), wait(10));
    for (at, phase, _) in orders {
        assert!(matches!(phase, Phase::BetweenTicks), "{at}");
    }
    for tick in 0..40 {
        if tick > 0 {
            sim.step();
        }
        for &(at, _, order) in orders {
            if at == tick {
                issue_now(sim.world_mut(), unit, order);
            }
        }
    }
    sim.event_log()
        .drain()
        .find(|e| e.event == UnitEvent::BehaviorCompleted)
        .map(|e| e.tick)
        .expect("the wait completes")
}

#[test]
fn pause_and_stun_add_exactly_their_ticks_to_a_wait_in_either_order() {
    assert_eq!(wait_completes(&[]), 11);
    assert_eq!(
        wait_completes(&[(2, Phase::BetweenTicks, Order::Stun(2))]),
        13
    );
    // Paused for ticks 5–9, stunned for 10–11: carries on with 7 ticks lost.
    let pause_then_stun = [
        (4, Phase::BetweenTicks, Order::Pause),
        (6, Phase::BetweenTicks, Order::Stun(2)),
        (9, Phase::BetweenTicks, Order::Resume),
    ];
    assert_eq!(wait_completes(&pause_then_stun), 18);
    // Stunned on tick 3, paused for ticks 4–7, stunned again on tick 8: 6 ticks lost.
    let stun_then_pause = [
        (2, Phase::BetweenTicks, Order::Stun(2)),
        (3, Phase::BetweenTicks, Order::Pause),
        (7, Phase::BetweenTicks, Order::Resume),
    ];
    assert_eq!(wait_completes(&stun_then_pause), 17);
}
