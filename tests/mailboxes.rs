//! Mailboxes keep one queue per signal type: a flood of one type never pushes out a signal of
//! another, and a full queue drops its oldest signal, counted and reported, never silently.

use std::sync::{Arc, Mutex};
use tickweave::events::UnitEvent;
use tickweave::prelude::*;
use tickweave::systems::MAILBOX_CAPACITY;

/// An order for one unit.
#[derive(Clone, Debug, PartialEq)]
struct Order(u32);

/// Talk broadcast to everyone, which nobody reads for a while.
#[derive(Clone, Debug, PartialEq)]
struct Chatter(u32);

const CHATTER: u32 = 100;

#[test]
fn a_flood_of_one_type_keeps_the_latest_of_it_and_never_evicts_another_type() {
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    let mut sim = Simulation::new(0);
    sim.record_events(true);
    let listener = sim.spawn("listener", ivec2(0, 0), async move {
        wait(3).await; // deaf while the chatter arrives, on tick 1
        let order = receive::<Order>().await;
        log.lock()
            .unwrap()
            .push(format!("{}: {:?}", unit::tick(), order.value));
        // Read the chatter that is left, until a tick passes with none.
        while let Winner::First(chatter) = race(receive::<Chatter>(), next_tick()).await {
            log.lock()
                .unwrap()
                .push(format!("{}: {:?}", unit::tick(), chatter.value));
        }
    });
    let talker = sim.spawn("talker", ivec2(5, 5), async {
        for n in 0..CHATTER {
            send(Recipient::Everyone, Chatter(n)).unwrap();
        }
    });
    let listener_id = sim.unit_id(listener).unwrap();
    let talker_id = sim.unit_id(talker).unwrap();
    // From the game, on tick 0, before any chatter: the oldest signal in the mailbox.
    assert_eq!(sim.send(Recipient::Unit(listener_id), Order(7)), 1);
    sim.run(5);

    let capacity = MAILBOX_CAPACITY as u32;
    let dropped = CHATTER - capacity;
    let mut expected = vec!["4: Order(7)".to_owned()];
    expected.extend((dropped..CHATTER).map(|n| format!("4: Chatter({n})")));
    assert_eq!(*received.lock().unwrap(), expected);
    assert_eq!(sim.stats().signals_dropped, u64::from(dropped));

    let events: Vec<(u64, UnitEvent)> = sim
        .event_log()
        .drain()
        .filter(|event| event.unit == listener_id)
        .map(|event| (event.tick, event.event))
        .collect();
    let mut expected = vec![(1, UnitEvent::WaitStarted { ticks: 3 })];
    expected.extend((0..dropped).map(|_| {
        let event = UnitEvent::SignalDropped {
            from: Some(talker_id),
            kind: "Chatter",
            sent_at: 1,
        };
        (1, event)
    }));
    expected.push((4, UnitEvent::WaitDone));
    expected.push((
        4,
        UnitEvent::SignalReceived {
            from: None,
            kind: "Order",
            sent_at: 0,
        },
    ));
    expected.extend((0..capacity).map(|_| {
        let event = UnitEvent::SignalReceived {
            from: Some(talker_id),
            kind: "Chatter",
            sent_at: 1,
        };
        (4, event)
    }));
    expected.push((5, UnitEvent::BehaviorCompleted));
    assert_eq!(events, expected);
}

#[test]
fn a_queue_that_was_emptied_fills_to_capacity_again() {
    let mut sim = Simulation::new(0);
    let got = Arc::new(Mutex::new(Vec::new()));
    let log = got.clone();
    let unit = sim.spawn("u", ivec2(0, 0), async move {
        loop {
            wait(2).await;
            let mut batch = 0;
            while let Winner::First(_) = race(receive::<Chatter>(), wait(0)).await {
                batch += 1;
            }
            log.lock().unwrap().push(batch);
        }
    });
    let id = sim.unit_id(unit).unwrap();
    sim.run(2); // it reads its mailbox on ticks 3, 5 and 7
    for round in 0..3u32 {
        for n in 0..(MAILBOX_CAPACITY as u32 + round) {
            sim.send(Recipient::Unit(id), Chatter(n));
        }
        sim.run(2);
    }
    assert_eq!(*got.lock().unwrap(), [64, 64, 64]);
    assert_eq!(sim.stats().signals_dropped, 3, "none, then one, then two");
}
