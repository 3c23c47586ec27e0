//! Data tests for `modem-profiles/`: every file parses, validates against
//! the JSON schema, resolves by its USB ids and identity answers, and has
//! sane timeouts; plus the loader's error messages and the user layer.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bubblegate_profiles::{
    AtLine, CommandClass, MatchedBy, MmsMethod, Probe, ProfileError, ProfileSet, UsbId, GENERIC,
};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The profile files on disk, as `(stem, text)`, sorted.
fn profile_files() -> Vec<(String, String)> {
    let dir = repo_root().join("modem-profiles");
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .expect("modem-profiles/ is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, fs::read_to_string(&path).expect("profile is readable"))
        })
        .collect();
    files.sort();
    files
}

fn builtin() -> ProfileSet {
    ProfileSet::builtin().unwrap_or_else(|e| panic!("built-in profiles must load: {e}"))
}

#[test]
fn every_file_is_embedded_and_loads() {
    let set = builtin();
    let files = profile_files();
    assert_eq!(set.len(), files.len(), "every file in modem-profiles/ is embedded");
    for (stem, _) in &files {
        assert!(set.get(stem).is_some(), "{stem} is loaded");
    }
}

#[test]
fn the_models_issue_3_asks_for_are_covered() {
    let set = builtin();
    let wanted = [
        ("huawei-e3372", "E3372"),
        ("huawei-e173", "E1752"),
        ("simcom-sim800", "SIM800C"),
        ("simcom-sim7600", "SIM7600"),
        ("quectel-ec25", "EG25-G"),
        ("quectel-eg91", "EG91"),
        ("quectel-bg96", "BG96"),
        ("ublox-sara-r4", "SARA-R410M"),
        ("ublox-lara-r2", "LARA-R2"),
        ("telit-le910", "LE910"),
        ("sierra-mc73xx", "MC7354"),
        ("sierra-em74xx", "EM7455"),
        ("zte-mf", "MF626"),
        (GENERIC, "Any"),
    ];
    for (name, model_mentions) in wanted {
        let profile = set.get(name).unwrap_or_else(|| panic!("profile {name} exists"));
        assert!(
            profile.model.contains(model_mentions),
            "{name}: model {:?} mentions {model_mentions}",
            profile.model
        );
    }
}

