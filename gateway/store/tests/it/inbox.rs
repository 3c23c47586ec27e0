//! Inbound dedup, reassembly from the store (across a restart), the
//! timeout, inbox pages, and the hand-off to the hub (pending until
//! finished, once).

use std::collections::BTreeSet;
use std::time::Duration;

use bubblegate_sms::{Body, Concat};
use bubblegate_store::{
    Cursor, Error, Iccid, InboundId, InboundMessage, ModemId, NewInboundPart, Stored,
};

use crate::network::{devices, envelope, ALICE};
use crate::support::{at, on_both_backends, sender, TestDb};

on_both_backends!(
    a_single_part_completes_at_once_and_is_stored_once,
    parts_join_in_any_order_and_duplicates_are_dropped,
    reassembly_survives_a_restart,
    incomplete_messages_are_released_after_the_timeout,
    parts_join_per_receiving_sim,
    data_parts_join_as_bytes,
    inbox_pages_newest_first,
    hand_offs_stay_pending_until_finished_once,
);

/// Part `seq` of `total` of reference `reference` from `sender`, received by
/// modem `m1` with SIM `sim-m1`.
fn part(sender: &str, reference: u16, seq: u8, total: u8, text: &str) -> NewInboundPart {
    let concat = (total > 1).then_some(Concat { reference, total, seq, wide: false });
    NewInboundPart {
        modem: ModemId::from("m1"),
        sim: Some(Iccid::from("sim-m1")),
        sender: sender.into(),
        scts: at(u64::from(seq)),
        concat,
        body: Body::Text(text.into()),
        pdu_hex: format!("0401{reference:04x}{seq:02x}{total:02x}{}", hex(text.as_bytes())),
        received_at: at(100 + u64::from(seq)),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn completed(s: Stored) -> InboundMessage {
    assert!(s.new);
    s.complete_message.expect("a complete message")
}

async fn a_single_part_completes_at_once_and_is_stored_once(db: TestDb) {
    let s = &db.store;
    sender(s, "n1", "m1").await;
    let p = part("+15550100", 0, 1, 1, "hi");
    let m = completed(s.store_inbound_part(&p).await.unwrap());
    assert_eq!(
        (m.sender.as_str(), &m.body, m.total, m.complete),
        ("+15550100", &Body::Text("hi".into()), 1, true)
    );
    assert_eq!((m.reference, m.scts, m.received_at), (None, at(1), at(101)));
    assert_eq!(m.sim, Some(Iccid::from("sim-m1")));
    // Read again from SIM storage after a restart: the same part.
    let again = s.store_inbound_part(&p).await.unwrap();
    assert_eq!(again, Stored { new: false, complete_message: None });
    let page = s.inbox_page(None, 10).await.unwrap();
    assert_eq!(page.messages, vec![m.clone()]);
    assert_eq!(s.inbound_message(m.id).await.unwrap(), Some(m));
    // Same text at another time is another message.
    let mut later = part("+15550100", 0, 1, 1, "hi");
    later.scts = at(50);
    assert!(s.store_inbound_part(&later).await.unwrap().new);
}

async fn parts_join_in_any_order_and_duplicates_are_dropped(db: TestDb) {
    let s = &db.store;
    sender(s, "n1", "m1").await;
    let text = ["one ", "two ", "three"];
    let p = |seq: u8| part("+15550100", 0x1234, seq, 3, text[usize::from(seq) - 1]);
    let expect: &[(u8, bool, bool)] = &[
        // (seq, new, completes)
        (3, true, false),
        (1, true, false),
        (3, false, false),
        (1, false, false),
        (2, true, true),
        (2, false, false),
    ];
    let mut done = None;
    for (seq, new, completes) in expect {
        let got = s.store_inbound_part(&p(*seq)).await.unwrap();
        assert_eq!((got.new, got.complete_message.is_some()), (*new, *completes), "part {seq}");
        done = done.or(got.complete_message);
    }
    let m = done.unwrap();
    assert_eq!(m.body, Body::Text("one two three".into()));
    assert_eq!(
        (m.reference, m.total, m.complete, m.missing.clone()),
        (Some(0x1234), 3, true, vec![])
    );
    assert_eq!(m.scts, at(1));
    assert_eq!(m.received_at, at(103));
    // The same part number again with another SCTS, while buffered, is
    // dropped too: the first copy stands.
    let a = s.store_inbound_part(&part("+15550100", 7, 1, 2, "a")).await.unwrap();
    assert!(a.new);
    let mut other = part("+15550100", 7, 1, 2, "A");
    other.scts = at(99);
    assert!(!s.store_inbound_part(&other).await.unwrap().new);
    let m = completed(s.store_inbound_part(&part("+15550100", 7, 2, 2, "b")).await.unwrap());
    assert_eq!(m.body, Body::Text("ab".into()));
    assert_eq!(s.inbox_page(None, 10).await.unwrap().messages.len(), 2);
}

async fn reassembly_survives_a_restart(mut db: TestDb) {
    sender(&db.store, "n1", "m1").await;
    let first = db.store.store_inbound_part(&part("+15550100", 9, 1, 2, "before ")).await.unwrap();
    assert_eq!(first, Stored { new: true, complete_message: None });
    db.reopen().await;
    let m =
        completed(db.store.store_inbound_part(&part("+15550100", 9, 2, 2, "after")).await.unwrap());
    assert_eq!(m.body, Body::Text("before after".into()));
    db.reopen().await;
    // The dedup key survives too.
    let again = db.store.store_inbound_part(&part("+15550100", 9, 1, 2, "before ")).await.unwrap();
    assert!(!again.new);
    assert_eq!(db.store.inbox_page(None, 10).await.unwrap().messages, vec![m]);
}

async fn incomplete_messages_are_released_after_the_timeout(db: TestDb) {
    let s = &db.store;
    sender(s, "n1", "m1").await;
    let timeout = Duration::from_secs(600);
    s.store_inbound_part(&part("+15550100", 1, 2, 4, "two")).await.unwrap();
    s.store_inbound_part(&part("+15550100", 1, 4, 4, "four")).await.unwrap();
    // The buffer opened at at(102), with the first part stored.
    assert!(s.expire_incomplete(at(701), timeout).await.unwrap().is_empty());
    let out = s.expire_incomplete(at(702), timeout).await.unwrap();
    assert_eq!(out.len(), 1);
    let m = &out[0];
    assert_eq!((m.complete, m.missing.clone(), m.total), (false, vec![1, 3], 4));
    assert_eq!(m.body, Body::Text("twofour".into()));
    assert_eq!((m.received_at, m.stored_at), (at(102), at(702)));
    assert!(s.expire_incomplete(at(2000), timeout).await.unwrap().is_empty());
    assert_eq!(s.inbox_page(None, 10).await.unwrap().messages, out);
    // A late part is not lost: it waits for its own timeout.
    let late = s.store_inbound_part(&part("+15550100", 1, 1, 4, "one")).await.unwrap();
    assert_eq!(late, Stored { new: true, complete_message: None });
}

async fn parts_join_per_receiving_sim(db: TestDb) {
    let s = &db.store;
    sender(s, "n1", "m1").await;
    sender(s, "n1", "m2").await;
    let on_m2 = |mut p: NewInboundPart| {
        p.modem = ModemId::from("m2");
        p.sim = Some(Iccid::from("sim-m2"));
        p.pdu_hex.push_str("ff");
        p
    };
    assert!(s
        .store_inbound_part(&part("+15550100", 5, 1, 2, "x1"))
        .await
        .unwrap()
        .complete_message
        .is_none());
    let got = s.store_inbound_part(&on_m2(part("+15550100", 5, 2, 2, "y2"))).await.unwrap();
    assert_eq!(got, Stored { new: true, complete_message: None });
    let x = completed(s.store_inbound_part(&part("+15550100", 5, 2, 2, "x2")).await.unwrap());
    let y =
        completed(s.store_inbound_part(&on_m2(part("+15550100", 5, 1, 2, "y1"))).await.unwrap());
    assert_eq!((x.body, x.sim), (Body::Text("x1x2".into()), Some(Iccid::from("sim-m1"))));
    assert_eq!((y.body, y.sim), (Body::Text("y1y2".into()), Some(Iccid::from("sim-m2"))));
}

async fn data_parts_join_as_bytes(db: TestDb) {
    let s = &db.store;
    sender(s, "n1", "m1").await;
    let mut p1 = part("+15550100", 3, 1, 2, "");
    p1.body = Body::Data(vec![0, 1, 2]);
    let mut p2 = part("+15550100", 3, 2, 2, "");
    p2.body = Body::Data(vec![0xff]);
    s.store_inbound_part(&p2).await.unwrap();
    let m = completed(s.store_inbound_part(&p1).await.unwrap());
    assert_eq!(m.body, Body::Data(vec![0, 1, 2, 0xff]));
    let bad = NewInboundPart { pdu_hex: "xyz".into(), ..part("+15550100", 0, 1, 1, "x") };
    assert!(matches!(s.store_inbound_part(&bad).await.unwrap_err(), Error::Invalid(_)));
    let mut seq0 = part("+15550100", 4, 1, 2, "x");
    seq0.concat = Some(Concat { reference: 4, total: 2, seq: 3, wide: false });
    assert!(matches!(s.store_inbound_part(&seq0).await.unwrap_err(), Error::Invalid(_)));
}

async fn inbox_pages_newest_first(db: TestDb) {
    let s = &db.store;
    sender(s, "n1", "m1").await;
    let mut all = Vec::new();
    for i in 0..7u8 {
        let m = completed(
            s.store_inbound_part(&part(&format!("+1555010{i}"), 0, 1, 1, "x")).await.unwrap(),
        );
        all.push(m.id);
    }
    all.reverse();
    let mut cursor: Option<Cursor> = None;
    let mut pages = Vec::new();
    loop {
        let page = s.inbox_page(cursor.as_ref(), 3).await.unwrap();
        pages.push(page.messages.iter().map(|m| m.id).collect::<Vec<_>>());
        match page.next {
            // A client sends the cursor back as text.
            Some(next) => cursor = Some(Cursor::parse(&next.to_string()).unwrap()),
            None => break,
        }
    }
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
    assert_eq!(pages.concat(), all);
    assert_eq!(pages.concat().into_iter().collect::<BTreeSet<_>>().len(), 7);
    // An exact multiple of the page size ends without an empty page.
    let page = s.inbox_page(None, 7).await.unwrap();
    assert_eq!((page.messages.len(), page.next), (7, None));
    assert!(matches!(Cursor::parse("not-a-cursor"), Err(Error::InvalidCursor)));
}

fn ids(messages: &[InboundMessage]) -> Vec<InboundId> {
    messages.iter().map(|m| m.id).collect()
}

async fn hand_offs_stay_pending_until_finished_once(mut db: TestDb) {
    let s = &db.store;
    sender(s, "n1", "m1").await;
    sender(s, "n1", "m2").await;
    devices(s, &[("d1", ALICE), ("d2", ALICE)]).await;
    let both = [ModemId::from("m1"), ModemId::from("m2")];
    let m1 = &both[..1];
    let on_m2 = |p: NewInboundPart| NewInboundPart {
        modem: both[1].clone(),
        sim: Some(Iccid::from("sim-m2")),
        ..p
    };
    let a = completed(s.store_inbound_part(&part("+15550100", 0, 1, 1, "a")).await.unwrap());
    let b = completed(s.store_inbound_part(&on_m2(part("+15550101", 0, 1, 1, "b"))).await.unwrap());
    s.store_inbound_part(&part("+15550102", 5, 1, 2, "c1")).await.unwrap();
    let c = completed(s.store_inbound_part(&part("+15550102", 5, 2, 2, "c2")).await.unwrap());

    // Every new message is pending, complete or joined; per modem, oldest
    // first, in pages.
    assert_eq!(ids(&s.pending_hand_offs(&both, None, 10).await.unwrap()), [a.id, b.id, c.id]);
    assert_eq!(ids(&s.pending_hand_offs(m1, None, 10).await.unwrap()), [a.id, c.id]);
    assert_eq!(ids(&s.pending_hand_offs(&both, None, 1).await.unwrap()), [a.id]);
    assert_eq!(ids(&s.pending_hand_offs(&both, Some(a.id), 10).await.unwrap()), [b.id, c.id]);
    assert!(s.pending_hand_offs(&[], None, 10).await.unwrap().is_empty());
    assert_eq!(s.pending_hand_offs(&both, None, 10).await.unwrap()[0], a, "as stored");

    // Finished: its envelopes are queued with the mark, once.
    let forwarded = [envelope("e1", "d1", ALICE, None), envelope("e2", "d2", ALICE, None)];
    assert!(s.finish_hand_off(a.id, &forwarded, at(500)).await.unwrap());
    assert_eq!(ids(&s.pending_hand_offs(&both, None, 10).await.unwrap()), [b.id, c.id]);
    let again = [envelope("e3", "d1", ALICE, None)];
    assert!(!s.finish_hand_off(a.id, &again, at(501)).await.unwrap(), "handled already");
    let queued = |device: &'static str| async move {
        let list = s.network().envelopes_for(device, 100, at(0)).await.unwrap();
        list.into_iter().map(|e| e.id).collect::<Vec<_>>()
    };
    assert_eq!(queued("d1").await, ["e1"], "no second copy");
    assert_eq!(queued("d2").await, ["e2"]);

    // A failed commit queues nothing and leaves the message pending: the
    // envelope to an unknown device fails the whole transaction.
    let broken = [envelope("e4", "d1", ALICE, None), envelope("e5", "ghost", ALICE, None)];
    assert!(s.finish_hand_off(c.id, &broken, at(502)).await.is_err());
    assert_eq!(queued("d1").await, ["e1"]);
    assert_eq!(ids(&s.pending_hand_offs(&both, None, 10).await.unwrap()), [b.id, c.id]);
    // Nothing to queue (not an owned SIM): only the mark.
    assert!(s.finish_hand_off(c.id, &[], at(503)).await.unwrap());
    assert_eq!(ids(&s.pending_hand_offs(&both, None, 10).await.unwrap()), [b.id]);

    let unknown: InboundId = "0190a000-0000-7000-8000-000000000000".parse().unwrap();
    let err = s.finish_hand_off(unknown, &[], at(504)).await.unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");
    let empty_id = [envelope("", "d1", ALICE, None)];
    let err = s.finish_hand_off(b.id, &empty_id, at(504)).await.unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");

    // Without a hub, a node settles its modems' messages: nothing queued.
    assert_eq!(s.settle_hand_offs(m1, at(600)).await.unwrap(), 0);
    assert_eq!(s.settle_hand_offs(&both, at(600)).await.unwrap(), 1);
    assert!(s.pending_hand_offs(&both, None, 10).await.unwrap().is_empty());
    assert_eq!(s.settle_hand_offs(&both, at(601)).await.unwrap(), 0);
    assert_eq!(queued("d1").await, ["e1"]);

    // A message the timeout releases is pending too, and it survives a
    // restart pending.
    s.store_inbound_part(&part("+15550103", 6, 1, 2, "half")).await.unwrap();
    let released = s.expire_incomplete(at(5000), Duration::from_secs(600)).await.unwrap();
    assert_eq!(ids(&s.pending_hand_offs(&both, None, 10).await.unwrap()), ids(&released));
    db.reopen().await;
    let pending = db.store.pending_hand_offs(&both, None, 10).await.unwrap();
    assert_eq!(ids(&pending), ids(&released));
}
