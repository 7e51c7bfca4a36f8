//! The behaviour vocabulary for games, pinned tick by tick: waits, signals, races, timeouts,
//! repetition, sensing and chase.

mod common;

use common::{DropCounter, activity, cells, on_x_axis, spawn_errand};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use tickweave::components::Motion;
use tickweave::prelude::*;

/// A log that behaviours append `(tick, what)` to.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<(u64, String)>>>);

impl Log {
    fn note(&self, what: impl Into<String>) {
        self.0.lock().unwrap().push((unit::tick(), what.into()));
    }
    fn entries(&self) -> Vec<(u64, String)> {
        self.0.lock().unwrap().clone()
    }
}

#[test]
fn next_tick_resumes_on_the_following_tick() {
    let log = Log::default();
    let mut sim = Simulation::new(0);
    let note = log.clone();
    sim.spawn("u", ivec2(0, 0), async move {
        note.note("start");
        next_tick().await;
        note.note("one");
        next_tick().await;
        next_tick().await;
        note.note("three");
    });
    sim.run(5);
    assert_eq!(
        log.entries(),
        [(1, "start".into()), (2, "one".into()), (4, "three".into())]
    );
}

#[test]
fn wait_until_checks_at_once_then_once_per_tick() {
    let log = Log::default();
    let mut sim = Simulation::new(0);
    let note = log.clone();
    sim.spawn("u", ivec2(0, 0), async move {
        wait_until(|| true).await;
        note.note("immediately");
        let mut checks = 0;
        wait_until(|| {
            checks += 1;
            unit::tick() == 4
        })
        .await;
        note.note(format!("after {checks} checks"));
    });
    sim.run(6);
    assert_eq!(
        log.entries(),
        [(1, "immediately".into()), (4, "after 4 checks".into())]
    );
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Ping(u32);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Other;

#[test]
fn a_signal_sent_while_nobody_waits_is_received_later() {
    let log = Log::default();
    let mut sim = Simulation::new(0);
    let note = log.clone();
    let listener = sim.spawn("listener", ivec2(0, 0), async move {
        wait(10).await;
        let ping = receive::<Ping>().await;
        note.note(format!(
            "{:?} from {:?} sent at {}",
            ping.value, ping.from, ping.sent_at
        ));
    });
    let listener_id = sim.unit_id(listener).unwrap();
    let sender = sim.spawn("sender", ivec2(0, 0), async move {
        wait(2).await;
        send(Recipient::Unit(listener_id), Ping(7)).unwrap();
    });
    let sender_id = sim.unit_id(sender).unwrap();
    sim.run(12);
    assert_eq!(
        log.entries(),
        [(11, format!("Ping(7) from Some({sender_id:?}) sent at 3"))]
    );
}

#[test]
fn a_signal_sent_on_tick_t_wakes_a_waiting_receiver_on_tick_t_plus_1() {
    let log = Log::default();
    let mut sim = Simulation::new(0);
    let note = log.clone();
    // The receiver is polled before the sender (spawned first), and wakes on the next tick.
    let receiver = sim.spawn("receiver", ivec2(0, 0), async move {
        let ping = receive::<Ping>().await;
        note.note(format!("got {}", ping.value.0));
    });
    let receiver_id = sim.unit_id(receiver).unwrap();
    sim.spawn("sender", ivec2(0, 0), async move {
        wait(3).await;
        send(Recipient::Unit(receiver_id), Ping(1)).unwrap();
    });
    sim.run(4);
    assert_eq!(
        sim.state(receiver),
        Some(BehaviorState::Running),
        "woken for tick 5"
    );
    assert!(log.entries().is_empty());
    sim.step();
    assert_eq!(log.entries(), [(5, "got 1".into())]);
}

#[test]
fn signals_are_delivered_by_sender_id_then_in_order_and_types_are_kept_apart() {
    let log = Log::default();
    let mut sim = Simulation::new(0);
    let note = log.clone();
    let receiver = sim.spawn("receiver", ivec2(0, 0), async move {
        wait(2).await;
        let other = receive::<Other>().await;
        note.note(format!("other from {:?}", other.from.map(|id| id.0)));
        for _ in 0..4 {
            let ping = receive::<Ping>().await;
            note.note(format!(
                "ping {} from {:?}",
                ping.value.0,
                ping.from.map(|id| id.0)
            ));
        }
    });
    let to = Recipient::Unit(sim.unit_id(receiver).unwrap());
    sim.spawn("first", ivec2(0, 0), async move {
        send(to, Ping(10)).unwrap();
        send(to, Ping(11)).unwrap();
    });
    sim.spawn("second", ivec2(0, 0), async move {
        send(to, Other).unwrap();
        send(to, Ping(20)).unwrap();
    });
    sim.send(to, Ping(99)); // from the game, delivered at once: first in the mailbox
    sim.run(3);
    assert_eq!(
        log.entries(),
        [
            (3, "other from Some(2)".into()),
            (3, "ping 99 from None".into()),
            (3, "ping 10 from Some(1)".into()),
            (3, "ping 11 from Some(1)".into()),
            (3, "ping 20 from Some(2)".into()),
        ]
    );
}

#[test]
fn team_and_broadcast_signals_reach_everyone_but_the_sender() {
    let mut sim = Simulation::new(0);
    let received = Arc::new(AtomicUsize::new(0));
    let mut listeners = vec![];
    for (name, team) in [("a", 0), ("b", 0), ("c", 1)] {
        let count = received.clone();
        listeners.push(
            sim.spawn_in_team(name, Team(team), ivec2(0, 0), async move {
                loop {
                    receive::<Ping>().await;
                    count.fetch_add(1, Ordering::SeqCst);
                }
            }),
        );
    }
    sim.spawn_in_team("caller", Team(0), ivec2(0, 0), async {
        send(Recipient::Team(Team(0)), Ping(1)).unwrap();
        send(Recipient::Everyone, Ping(2)).unwrap();
    });
    sim.run(3);
    // Team 0 minus the caller: a, b. Everyone minus the caller: a, b, c.
    assert_eq!(received.load(Ordering::SeqCst), 5);
}

#[test]
fn race_ties_go_to_the_first_argument_and_the_loser_is_dropped_that_tick() {
    let mut sim = Simulation::new(0);
    let drops = Arc::new(AtomicUsize::new(0));
    let winner = Arc::new(Mutex::new(None));
    let (loser_drops, result) = (drops.clone(), winner.clone());
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        let guard = DropCounter(loser_drops);
        let loser = async move {
            let _guard = guard;
            wait(2).await;
            "second"
        };
        let outcome = race(
            async {
                wait(2).await;
                "first"
            },
            loser,
        )
        .await;
        *result.lock().unwrap() = Some((unit::tick(), outcome));
        wait(100).await;
    });
    sim.run(2);
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    sim.run(1);
    assert_eq!(*winner.lock().unwrap(), Some((3, Winner::First("first"))));
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "loser dropped in the tick the race ended"
    );
    assert_eq!(activity(&sim, unit), "wait(until 103)");
}

