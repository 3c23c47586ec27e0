use std::time::{Duration, SystemTime};

use super::*;

const T0: Duration = Duration::from_secs(1_700_000_000);

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + T0 + Duration::from_secs(secs)
}

fn part(reference: u16, total: u8, seq: u8) -> Option<Concat> {
    Some(Concat { reference, total, seq, wide: false })
}

fn text(s: &str) -> Body {
    Body::Text(s.to_string())
}

#[test]
fn single_part_passes_straight_through() {
    let mut r = Reassembler::new(Duration::from_secs(60));
    let out = r.push("+31600000001", None, text("hi"), at(0));
    assert!(matches!(out, Outcome::Complete(m) if m.body == text("hi") && m.complete));
    assert_eq!(r.pending(), 0);
}

#[test]
fn parts_out_of_order_and_duplicated() {
    let mut r = Reassembler::new(Duration::from_secs(60));
    let s = "+31600000001";
    assert_eq!(r.push(s, part(7, 3, 3), text("C"), at(0)), Outcome::Pending);
    assert_eq!(r.push(s, part(7, 3, 1), text("A"), at(1)), Outcome::Pending);
    assert_eq!(r.push(s, part(7, 3, 1), text("A"), at(2)), Outcome::Duplicate);
    let Outcome::Complete(m) = r.push(s, part(7, 3, 2), text("B"), at(3)) else {
        panic!("third part should complete the message")
    };
    assert_eq!(m.body, text("ABC"));
    assert!(m.complete);
    assert_eq!(m.reference, Some(7));
    // A late retransmission of a released part is recognised.
    assert_eq!(r.push(s, part(7, 3, 2), text("B"), at(4)), Outcome::Duplicate);
    assert_eq!(r.pending(), 0);
}

#[test]
fn key_separates_senders_references_and_totals() {
    let mut r = Reassembler::new(Duration::from_secs(60));
    r.push("+1", part(1, 2, 1), text("a"), at(0));
    r.push("+2", part(1, 2, 1), text("b"), at(0));
    r.push("+1", part(2, 2, 1), text("c"), at(0));
    r.push("+1", part(1, 3, 1), text("d"), at(0));
    assert_eq!(r.pending(), 4);
    let Outcome::Complete(m) = r.push("+2", part(1, 2, 2), text("B"), at(1)) else { panic!() };
    assert_eq!((m.sender.as_str(), m.body), ("+2", text("bB")));
}

#[test]
fn timeout_releases_incomplete_message() {
    let mut r = Reassembler::new(Duration::from_secs(60));
    r.push("+1", part(9, 3, 1), text("A"), at(0));
    r.push("+1", part(9, 3, 3), text("C"), at(10));
    assert_eq!(r.next_deadline(), Some(at(60)));
    assert!(r.expire(at(59)).is_empty());
    let out = r.expire(at(60));
    assert_eq!(out.len(), 1);
    assert!(!out[0].complete);
    assert_eq!(out[0].missing, vec![2]);
    assert_eq!(out[0].body, text("AC"));
    assert_eq!(r.pending(), 0);
}

#[test]
fn reused_reference_with_new_content_is_a_new_message() {
    let mut r = Reassembler::new(Duration::from_secs(60));
    r.push("+1", part(3, 2, 1), text("A"), at(0));
    r.push("+1", part(3, 2, 2), text("B"), at(1));
    assert_eq!(r.push("+1", part(3, 2, 1), text("X"), at(2)), Outcome::Pending);
}

#[test]
fn state_survives_serialization() {
    let mut r = Reassembler::new(Duration::from_secs(60));
    r.push("+1", part(5, 2, 2), Body::Data(vec![2]), at(0));
    let saved = serde_json::to_string(&r).unwrap();
    let mut restored: Reassembler = serde_json::from_str(&saved).unwrap();
    assert_eq!(restored, r);
    let Outcome::Complete(m) = restored.push("+1", part(5, 2, 1), Body::Data(vec![1]), at(5))
    else {
        panic!()
    };
    assert_eq!(m.body, Body::Data(vec![1, 2]));
}
