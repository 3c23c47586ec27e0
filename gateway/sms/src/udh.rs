//! The user data header, TS 23.040 clause 9.2.3.24: a length octet, then
//! information elements (IEI, length, data). Known IEs are parsed; the rest,
//! and known IEs whose length or values break the spec, are kept as raw
//! bytes so that re-encoding reproduces them.

use serde::{Deserialize, Serialize};

use crate::cursor::Cursor;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::gsm7::{Charset, Language};

/// Concatenation info: parts of one message share `reference` and `total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Concat {
    /// 0..=255 with the 8-bit IE, 0..=65535 with the 16-bit IE.
    #[serde(rename = "ref")]
    pub reference: u16,
    pub total: u8,
    /// 1-based.
    pub seq: u8,
    /// Whether the 16-bit reference IE (0x08) carried it.
    #[serde(skip)]
    pub wide: bool,
}

/// Application port addressing (clauses 9.2.3.24.3 and 9.2.3.24.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ports {
    pub src: u16,
    pub dst: u16,
    /// Whether the 16-bit scheme (IE 0x05) carried them.
    #[serde(skip)]
    pub wide: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "ie", rename_all = "kebab-case")]
pub enum Ie {
    /// IEI 0x00 (8-bit reference) or 0x08 (16-bit reference).
    Concat(Concat),
    /// IEI 0x04 (8-bit ports) or 0x05 (16-bit ports).
    Ports(Ports),
    /// IEI 0x24: national language single shift.
    SingleShift { language: Language },
    /// IEI 0x25: national language locking shift.
    LockingShift { language: Language },
    /// Any other IE, or a known one with a bad length or value.
    Other {
        iei: u8,
        #[serde(with = "crate::hex::serde_impl")]
        data: Vec<u8>,
    },
}

impl Ie {
    fn decode(iei: u8, data: &[u8]) -> Ie {
        let concat = |reference, total, seq, wide| {
            if total == 0 || seq == 0 || seq > total {
                None
            } else {
                Some(Ie::Concat(Concat { reference, total, seq, wide }))
            }
        };
        let parsed = match (iei, data) {
            (0x00, [r, t, s]) => concat(*r as u16, *t, *s, false),
            (0x08, [r1, r2, t, s]) => concat(u16::from_be_bytes([*r1, *r2]), *t, *s, true),
            (0x04, [d, s]) => {
                Some(Ie::Ports(Ports { dst: *d as u16, src: *s as u16, wide: false }))
            }
            (0x05, [d1, d2, s1, s2]) => Some(Ie::Ports(Ports {
                dst: u16::from_be_bytes([*d1, *d2]),
                src: u16::from_be_bytes([*s1, *s2]),
                wide: true,
            })),
            (0x24, [l]) => Language::from_id(*l).map(|language| Ie::SingleShift { language }),
            (0x25, [l]) => Language::from_id(*l).map(|language| Ie::LockingShift { language }),
            _ => None,
        };
        parsed.unwrap_or_else(|| Ie::Other { iei, data: data.to_vec() })
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Ie::Concat(c) if c.wide => {
                let [r1, r2] = c.reference.to_be_bytes();
                out.extend([0x08, 4, r1, r2, c.total, c.seq]);
            }
            Ie::Concat(c) => out.extend([0x00, 3, c.reference as u8, c.total, c.seq]),
            Ie::Ports(p) if p.wide => {
                out.extend([0x05, 4]);
                out.extend(p.dst.to_be_bytes());
                out.extend(p.src.to_be_bytes());
            }
            Ie::Ports(p) => out.extend([0x04, 2, p.dst as u8, p.src as u8]),
            Ie::SingleShift { language } => out.extend([0x24, 1, language.id()]),
            Ie::LockingShift { language } => out.extend([0x25, 1, language.id()]),
            Ie::Other { iei, data } => {
                out.extend([*iei, data.len() as u8]);
                out.extend(data);
            }
        }
    }

    /// Octets this IE takes in the header, IEI and length included.
    pub fn encoded_len(&self) -> usize {
        2 + match self {
            Ie::Concat(c) => 3 + c.wide as usize,
            Ie::Ports(p) => 2 + 2 * p.wide as usize,
            Ie::SingleShift { .. } | Ie::LockingShift { .. } => 1,
            Ie::Other { data, .. } => data.len(),
        }
    }
}

/// A user data header: its IEs in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Udh {
    pub ies: Vec<Ie>,
}

impl Udh {
    /// Decodes the header at the start of the user data, UDHL included.
    pub(crate) fn decode(cur: &mut Cursor<'_>) -> Result<Udh, DecodeError> {
        let udhl = cur.u8("UDHL")? as usize;
        let body = cur.take(udhl, "user data header")?;
        let base = cur.offset() - udhl;
        let mut ies = Vec::new();
        let mut pos = 0;
        while pos < body.len() {
            let iei = body[pos];
            let Some(&len) = body.get(pos + 1) else {
                return Err(DecodeError::new(
                    base + pos,
                    DecodeErrorKind::Truncated { field: "UDH information element", needed: 1 },
                ));
            };
            let end = pos + 2 + len as usize;
            if end > body.len() {
                return Err(DecodeError::new(
                    base + pos,
                    DecodeErrorKind::Truncated {
                        field: "UDH information element",
                        needed: end - body.len(),
                    },
                ));
            }
            ies.push(Ie::decode(iei, &body[pos + 2..end]));
            pos = end;
        }
        Ok(Udh { ies })
    }

    /// Encodes UDHL and the IEs.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push((self.encoded_len() - 1) as u8);
        for ie in &self.ies {
            ie.encode(out);
        }
    }

    /// Octets of the header, the UDHL octet included.
    pub fn encoded_len(&self) -> usize {
        1 + self.ies.iter().map(Ie::encoded_len).sum::<usize>()
    }

    /// The concatenation IE, if any. When a header carries more than one
    /// (which the spec forbids), the first wins.
    pub fn concat(&self) -> Option<Concat> {
        self.ies.iter().find_map(|ie| match ie {
            Ie::Concat(c) => Some(*c),
            _ => None,
        })
    }

    pub fn ports(&self) -> Option<Ports> {
        self.ies.iter().find_map(|ie| match ie {
            Ie::Ports(p) => Some(*p),
            _ => None,
        })
    }

    /// The GSM 7-bit tables that the national language IEs select.
    pub fn charset(&self) -> Charset {
        let mut cs = Charset::DEFAULT;
        for ie in &self.ies {
            match ie {
                Ie::SingleShift { language } => cs.single = Some(*language),
                Ie::LockingShift { language } => cs.locking = Some(*language),
                _ => {}
            }
        }
        cs
    }
}