#[test]
fn a_race_lost_by_goto_stops_the_walk_at_once() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async {
        let _ = race(goto(ivec2(10, 0)), wait(3)).await;
        wait(5).await;
    });
    assert_eq!(cells(&mut sim, unit, 6), on_x_axis(&[0, 1, 2, 3, 3, 3, 3]));
    assert_eq!(sim.world().get::<Motion>(unit).unwrap().target(), None);
}

#[test]
fn the_activity_stack_shows_both_branches_of_a_race_and_drops_the_loser() {
    let mut sim = Simulation::new(0);
    let unit = spawn_errand(&mut sim);
    sim.step();
    assert_eq!(
        activity(&sim, unit),
        "errand > race > goto(5,0) | wait(until 3)"
    );
    sim.run(2);
    assert_eq!(activity(&sim, unit), "errand > goto(0,3)");
}

#[test]
fn timeout_is_ok_when_the_future_wins_and_err_on_the_deadline_tick() {
    let log = Log::default();
    let note = log.clone();
    let mut sim = Simulation::new(0);
    sim.spawn("u", ivec2(0, 0), async move {
        let late = timeout(3, goto(ivec2(10, 0))).await;
        note.note(format!("{late:?}"));
        let tie = timeout(2, wait(2)).await;
        note.note(format!("{tie:?}"));
        let at_once = timeout(0, async { 5 }).await;
        note.note(format!("{at_once:?}"));
    });
    sim.run(8);
    assert_eq!(
        log.entries(),
        [
            (4, "Err(TimedOut { ticks: 3 })".into()),
            (6, "Ok(())".into()),
            (6, "Ok(5)".into()),
        ]
    );
}

#[test]
fn join_waits_for_both_and_keeps_both_outputs() {
    let log = Log::default();
    let note = log.clone();
    let mut sim = Simulation::new(0);
    sim.spawn("u", ivec2(0, 0), async move {
        let outputs = join(
            async {
                wait(4).await;
                'a'
            },
            async {
                goto(ivec2(2, 0)).await;
                'b'
            },
        )
        .await;
        note.note(format!("{outputs:?}"));
    });
    sim.run(6);
    assert_eq!(log.entries(), [(5, "('a', 'b')".into())]);
}

#[test]
fn repeat_loses_no_tick_between_runs_and_a_body_that_never_waits_yields() {
    let log = Log::default();
    let mut sim = Simulation::new(0);
    let note = log.clone();
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        repeat(3, || {
            let note = note.clone();
            async move { note.note("instant") }
        })
        .await;
        note.note("done");
    });
    sim.run(4);
    assert_eq!(
        log.entries(),
        [
            (1, "instant".into()),
            (2, "instant".into()),
            (3, "instant".into()),
            (3, "done".into()),
        ]
    );
    assert_eq!(sim.state(unit), Some(BehaviorState::Finished));
}

