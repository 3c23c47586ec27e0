//! Segmentation: splitting a message into the SMS parts that operators
//! bill, with the cheapest coding that holds it.
//!
//! Capacities follow from the 140-octet user data (TS 23.040 clause
//! 9.2.3.16) less the header: 160/153 septets for GSM 7-bit, 70/67 UCS-2
//! code units, 140/134 octets of data, with the 8-bit concatenation IE.
//! National language IEs (3 octets each) and the 16-bit reference IE take
//! more. A segment never ends inside an escape sequence (TS 23.038 clause
//! 6.2.1.1) or between the halves of a surrogate pair.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dcs::{Coding, Dcs};
use crate::error::EncodeError;
use crate::gsm7::{Charset, Language};
use crate::tpdu::Submit;
use crate::udh::{Concat, Ie, Ports, Udh};
use crate::user_data::{Body, UserData, MAX_UD_OCTETS};
use crate::Address;

/// Which coding the caller allows for text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextEncoding {
    /// GSM 7-bit where it fits (with the enabled shift tables), else UCS-2.
    #[default]
    Auto,
    Gsm7,
    Ucs2,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentOptions {
    pub encoding: TextEncoding,
    /// National languages whose shift tables the encoder may use. Empty:
    /// only the default alphabet, which every phone reads.
    pub languages: Vec<Language>,
    /// Use 16-bit concatenation references (one septet less per part).
    pub wide_reference: bool,
}

/// How a message will be sent: its coding, tables and parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub coding: Coding,
    /// The GSM 7-bit tables in force; default for other codings.
    pub charset: Charset,
    pub ports: Option<Ports>,
    pub wide_reference: bool,
    /// One body per part, in order.
    pub parts: Vec<Body>,
}

impl Plan {
    /// Parts as billed.
    pub fn count(&self) -> usize {
        self.parts.len()
    }

    /// The DCS for this plan's coding, with an optional message class.
    pub fn dcs(&self, class: Option<u8>) -> Dcs {
        Dcs::new(self.coding, class)
    }

    /// The user data of each part. `reference` is used only when there is
    /// more than one part; take it from a [`ReferenceCounter`].
    pub fn user_data(&self, reference: u16) -> Vec<UserData> {
        let total = self.parts.len();
        self.parts
            .iter()
            .enumerate()
            .map(|(i, body)| {
                let concat = (total > 1).then(|| Concat {
                    reference,
                    total: total as u8,
                    seq: i as u8 + 1,
                    wide: self.wide_reference,
                });
                let ies = header_ies(self.charset, self.ports, concat);
                UserData { udh: (!ies.is_empty()).then_some(Udh { ies }), body: body.clone() }
            })
            .collect()
    }

    /// One SMS-SUBMIT per part, copying `template`'s fields and keeping
    /// its message class.
    pub fn submits(&self, template: &Submit, reference: u16) -> Vec<Submit> {
        let dcs = self.dcs(template.dcs.class());
        self.user_data(reference)
            .into_iter()
            .map(|user_data| Submit { dcs, user_data, ..template.clone() })
            .collect()
    }
}

/// The header IEs of one part, in a fixed order: concatenation, ports,
/// then the language shifts.
fn header_ies(charset: Charset, ports: Option<Ports>, concat: Option<Concat>) -> Vec<Ie> {
    let mut ies = Vec::new();
    ies.extend(concat.map(Ie::Concat));
    ies.extend(ports.map(Ie::Ports));
    ies.extend(charset.single.map(|language| Ie::SingleShift { language }));
    ies.extend(charset.locking.map(|language| Ie::LockingShift { language }));
    ies
}

/// Octets of the header, UDHL included; 0 for no header.
fn header_octets(charset: Charset, ports: Option<Ports>, concat: Option<bool>) -> usize {
    let concat = concat.map(|wide| Concat { reference: 0, total: 1, seq: 1, wide });
    let ies = header_ies(charset, ports, concat);
    if ies.is_empty() {
        0
    } else {
        Udh { ies }.encoded_len()
    }
}

/// Plans a text message.
pub fn plan_text(text: &str, opts: &SegmentOptions) -> Result<Plan, EncodeError> {
    let gsm7 = || {
        charsets(&opts.languages)
            .filter_map(|cs| gsm7_plan(text, cs, opts.wide_reference))
            .min_by_key(Plan::count)
    };
    let plan = match opts.encoding {
        TextEncoding::Gsm7 => match gsm7() {
            Some(plan) => plan,
            None => {
                let cs = Charset::DEFAULT;
                let bad = text.chars().find(|c| cs.encode_char(*c).is_none()).unwrap_or('\u{FFFD}');
                return Err(EncodeError::NotGsm7(bad));
            }
        },
        TextEncoding::Ucs2 => ucs2_plan(text, opts.wide_reference),
        TextEncoding::Auto => {
            let ucs2 = ucs2_plan(text, opts.wide_reference);
            match gsm7() {
                Some(g) if g.count() <= ucs2.count() => g,
                _ => ucs2,
            }
        }
    };
    if plan.count() > 255 {
        return Err(EncodeError::TooManySegments(plan.count()));
    }
    Ok(plan)
}

