//! Encode and decode throughput of the SMS codec.
//! Run: `cargo bench -p bubblegate-sms --bench codec`.

use std::hint::black_box;

use bubblegate_sms::segment::{plan_text, SegmentOptions};
use bubblegate_sms::{Address, Dcs, Pdu, Submit, Tpdu, UserData};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Encodes `text` to every part's PDU bytes.
fn encode(text: &str, opts: &SegmentOptions) -> Vec<Vec<u8>> {
    let plan = plan_text(text, opts).expect("plannable");
    let template = Submit {
        reject_duplicates: false,
        status_report_request: true,
        reply_path: false,
        message_ref: 0,
        destination: Address::phone("+31612345678").expect("valid"),
        pid: 0,
        dcs: Dcs(0),
        validity: None,
        user_data: UserData::text(""),
    };
    plan.submits(&template, 7)
        .into_iter()
        .map(|s| Pdu { smsc: None, tpdu: Tpdu::Submit(s) }.encode().expect("encodes").bytes)
        .collect()
}

fn cases() -> Vec<(&'static str, String)> {
    vec![
        ("gsm7_160", "The quick brown fox jumps over the lazy dog. ".repeat(4)[..160].to_string()),
        ("gsm7_ext_3parts", "Price: 12€ [incl. VAT] {ok} ~ ".repeat(12)),
        ("ucs2_emoji_70", "Tot straks 😀 ".repeat(5)),
        ("ucs2_4parts", "Привет, как дела? 👋 ".repeat(12)),
    ]
}

fn bench(c: &mut Criterion) {
    let opts = SegmentOptions::default();
    let mut encode_group = c.benchmark_group("encode");
    for (name, text) in cases() {
        encode_group.throughput(Throughput::Elements(1));
        encode_group.bench_function(name, |b| b.iter(|| encode(black_box(&text), &opts)));
    }
    encode_group.finish();

    let mut decode_group = c.benchmark_group("decode");
    for (name, text) in cases() {
        let parts = encode(&text, &opts);
        decode_group.throughput(Throughput::Elements(parts.len() as u64));
        decode_group.bench_function(name, |b| {
            b.iter(|| {
                for p in &parts {
                    black_box(Pdu::decode(black_box(p), true).expect("decodes"));
                }
            })
        });
    }
    decode_group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