#[test]
fn nearest_prefers_the_closest_then_the_lower_id_and_ignores_the_caller() {
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    let found = Arc::new(Mutex::new(vec![]));
    sim.spawn_in_team("b", Team(1), ivec2(3, 0), async {});
    sim.spawn_in_team("a", Team(1), ivec2(-3, 2), async {});
    sim.spawn_in_team("far", Team(1), ivec2(30, 0), async {});
    sim.spawn_in_team("ally", Team(0), ivec2(1, 1), async {});
    let seen = found.clone();
    sim.spawn_in_team("me", Team(0), ivec2(0, 0), async move {
        let me = unit::team();
        let enemy = nearest(|other| other.team != me, 10).map(|s| s.id.0);
        let anyone = nearest(|_| true, 10).map(|s| s.id.0);
        let none = nearest(|other| other.team != me, 2).map(|s| s.id.0);
        let around: Vec<u64> = units_within(3).iter().map(|s| s.id.0).collect();
        *seen.lock().unwrap() = vec![
            format!("{enemy:?}"),
            format!("{anyone:?}"),
            format!("{none:?}"),
            format!("{around:?}"),
        ];
    });
    sim.step();
    assert_eq!(
        *found.lock().unwrap(),
        ["Some(0)", "Some(3)", "None", "[0, 1, 3]"]
    );
}

#[test]
fn sensing_when_it_is_off_faults_the_behaviour_saying_how_to_turn_it_on() {
    let mut sim = Simulation::new(0);
    let unit = sim.spawn("u", ivec2(0, 0), async {
        let _ = nearest(|_| true, 3);
    });
    sim.step();
    let Some(Outcome::Faulted(message)) = sim.world().get::<Behavior>(unit).unwrap().outcome()
    else {
        panic!("the behaviour should have faulted");
    };
    assert!(message.contains("`nearest` needs sensing"), "{message}");
    assert!(
        message.contains("Simulation::enable_sensing()"),
        "{message}"
    );
}

#[test]
fn chase_completes_when_adjacent() {
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    let route = Route::new([ivec2(6, 0), ivec2(6, 6)]).unwrap();
    let prey = sim.spawn("prey", ivec2(6, 0), patrol(route));
    let prey_id = sim.unit_id(prey).unwrap();
    let hunter = sim.spawn("hunter", ivec2(0, 0), async move {
        chase(prey_id).await.unwrap();
    });
    // The prey walks up x = 6; the hunter aims each tick at where it stood at the tick's start.
    assert_eq!(
        cells(&mut sim, hunter, 6),
        [
            ivec2(0, 0),
            ivec2(1, 0),
            ivec2(2, 1),
            ivec2(3, 2),
            ivec2(4, 3),
            ivec2(5, 4),
            ivec2(5, 4),
        ]
    );
    assert_eq!(sim.position(prey), Some(ivec2(6, 6)));
    assert_eq!(sim.state(hunter), Some(BehaviorState::Finished));
}

#[test]
fn chase_returns_despawned_on_the_tick_after_its_target_disappears() {
    let log = Log::default();
    let note = log.clone();
    let mut sim = Simulation::new(0);
    sim.enable_sensing();
    let prey = sim.spawn("prey", ivec2(20, 0), async {});
    let prey_id = sim.unit_id(prey).unwrap();
    let hunter = sim.spawn("hunter", ivec2(0, 0), async move {
        let result = chase(prey_id).await;
        note.note(format!("{result:?}"));
    });
    sim.run(3);
    sim.despawn(prey);
    sim.step();
    assert_eq!(
        log.entries(),
        [(4, format!("Err(Despawned {{ unit: {prey_id:?} }})"))]
    );
    assert_eq!(
        sim.position(hunter),
        Some(ivec2(3, 0)),
        "no step after the target vanished"
    );
}

#[test]
fn naming_a_unit_that_is_gone_is_an_error_not_a_panic() {
    let log = Log::default();
    let note = log.clone();
    let mut sim = Simulation::new(0);
    let gone = sim.spawn("gone", ivec2(0, 0), async {});
    let gone_id = sim.unit_id(gone).unwrap();
    sim.despawn(gone);
    sim.enable_sensing();
    sim.spawn("u", ivec2(0, 0), async move {
        note.note(format!("{:?}", send(Recipient::Unit(gone_id), Ping(1))));
        note.note(format!("{:?}", despawn(gone_id)));
        note.note(format!("{:?}", position_of(gone_id)));
        note.note(format!("{:?}", distance_to(gone_id)));
        note.note(format!("{:?}", chase(gone_id).await));
    });
    sim.step();
    let gone = format!("Err(Despawned {{ unit: {gone_id:?} }})");
    let expected: Vec<(u64, String)> = (0..5).map(|_| (1, gone.clone())).collect();
    assert_eq!(log.entries(), expected);
}