#[test]
fn every_file_validates_against_the_json_schema() {
    let schema_path = repo_root().join("schemas/modem-profile.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&schema_path).expect("schema is readable"))
            .expect("schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let mut failures = Vec::new();
    for (stem, text) in profile_files() {
        let instance: serde_json::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{stem}.toml is TOML: {e}"));
        for error in validator.iter_errors(&instance) {
            failures.push(format!("{stem}.toml: {} at {}", error, error.instance_path()));
        }
    }
    assert!(failures.is_empty(), "schema violations:\n{}", failures.join("\n"));
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    // The schema is the contract for editors and other tools; check that
    // it bites on the same basic mistakes as the Rust loader.
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(repo_root().join("schemas/modem-profile.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let generic = generic_text();
    let table = [
        ("unknown key", generic.replace("vendor = \"Any\"", "vendor = \"Any\"\ncolour = \"red\"")),
        (
            "two send attempts",
            generic.replace(
                "sms_send = { ms = 120_000, attempts = 1 }",
                "sms_send = { ms = 120_000, attempts = 2 }",
            ),
        ),
        ("bad cnmi", generic.replace("cnmi = \"2,1,0,1,0\"", "cnmi = \"0,1,0,1,0\"")),
        ("bad usb id", generic.replace("usb = []", "usb = [\"12d1-1506\"]")),
        (
            "mms commands without modem_at",
            generic.replace("method = \"none\"", "method = \"none\"\ncommands = [\"AT+CMMSINIT\"]"),
        ),
    ];
    for (what, text) in table {
        let instance: serde_json::Value = toml::from_str(&text).unwrap();
        assert!(!validator.is_valid(&instance), "schema accepts {what}");
        assert!(
            bubblegate_profiles::parse_user_profile("generic.toml", &text).is_err(),
            "loader accepts {what}"
        );
    }
}

#[test]
fn every_profile_resolves_by_each_of_its_usb_ids() {
    let set = builtin();
    for profile in set.iter() {
        for &usb in &profile.recognition.usb {
            let resolution = set.resolve(&Probe { usb: Some(usb), ..Probe::default() });
            assert_eq!(resolution.profile.name, profile.name, "{usb}");
            assert_eq!(resolution.matched_by, MatchedBy::Usb(usb));
            if profile.port.usb_interface_for(usb).is_none() {
                // Probing is allowed, but the profile must say why.
                assert!(
                    !profile.quirks.is_empty(),
                    "{}: no AT interface for {usb} and no quirk explaining it",
                    profile.name
                );
            }
        }
    }
}

#[test]
fn every_profile_resolves_by_its_own_identity_answers() {
    let set = builtin();
    for profile in set.iter() {
        let identity = &profile.identity;
        let resolution = set.resolve(&Probe {
            usb: None,
            manufacturer: Some(&identity.manufacturer),
            model: Some(&identity.model),
        });
        assert_eq!(resolution.profile.name, profile.name);
        let expected =
            if profile.name == GENERIC { MatchedBy::Fallback } else { MatchedBy::Identity };
        assert_eq!(resolution.matched_by, expected, "{}", profile.name);
    }
}

#[test]
fn identity_resolution_table() {
    let set = builtin();
    // (+CGMI, +CGMM, expected profile): real answers as modems print them.
    let table = [
        ("SIMCOM_Ltd", "SIMCOM_SIM800L", "simcom-sim800"),
        ("SIMCOM INCORPORATED", "SIMCOM_SIM7600G-H", "simcom-sim7600"),
        ("Quectel", "EG25", "quectel-ec25"),
        ("Quectel", "EG91", "quectel-eg91"),
        ("Quectel", "BG96", "quectel-bg96"),
        ("+CGMI: Quectel", "+CGMM: EC25", "quectel-ec25"),
        ("huawei", "E3372", "huawei-e3372"),
        ("huawei", "E1752", "huawei-e173"),
        ("u-blox", "SARA-R412M-02B", "ublox-sara-r4"),
        ("u-blox", "TOBY-R200", "ublox-lara-r2"),
        ("Telit", "LE910C4-NF", "telit-le910"),
        ("Sierra Wireless, Incorporated", "MC7354", "sierra-mc73xx"),
        ("Sierra Wireless, Incorporated", "EM7455", "sierra-em74xx"),
        ("ZTE INCORPORATED", "MF190", "zte-mf"),
        ("Acme", "Rocket 1", GENERIC),
        ("Quectel", "RM500Q", GENERIC),
    ];
    for (manufacturer, model, expected) in table {
        let resolution =
            set.resolve(&Probe { usb: None, manufacturer: Some(manufacturer), model: Some(model) });
        assert_eq!(resolution.profile.name, expected, "{manufacturer} / {model}");
    }
}

/// A minimal `tracing` subscriber that records WARN events, so a test can
/// prove the fallback is logged.
#[derive(Clone, Default)]
struct WarnRecorder(Arc<Mutex<Vec<String>>>);

impl tracing::Subscriber for WarnRecorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Message(String);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!("{}={:?} ", field.name(), value));
            }
        }
        if *event.metadata().level() == tracing::Level::WARN {
            let mut message = Message(String::new());
            event.record(&mut message);
            self.0.lock().unwrap().push(message.0);
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn unknown_modem_falls_back_to_generic_with_a_warning() {
    let set = builtin();
    let recorder = WarnRecorder::default();
    let resolution = tracing::subscriber::with_default(recorder.clone(), || {
        set.resolve(&Probe {
            usb: Some(UsbId::new(0xdead, 0xbeef)),
            manufacturer: Some("Acme"),
            model: Some("Rocket 1"),
        })
    });
    assert_eq!(resolution.profile.name, GENERIC);
    assert_eq!(resolution.matched_by, MatchedBy::Fallback);
    let warnings = recorder.0.lock().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("generic"), "{}", warnings[0]);
    assert!(warnings[0].contains("dead:beef"), "{}", warnings[0]);

    // A match logs no warning.
    let recorder = WarnRecorder::default();
    tracing::subscriber::with_default(recorder.clone(), || {
        set.resolve(&Probe { usb: Some(UsbId::new(0x2c7c, 0x0125)), ..Probe::default() })
    });
    assert!(recorder.0.lock().unwrap().is_empty());
}

#[test]
fn usb_id_wins_over_identity() {
    let set = builtin();
    let resolution = set.resolve(&Probe {
        usb: Some(UsbId::new(0x2c7c, 0x0125)),
        manufacturer: Some("SIMCOM_Ltd"),
        model: Some("SIMCOM_SIM800C"),
    });
    assert_eq!(resolution.profile.name, "quectel-ec25");
}

#[test]
fn timeouts_are_sane() {
    for profile in builtin().iter() {
        let t = &profile.timeouts;
        let name = &profile.name;
        assert_eq!(t.sms_send.attempts.get(), 1, "{name}: +CMGS is never resent");
        assert!(t.sms_send.duration.as_secs() >= 60, "{name}: +CMGS gets at least 60 s");
        assert!(t.operator.duration.as_secs() >= 60, "{name}: +COPS gets at least 60 s");
        assert!(
            t.default.duration.as_secs() >= 1 && t.default.duration.as_secs() <= 30,
            "{name}: default timeout between 1 and 30 s"
        );
        for class in [CommandClass::SmsRead, CommandClass::SmsDelete, CommandClass::Reset] {
            assert!(t.get(class).duration >= t.default.duration, "{name}: {class:?}");
        }
        assert_eq!(
            matches!(profile.mms.method, MmsMethod::ModemAt { .. }),
            t.mms.is_some(),
            "{name}: mms timeout exactly for modem_at"
        );
    }
}

#[test]
fn documented_manual_timeouts_are_kept() {
    // SIM800 manual: +CMGS up to 60 s. EC25 manual: +CMGS up to 120 s.
    let set = builtin();
    let send = |name: &str| set.get(name).unwrap().timeouts.sms_send.duration.as_secs();
    assert!(send("simcom-sim800") >= 60);
    assert!(send("quectel-ec25") >= 120);
    assert!(send("quectel-eg91") >= 120);
}

#[test]
fn startup_has_init_and_sms_setup() {
    for profile in builtin().iter() {
        assert!(!profile.init.is_empty(), "{}", profile.name);
        let startup: Vec<String> = profile.startup().iter().map(|l| l.to_string()).collect();
        let cmgf = if profile.sms.modes.pdu { "AT+CMGF=0" } else { "AT+CMGF=1" };
        assert!(startup.iter().any(|l| l == cmgf), "{}: {startup:?}", profile.name);
        assert!(startup.iter().any(|l| l.starts_with("AT+CPMS=\"")), "{}", profile.name);
        assert!(
            startup.iter().any(|l| *l == format!("AT+CNMI={}", profile.sms.cnmi)),
            "{}",
            profile.name
        );
        assert!(!profile.recovery.soft_reset.is_empty(), "{}", profile.name);
        assert!(!profile.queries.signal.is_empty(), "{}", profile.name);
        assert!(!profile.queries.registration.is_empty(), "{}", profile.name);
        assert!(!profile.sources.is_empty(), "{}", profile.name);
    }
}

#[test]
fn ready_urcs_waited_for_are_declared_with_examples() {
    for profile in builtin().iter() {
        for prefix in &profile.boot.wait_for {
            let urc = profile
                .urcs
                .iter()
                .find(|u| &u.prefix == prefix)
                .unwrap_or_else(|| panic!("{}: {prefix} declared", profile.name));
            assert!(urc.example.starts_with(prefix.as_str()));
        }
    }
    let sim800 = builtin().get("simcom-sim800").cloned().unwrap();
    assert_eq!(sim800.boot.wait_for, ["SMS Ready"]);
}

#[test]
fn command_classes_follow_the_command_name() {
    let set = builtin();
    let ec25 = set.get("quectel-ec25").unwrap();
    let line = |s: &str| {
        ec25.commands()
            .into_iter()
            .map(|(_, l)| l.clone())
            .chain(ec25.sms_setup())
            .find(|l| l.as_str() == s)
            .unwrap_or_else(|| panic!("{s} is a command of the profile"))
    };
    assert_eq!(ec25.command_class(&line("AT+CFUN=1,1")), CommandClass::Reset);
    assert_eq!(ec25.command_class(&line("AT+COPS?")), CommandClass::Operator);
    assert_eq!(ec25.command_class(&line("AT+QMMSEND=100")), CommandClass::Mms);
    assert_eq!(ec25.command_class(&line("AT+CMGF=0")), CommandClass::Default);
    assert_eq!(ec25.timeout_for(&line("AT+QCCID")), ec25.timeouts.default);
    let names: Vec<String> = ["AT+QCCID", "AT^HCSQ?", "ATE0", "AT#QSS=2", "AT!RESET"]
        .iter()
        .map(|s| command_name(s))
        .collect();
    assert_eq!(names, ["+QCCID", "^HCSQ", "E", "#QSS", "!RESET"]);
}

fn command_name(s: &str) -> String {
    let set = builtin();
    let all: Vec<AtLine> =
        set.iter().flat_map(|p| p.commands().into_iter().map(|(_, l)| l.clone())).collect();
    all.iter()
        .find(|l| l.as_str() == s)
        .unwrap_or_else(|| panic!("{s} is used by some profile"))
        .command_name()
}

fn generic_text() -> String {
    fs::read_to_string(repo_root().join("modem-profiles/generic.toml")).unwrap()
}

/// Loads `generic.toml` with one edit and returns the error text.
fn check_error(edit: (&str, &str), expect: &str) {
    let text = generic_text();
    assert!(text.contains(edit.0), "fixture has {:?}", edit.0);
    let text = text.replacen(edit.0, edit.1, 1);
    let err = bubblegate_profiles::parse_user_profile("generic.toml", &text)
        .expect_err("the edit makes the profile invalid")
        .to_string();
    assert!(err.contains(expect), "expected {expect:?} in:\n{err}");
    assert!(err.starts_with("generic.toml: "), "error names the file: {err}");
}

#[test]
fn validation_errors_name_the_file_key_and_problem() {
    let table: &[((&str, &str), &str)] = &[
        (("vendor = \"Any\"", "vendor = \"Any\"\ncolour = 1"), "unknown field `colour`"),
        (("schema_version = 1", "schema_version = 2"), "`schema_version`: is 2"),
        (("name = \"generic\"", "name = \"other\""), "`name`: `other` must equal the file name"),
        (("usb = []", "usb = [\"2c7c:0125\"]"), "`recognition`: must be empty in `generic`"),
        (
            ("\"ATV1\",", "\"ATV1\",\n\"AT+CNMI=2,2,0,0,0\","),
            "`init[2]`: `AT+CNMI=2,2,0,0,0` sets +CNMI",
        ),
        (("\"ATV1\",", "\"ATV1\",\n\"AT+CFUN=1,1\","), "`init[2]`: `AT+CFUN=1,1` resets the modem"),
        (("\"ATE0\",", "\"ATE0\\r\","), "`init[0]`: \"ATE0\\r\" must be one line"),
        (("\"ATE0\",", "\"E0\","), "`init[0]`: \"E0\" must start with `AT`"),
        (
            (
                "sms_send = { ms = 120_000, attempts = 1 }",
                "sms_send = { ms = 120_000, attempts = 2 }",
            ),
            "`timeouts.sms_send.attempts`: must be 1",
        ),
        (
            ("default = { ms = 10_000, attempts = 2 }", "default = { ms = 10, attempts = 2 }"),
            "`timeouts.default.ms`: 10 ms is outside 100 ms to 10 minutes",
        ),
        (
            ("reset = { ms = 30_000, attempts = 1 }", "reset = { ms = 1_000, attempts = 1 }"),
            "`timeouts.reset.ms`: must not be shorter than timeouts.default",
        ),
        (
            ("cnmi = \"2,1,0,1,0\"", "cnmi = \"2,2,0,1,0\""),
            "`sms.cnmi`: `2,2,0,1,0` has <mt>=2, but delivery `store` needs <mt>=1",
        ),
        (
            ("cnmi = \"2,1,0,1,0\"", "cnmi = \"0,1,0,1,0\""),
            "<mode>=0 keeps indications inside the modem",
        ),
        (("cnmi = \"2,1,0,1,0\"", "cnmi = \"2,1\""), "must be five integers"),
        (("delivery = \"store\"", "delivery = \"forward\""), "`sms.delivery`: `forward` is not"),
        (
            ("storage = [\"SM\", \"SM\", \"SM\"]", "storage = [\"SM\", \"SM\"]"),
            "exactly three storages",
        ),
        (
            ("storage = [\"SM\", \"SM\", \"SM\"]", "storage = [\"sm\", \"SM\", \"SM\"]"),
            "`sms.storage[0]`: \"sm\" is not a +CPMS storage name",
        ),
        (
            ("modes = [\"pdu\", \"text\"]", "modes = [\"pdu\", \"pdu\"]"),
            "`sms.modes[1]`: `pdu` is listed twice",
        ),
        (("needs_cnma = false", "needs_cnma = true\n[sms.capacity]\nSM = 20"), ""),
        (
            ("wait_for = []", "wait_for = [\"SMS Ready\"]"),
            "`boot.wait_for[0]`: \"SMS Ready\" is not declared in [[urcs]]",
        ),
        (
            ("method = \"none\"", "method = \"modem_at\""),
            "`mms.commands`: must list at least one command",
        ),
        (("method = \"none\"", "method = \"fax\""), "`mms.method`: `fax` is not one of"),
        (
            ("flow_control = \"none\"", "flow_control = \"rts\""),
            "`port.flow_control`: `rts` is not one of",
        ),
        (
            ("baud = 115200", "baud = 115200\nusb_interface = 40"),
            "`port.usb_interface`: 40 is not a USB interface number",
        ),
        (("version = \"Release 17\"", "version = \"\""), "`sources[0].version`: must not be empty"),
        (("iccid = \"AT+CRSM=176,12258,0,0,10\"", "iccid = 5"), "invalid type"),
    ];
    for (edit, expect) in table {
        if expect.is_empty() {
            // The needs_cnma row: store delivery with <ds>=1 may need +CNMA
            // for +CDS, so this edit is valid.
            let text = generic_text().replacen(edit.0, edit.1, 1);
            bubblegate_profiles::parse_user_profile("generic.toml", &text)
                .unwrap_or_else(|e| panic!("valid edit rejected: {e}"));
            continue;
        }
        check_error(*edit, expect);
    }
}

#[test]
fn stored_status_reports_need_pdu_mode_and_the_storage_that_is_read() {
    let parse = |edits: &[(&str, &str)]| {
        let mut text = generic_text();
        for (from, to) in edits {
            assert!(text.contains(from), "fixture has {from:?}");
            text = text.replacen(from, to, 1);
        }
        bubblegate_profiles::parse_user_profile("generic.toml", &text).map_err(|e| e.to_string())
    };
    let store = ("cnmi = \"2,1,0,1,0\"", "cnmi = \"2,1,0,2,0\"");
    let profile = parse(&[store]).expect("<ds>=2 with PDU mode and one storage is valid");
    assert!(profile.sms.cnmi.stores_reports());
    assert!(profile.sms.cnmi.status_reports());

    let err = parse(&[store, ("modes = [\"pdu\", \"text\"]", "modes = [\"text\"]")]).unwrap_err();
    assert!(err.contains("`sms.cnmi`: `2,1,0,2,0` stores status reports"), "{err}");
    assert!(err.contains("PDU mode only"), "{err}");
    // Routed reports (<ds>=1) are fine in text mode.
    parse(&[("modes = [\"pdu\", \"text\"]", "modes = [\"text\"]")]).expect("text mode, <ds>=1");

    let other_mem3 = ("storage = [\"SM\", \"SM\", \"SM\"]", "storage = [\"SM\", \"SM\", \"ME\"]");
    let err = parse(&[store, other_mem3]).unwrap_err();
    assert!(err.contains("in mem3 `ME`, but the daemon reads mem1 `SM`"), "{err}");
    parse(&[other_mem3]).expect("a separate mem3 is fine while reports are routed");
}

/// Whether a built-in profile stores status reports is a fact about the
/// model: each file says in a comment above `cnmi` why it stores them
/// (`<ds>=2`) or routes them (`<ds>=1`), and the models whose manuals
/// confirm storage do store them.
#[test]
fn every_profile_explains_where_its_status_reports_go() {
    let set = ProfileSet::builtin().unwrap();
    for (stem, text) in profile_files() {
        let profile = set.get(&stem).unwrap();
        let ds = profile.sms.cnmi.ds;
        let explained = text.lines().any(|l| l.trim_start().starts_with(&format!("# <ds>={ds}:")));
        assert!(explained, "{stem}: no `# <ds>={ds}:` comment says why");
    }
    for name in ["quectel-ec25", "quectel-eg91", "telit-le910"] {
        assert!(set.get(name).unwrap().sms.cnmi.stores_reports(), "{name} stores reports");
    }
    // SIM800 manual V1.09: <ds> 0 and 1 only, no +CNMA.
    let sim800 = set.get("simcom-sim800").unwrap();
    assert!(!sim800.sms.cnmi.stores_reports() && !sim800.sms.needs_cnma);
    assert!(sim800.quirks.iter().any(|q| q.problem.contains("cannot store status reports")));
}

#[test]
fn urc_rules_are_checked() {
    let sim800 = fs::read_to_string(repo_root().join("modem-profiles/simcom-sim800.toml")).unwrap();
    let parse = |text: &str| {
        bubblegate_profiles::parse_user_profile("simcom-sim800.toml", text)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let bad_example = sim800.replacen("example = \"DST: 0\"", "example = \"XDST: 0\"", 1);
    let err = parse(&bad_example).unwrap_err();
    assert!(err.contains("does not start with the prefix \"DST:\""), "{err}");
    let bad_kind = sim800.replacen("kind = \"network_time\"", "kind = \"weather\"", 1);
    let err = parse(&bad_kind).unwrap_err();
    assert!(err.contains("`weather` is not one of ready"), "{err}");
    let not_ready = sim800.replacen(
        "prefix = \"SMS Ready\"\nexample = \"SMS Ready\"\nkind = \"ready\"",
        "prefix = \"SMS Ready\"\nexample = \"SMS Ready\"\nkind = \"sms\"",
        1,
    );
    let err = parse(&not_ready).unwrap_err();
    assert!(err.contains("`boot.wait_for[0]`"), "{err}");
    let wrong_identity = sim800.replacen("model = \"SIMCOM_SIM800C\"", "model = \"SIM900\"", 1);
    let err = parse(&wrong_identity).unwrap_err();
    assert!(err.contains("`recognition.model`: no pattern matches"), "{err}");
}

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

#[test]
fn user_directory_overrides_and_extends_the_builtin_set() {
    let dir = tempfile::tempdir().unwrap();
    let ec25 = fs::read_to_string(repo_root().join("modem-profiles/quectel-ec25.toml")).unwrap();
    let overridden =
        ec25.replacen("summary = \"LTE Cat-4", "summary = \"Site override: LTE Cat-4", 1);
    write(dir.path(), "quectel-ec25.toml", &overridden);
    let acme = generic_text()
        .replacen("name = \"generic\"", "name = \"acme-x1\"", 1)
        .replacen("usb = []", "usb = [\"1e0e:9001\", \"1234:5678\"]", 1)
        .replacen("manufacturer = []", "manufacturer = [\"Acme*\"]", 1)
        .replacen("manufacturer = \"Generic\"", "manufacturer = \"Acme\"", 1);
    write(dir.path(), "acme-x1.toml", &acme);
    write(dir.path(), "README.md", "not a profile");

    let set = ProfileSet::load(Some(dir.path())).unwrap();
    assert_eq!(set.len(), builtin().len() + 1);
    let ec25 = set.get("quectel-ec25").unwrap();
    assert!(ec25.summary.starts_with("Site override"));
    assert!(ec25.origin.to_string().ends_with("quectel-ec25.toml"));

    // A user profile claiming a built-in profile's USB id wins.
    let by_usb = set.resolve(&Probe { usb: Some(UsbId::new(0x1e0e, 0x9001)), ..Probe::default() });
    assert_eq!(by_usb.profile.name, "acme-x1");
    let by_identity =
        set.resolve(&Probe { usb: None, manufacturer: Some("ACME Corp"), model: Some("X1") });
    assert_eq!(by_identity.profile.name, "acme-x1");
    assert_eq!(by_identity.matched_by, MatchedBy::Identity);
}

#[test]
fn a_bad_user_profile_is_an_error_naming_its_path() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "broken.toml", "name = \"broken\"\n");
    let err = ProfileSet::load(Some(dir.path())).unwrap_err();
    assert!(matches!(err, ProfileError::Parse { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("broken.toml"), "{text}");
    assert!(text.contains("missing field"), "{text}");

    let missing = dir.path().join("nope");
    let err = ProfileSet::load(Some(&missing)).unwrap_err();
    assert!(matches!(err, ProfileError::Io { .. }), "{err:?}");
}

#[test]
fn duplicate_usb_ids_in_one_layer_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["one", "two"] {
        let text = generic_text()
            .replacen("name = \"generic\"", &format!("name = \"{name}\""), 1)
            .replacen("usb = []", "usb = [\"1234:5678\"]", 1);
        write(dir.path(), &format!("{name}.toml"), &text);
    }
    let err = ProfileSet::load(Some(dir.path())).unwrap_err().to_string();
    assert_eq!(err, "USB id 1234:5678 is claimed by both `one` and `two`");
}

#[test]
fn usb_interface_exceptions_apply_per_id() {
    let set = builtin();
    let telit = set.get("telit-le910").unwrap();
    assert_eq!(telit.port.usb_interface_for(UsbId::new(0x1bc7, 0x1201)), Some(4));
    assert_eq!(telit.port.usb_interface_for(UsbId::new(0x1bc7, 0x1031)), Some(1));
    let zte = set.get("zte-mf").unwrap();
    assert_eq!(zte.port.usb_interface_for(UsbId::new(0x19d2, 0x0117)), Some(2));
    assert_eq!(zte.port.usb_interface_for(UsbId::new(0x19d2, 0x0031)), Some(3));
}

#[test]
fn the_at_engine_parses_every_command_a_profile_names() {
    let mut failures = Vec::new();
    for profile in builtin().iter() {
        let setup = profile.sms_setup();
        let named = profile.commands().into_iter();
        let derived = setup.iter().enumerate().map(|(i, l)| (format!("sms_setup[{i}]"), l));
        for (key, line) in named.chain(derived) {
            if let Err(e) = bubblegate_at::validate_command_line(line.as_str()) {
                failures.push(format!("{}: `{key}` = {line:?}: {e}", profile.name));
            }
        }
    }
    assert!(failures.is_empty(), "the AT engine rejects:\n{}", failures.join("\n"));
}

#[test]
fn the_at_engine_classifies_every_urc_example_as_a_urc() {
    let mut failures = Vec::new();
    for profile in builtin().iter() {
        let prefixes = profile.urc_prefixes();
        for urc in &profile.urcs {
            if bubblegate_at::classify_unsolicited(&urc.example, &prefixes).is_none() {
                failures.push(format!("{}: {:?} ({})", profile.name, urc.example, urc.prefix));
            }
        }
    }
    assert!(failures.is_empty(), "not classified as URCs:\n{}", failures.join("\n"));
}

#[test]
fn the_engine_check_bites_on_a_broken_line() {
    // The loader's own check is shallow (one printable AT line); the
    // engine's parser catches what would confuse a modem.
    let text = generic_text().replacen("\"ATV1\",", "'AT+CSCS=\"GSM',", 1);
    let profile = bubblegate_profiles::parse_user_profile("generic.toml", &text).unwrap();
    let broken = profile.init.iter().find(|l| l.as_str().starts_with("AT+CSCS")).unwrap();
    assert!(bubblegate_at::validate_command_line(broken.as_str()).is_err());
    assert!(bubblegate_at::classify_unsolicited("^NOTAURC: 1", &[]).is_none());
}
