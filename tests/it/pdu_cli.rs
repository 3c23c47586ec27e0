//! `bubblegate pdu`: the JSON contract, exit codes and stdin mode, run
//! through the real binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bubblegate(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bubblegate"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bubblegate runs");
    let input = stdin.unwrap_or("").to_string();
    let mut pipe = child.stdin.take().expect("stdin is piped");
    std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    child.wait_with_output().expect("bubblegate exits")
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// The dreamfabric tutorial's SMS-DELIVER "hellohello", from
/// +27838890001 (TON subscriber, NPI national) via SMSC +27381000015.
const HELLO: &str = "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37";

#[test]
fn decode_prints_the_contract_fields() {
    let out = bubblegate(&["pdu", "decode", HELLO], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = &json_lines(&out)[0];
    let expect = serde_json::json!({
        "type": "deliver", "smsc": "+27381000015", "address": "27838890001",
        "ton": 4, "npi": 8, "pid": 0, "dcs": 0, "coding": "gsm7", "class": null,
        "text": "hellohello", "udh": [], "concat": null, "ports": null,
        "scts": "1999-03-29T15:16:59+02:00", "discharge_time": null, "status": null,
        "message_ref": null, "validity": null, "status_report_request": false,
        "reply_path": false, "reject_duplicates": false, "more_messages_to_send": false,
    });
    for (key, want) in expect.as_object().unwrap() {
        assert_eq!(&v[key], want, "field {key}");
    }
}

#[test]
fn encode_then_decode_through_the_cli() {
    let text = "Günaydın! Şu an 🚀 yoldayım ".repeat(6);
    let out = bubblegate(
        &[
            "pdu",
            "encode",
            "--to",
            "+905321234567",
            "--text",
            &text,
            "--srr",
            "--validity",
            "2d",
            "--class",
            "1",
            "--smsc",
            "+31653131313",
            "--reference",
            "77",
        ],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let parts: Value = serde_json::from_slice(&out.stdout).unwrap();
    let parts = parts.as_array().unwrap();
    assert!(parts.len() > 1, "long text is split");
    let hexes: Vec<String> = parts.iter().map(|p| p["pdu"].as_str().unwrap().to_string()).collect();
    for p in parts {
        let hex = p["pdu"].as_str().unwrap();
        // The SMSC field is 1 + 7 octets here; the rest is the TPDU.
        assert_eq!(p["tpdu_length"].as_u64().unwrap() as usize, hex.len() / 2 - 8);
    }
    let out = bubblegate(&["pdu", "decode", "-"], Some(&hexes.join("\n")));
    assert!(out.status.success());
    let decoded = json_lines(&out);
    let mut joined = String::new();
    for (i, d) in decoded.iter().enumerate() {
        assert_eq!(d["type"], "submit");
        assert_eq!(d["address"], "+905321234567");
        assert_eq!(d["smsc"], "+31653131313");
        assert_eq!(d["coding"], "ucs2", "the emoji forces UCS-2");
        assert_eq!(d["class"], 1);
        assert_eq!(d["status_report_request"], true);
        assert_eq!(d["validity"]["seconds"], 172800);
        assert_eq!(
            d["concat"],
            serde_json::json!({"ref": 77, "total": decoded.len(), "seq": i + 1})
        );
        joined.push_str(d["text"].as_str().unwrap());
    }
    assert_eq!(joined, text);
}

#[test]
fn shift_tables_only_when_asked() {
    let encode = |extra: &[&str]| {
        let mut args = vec!["pdu", "encode", "--to", "+905321234567", "--text", "Günaydın Şükrü"];
        args.extend(extra);
        let out = bubblegate(&args, None);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let parts: Value = serde_json::from_slice(&out.stdout).unwrap();
        let hex = parts[0]["pdu"].as_str().unwrap().to_string();
        json_lines(&bubblegate(&["pdu", "decode", &hex], None)).remove(0)
    };
    let plain = encode(&[]);
    assert_eq!(plain["coding"], "ucs2");
    let turkish = encode(&["--shift", "turkish"]);
    assert_eq!(turkish["coding"], "gsm7");
    assert_eq!(turkish["text"], "Günaydın Şükrü");
    let ies: Vec<u64> =
        turkish["udh"].as_array().unwrap().iter().map(|ie| ie["iei"].as_u64().unwrap()).collect();
    assert!(ies.contains(&0x24) || ies.contains(&0x25), "a national language IE: {ies:?}");
}

#[test]
fn data_with_ports() {
    let out = bubblegate(
        &["pdu", "encode", "--to", "+31612345678", "--data", "0605040B8423F0", "--port", "2948"],
        None,
    );
    assert!(out.status.success());
    let parts: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d =
        &json_lines(&bubblegate(&["pdu", "decode", parts[0]["pdu"].as_str().unwrap()], None))[0];
    assert_eq!(d["coding"], "8bit");
    assert_eq!(d["ports"], serde_json::json!({"src": 2948, "dst": 2948}));
    assert_eq!(d["data_hex"], "0605040B8423F0");
}

#[test]
fn invalid_input_exits_2_with_one_line_naming_the_byte() {
    let table: &[(&[&str], Option<&str>, &str)] = &[
        (&["pdu", "decode", "0791"], None, "byte 2"),
        (&["pdu", "decode", "07917283010010F5040BC8723888"], None, "byte 11: TP-OA is truncated"),
        (&["pdu", "decode", "zz"], None, "byte 0"),
        (&["pdu", "decode", "--no-smsc", "03"], None, "byte 0"),
        (&["pdu", "decode", "-"], Some(&format!("{HELLO}\n00FF\n")), "line 2"),
        (&["pdu", "encode", "--to", "hello", "--text", "x"], None, "--to"),
        (&["pdu", "encode", "--to", "+1", "--text", "😀", "--encoding", "gsm7"], None, "GSM 7-bit"),
        (&["pdu", "encode", "--to", "+1", "--text", "x", "--validity", "5y"], None, "unit"),
        (&["pdu", "encode", "--to", "+1", "--data", "0g"], None, "--data"),
    ];
    for (args, stdin, needle) in table {
        let out = bubblegate(args, *stdin);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr:?} should mention {needle:?}");
        assert!(!stderr.contains("panicked"), "{args:?} panicked");
    }
    // In stdin mode, good lines still print.
    let out = bubblegate(&["pdu", "decode", "-"], Some(&format!("{HELLO}\n00FF\n{HELLO}\n")));
    assert_eq!(json_lines(&out).len(), 2);
}
