//! Modems, SIMs and quota counters.

use bubblegate_store::{Day, Error, Iccid, ModemId, ModemRecord, Month, NodeId, SimRecord, Usage};

use crate::support::{at, on_both_backends, TestDb};

on_both_backends!(modems_and_sims_are_upserted, usage_counts_segments_per_day_and_month);

async fn modems_and_sims_are_upserted(db: TestDb) {
    let s = &db.store;
    let mut modem = ModemRecord {
        id: ModemId::from("usb-Quectel_EC25-if02"),
        profile: "quectel-ec25".into(),
        imei: Some("861234567890123".into()),
        node: NodeId::from("pi-1"),
    };
    s.upsert_modem(&modem, at(0)).await.unwrap();
    modem.node = NodeId::from("pi-2");
    s.upsert_modem(&modem, at(60)).await.unwrap();
    let modems = s.modems().await.unwrap();
    assert_eq!(modems.len(), 1);
    assert_eq!(
        (&modems[0].record, modems[0].first_seen_at, modems[0].last_seen_at),
        (&modem, at(0), at(60))
    );

    let mut sim = SimRecord {
        iccid: Iccid::from("8944110000000000001"),
        imsi: Some("234100000000001".into()),
        msisdn: None,
        modem: Some(modem.id.clone()),
    };
    s.upsert_sim(&sim, at(1)).await.unwrap();
    sim.msisdn = Some("+447700900001".into());
    s.upsert_sim(&sim, at(2)).await.unwrap();
    let sims = s.sims().await.unwrap();
    assert_eq!(
        (&sims[0].record, sims[0].first_seen_at, sims[0].last_seen_at),
        (&sim, at(1), at(2))
    );

    // Foreign keys are enforced: a SIM in a modem never seen is refused,
    // and the error does not show SQL to a user.
    sim.modem = Some(ModemId::from("nowhere"));
    let e = s.upsert_sim(&sim, at(3)).await.unwrap_err();
    assert!(matches!(e, Error::Query(_)), "{e:?}");
    assert_eq!(e.to_string(), "a database operation failed");
}

async fn usage_counts_segments_per_day_and_month(db: TestDb) {
    let s = &db.store;
    crate::support::sender(s, "n1", "m1").await;
    let sim = Iccid::from("sim-m1");
    let other = Iccid::from("sim-m2");
    crate::support::sender(s, "n1", "m2").await;
    let day = |m, d| Day::new(2024, m, d).unwrap();
    // (day, segments added, usage of that day and month afterwards)
    let table: &[(Day, u32, Usage)] = &[
        (day(1, 31), 3, Usage { day: 3, month: 3 }),
        (day(2, 1), 2, Usage { day: 2, month: 2 }),
        (day(2, 1), 5, Usage { day: 7, month: 7 }),
        (day(2, 29), 1, Usage { day: 1, month: 8 }),
        (day(3, 1), 4, Usage { day: 4, month: 4 }),
    ];
    for (d, n, want) in table {
        assert_eq!(s.add_usage(&sim, *d, *n).await.unwrap(), *want, "{d:?}");
    }
    s.add_usage(&other, day(2, 1), 100).await.unwrap();
    let feb = Month::new(2024, 2).unwrap();
    assert_eq!(s.usage(&sim, day(2, 1), feb).await.unwrap(), Usage { day: 7, month: 8 });
    assert_eq!(s.usage(&sim, day(2, 2), feb).await.unwrap(), Usage { day: 0, month: 8 });
    assert_eq!(
        s.usage(&sim, day(1, 31), day(1, 31).month()).await.unwrap(),
        Usage { day: 3, month: 3 }
    );
    assert_eq!(s.usage(&Iccid::from("unknown"), day(2, 1), feb).await.unwrap(), Usage::default());
}