/// Plans binary data, with application ports if given.
pub fn plan_data(
    data: &[u8],
    ports: Option<Ports>,
    wide_reference: bool,
) -> Result<Plan, EncodeError> {
    let cs = Charset::DEFAULT;
    let single = MAX_UD_OCTETS - header_octets(cs, ports, None);
    let parts: Vec<Body> = if data.len() <= single {
        vec![Body::Data(data.to_vec())]
    } else {
        let each = MAX_UD_OCTETS - header_octets(cs, ports, Some(wide_reference));
        data.chunks(each).map(|c| Body::Data(c.to_vec())).collect()
    };
    if parts.len() > 255 {
        return Err(EncodeError::TooManySegments(parts.len()));
    }
    Ok(Plan { coding: Coding::EightBit, charset: cs, ports, wide_reference, parts })
}

/// The charsets to try, most preferred first: the default alphabet, then
/// each single shift, each locking shift, then each pair. Fewer IEs come
/// first, so that a tie goes to the smaller header.
fn charsets(languages: &[Language]) -> impl Iterator<Item = Charset> + '_ {
    let singles = languages.iter().map(|l| Charset { locking: None, single: Some(*l) });
    let lockings = languages
        .iter()
        .filter(|l| crate::gsm7::locking_shift(**l).is_some())
        .map(|l| Charset { locking: Some(*l), single: None });
    let pairs = lockings
        .clone()
        .flat_map(move |lock| languages.iter().map(move |s| Charset { single: Some(*s), ..lock }));
    std::iter::once(Charset::DEFAULT).chain(singles).chain(lockings).chain(pairs)
}

/// Splits `text` into parts of at most `capacity` units, where `cost`
/// gives each character's units and never splits a character.
fn split(text: &str, capacity: usize, cost: impl Fn(char) -> usize) -> Vec<Body> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    for c in text.chars() {
        let n = cost(c);
        if used + n > capacity {
            parts.push(Body::Text(std::mem::take(&mut current)));
            used = 0;
        }
        current.push(c);
        used += n;
    }
    parts.push(Body::Text(current));
    parts
}

fn septet_capacity(header: usize) -> usize {
    (MAX_UD_OCTETS - header) * 8 / 7
}

fn gsm7_plan(text: &str, charset: Charset, wide_reference: bool) -> Option<Plan> {
    let total = charset.septet_len(text)?;
    let single = septet_capacity(header_octets(charset, None, None));
    let parts = if total <= single {
        vec![Body::Text(text.to_string())]
    } else {
        let each = septet_capacity(header_octets(charset, None, Some(wide_reference)));
        // Every character was checked by `septet_len` above.
        split(text, each, |c| charset.encode_char(c).map_or(1, |s| s.count()))
    };
    Some(Plan { coding: Coding::Gsm7, charset, ports: None, wide_reference, parts })
}

fn ucs2_plan(text: &str, wide_reference: bool) -> Plan {
    let cs = Charset::DEFAULT;
    let total = text.encode_utf16().count();
    let single = MAX_UD_OCTETS / 2;
    let parts = if total <= single {
        vec![Body::Text(text.to_string())]
    } else {
        let each = (MAX_UD_OCTETS - header_octets(cs, None, Some(wide_reference))) / 2;
        split(text, each, char::len_utf16)
    };
    Plan { coding: Coding::Ucs2, charset: cs, ports: None, wide_reference, parts }
}

/// Concatenation references, one sequence per destination, so that parts of
/// two messages to the same phone never share a reference while both could
/// be in its reassembly buffer. Serializable, so that a restart continues
/// the sequence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceCounter {
    /// 16-bit references wrap at 65535, 8-bit ones at 255.
    pub wide: bool,
    next: BTreeMap<String, u16>,
}

impl ReferenceCounter {
    pub fn new(wide: bool) -> Self {
        ReferenceCounter { wide, next: BTreeMap::new() }
    }

    /// The reference for the next multipart message to `destination`.
    pub fn next(&mut self, destination: &Address) -> u16 {
        let slot = self.next.entry(destination.to_string()).or_insert(0);
        let reference = *slot;
        let max = if self.wide { u16::MAX } else { u8::MAX as u16 };
        *slot = if reference >= max { 0 } else { reference + 1 };
        reference
    }
}
