//! The +CMS and +CME tables: every code named, numbers unique, verbose
//! texts parse back to the same code, and the classifications the issue
//! calls out.

use std::collections::HashSet;

use bubblegate_at::{CmeCode, CmeError, CmsCode, CmsError, ErrorClass, FinalResult};

#[test]
fn every_cms_code_has_a_unique_number_and_a_name_that_parses_back() {
    let mut seen = HashSet::new();
    for &code in CmsCode::ALL {
        assert!(seen.insert(code.code()), "duplicate {}", code.code());
        assert!(!code.name().is_empty());
        assert_eq!(CmsCode::from_code(code.code()), Some(code));
        let by_text = CmsCode::from_text(code.name()).expect("name parses");
        assert_eq!(by_text.name().to_lowercase(), code.name().to_lowercase());
        assert_eq!(CmsError::parse(&code.code().to_string()), CmsError::Known(code));
    }
    // 27.005 3.2.5's own codes, all of them.
    for n in [
        300, 301, 302, 303, 304, 305, 310, 311, 312, 313, 314, 315, 316, 317, 318, 320, 321, 322,
        330, 331, 332, 340, 500,
    ] {
        assert!(CmsCode::from_code(n).is_some(), "CMS {n} missing");
    }
}

#[test]
fn every_cme_code_has_a_unique_number_and_a_name_that_parses_back() {
    let mut seen = HashSet::new();
    for &code in CmeCode::ALL {
        assert!(seen.insert(code.code()), "duplicate {}", code.code());
        assert!(!code.name().is_empty());
        assert_eq!(CmeCode::from_code(code.code()), Some(code));
        let by_text = CmeCode::from_text(code.name()).expect("name parses");
        assert_eq!(by_text.name().to_lowercase(), code.name().to_lowercase());
    }
    let general = [
        0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 22, 23, 24, 25, 26, 27,
        30, 31, 32, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 100,
    ];
    let gprs = [
        103, 106, 107, 108, 111, 112, 113, 115, 122, 125, 126, 127, 128, 129, 130, 131, 132, 133,
        134, 140, 141, 142, 143, 144, 145, 146, 148, 149, 150, 171, 172, 173, 174, 175, 176, 177,
        178, 179, 180, 181,
    ];
    for n in general.into_iter().chain(gprs) {
        assert!(CmeCode::from_code(n).is_some(), "CME {n} missing");
    }
}

#[test]
fn classifications_called_out_by_the_issue() {
    let cases: &[(&str, ErrorClass)] = &[
        ("+CMS ERROR: 331", ErrorClass::Temporary),
        ("+CMS ERROR: 304", ErrorClass::Permanent),
        ("+CMS ERROR: 322", ErrorClass::Temporary),
        ("+CMS ERROR: 330", ErrorClass::Permanent),
        ("+CMS ERROR: 42", ErrorClass::Temporary),
        ("+CMS ERROR: 1", ErrorClass::Permanent),
        ("+CMS ERROR: 500", ErrorClass::Temporary),
        ("+CMS ERROR: 543", ErrorClass::Temporary),
        ("+CME ERROR: 10", ErrorClass::Permanent),
        ("+CME ERROR: 11", ErrorClass::Permanent),
        ("+CME ERROR: 14", ErrorClass::Temporary),
        ("+CME ERROR: 30", ErrorClass::Temporary),
        ("+CME ERROR: 127", ErrorClass::Permanent),
        ("+CME ERROR: 999", ErrorClass::Temporary),
        ("+CME ERROR: SIM not inserted", ErrorClass::Permanent),
    ];
    for &(line, class) in cases {
        let got = match FinalResult::parse(line) {
            Some(FinalResult::Cms(e)) => e.class(),
            Some(FinalResult::Cme(e)) => e.class(),
            other => panic!("{line}: {other:?}"),
        };
        assert_eq!(got, class, "{line}");
    }
}

#[test]
fn verbose_texts_from_vendors() {
    let cases: &[(&str, u16)] = &[
        ("SIM not inserted", 310),
        ("(U)SIM not inserted", 310),
        ("PH-SIM PIN required", 312),
        ("Memory full", 322),
        ("no network service", 331),
        ("Network timeout", 332),
        ("unknown error", 500),
        ("Short message transfer rejected", 21),
    ];
    for &(text, code) in cases {
        assert_eq!(CmsError::parse(text).code(), Some(code), "{text}");
    }
    let cases: &[(&str, u16)] = &[
        ("SIM PIN required", 11),
        ("Incorrect password", 16),
        ("PH_SIM PIN required", 5),
        ("Network not allowed - Emergency calls only", 32),
        ("network personalisation PIN required", 40),
        ("Operation not allowed", 3),
        ("missing or unknown APN", 127),
    ];
    for &(text, code) in cases {
        assert_eq!(CmeError::parse(text).code(), Some(code), "{text}");
    }
}

#[test]
fn unnamed_codes_still_have_names() {
    let cases: &[(u16, &str)] = &[
        (2, "unassigned RP-cause"),
        (131, "reserved TP-FCS value"),
        (230, "TP-FCS value specific to an application"),
        (400, "reserved"),
        (512, "manufacturer specific"),
    ];
    for &(code, name) in cases {
        let error = CmsError::parse(&code.to_string());
        assert_eq!(error, CmsError::Unnamed(code));
        assert_eq!(error.name(), name);
    }
    assert_eq!(CmeError::parse("765").name(), "manufacturer specific");
    assert_eq!(CmsError::parse("99999"), CmsError::Text("99999".to_owned()));
}
