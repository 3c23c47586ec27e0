//! TP-UDL and TP-UD (TS 23.040 clauses 9.2.3.16 and 9.2.3.24): the header
//! and the body, in GSM 7-bit septets or in octets as the DCS says.

use serde::{Deserialize, Serialize};

use crate::cursor::Cursor;
use crate::dcs::{Coding, Dcs};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::gsm7;
use crate::udh::Udh;

/// Most octets of user data in one TPDU.
pub const MAX_UD_OCTETS: usize = 140;
/// Most septets of user data in one TPDU: 140 octets hold 160 septets.
pub const MAX_UD_SEPTETS: usize = 160;

/// The body of a message: text for GSM 7-bit and UCS-2, bytes for 8-bit
/// data and compressed text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Body {
    Text(String),
    Data(#[serde(with = "crate::hex::serde_impl")] Vec<u8>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserData {
    pub udh: Option<Udh>,
    pub body: Body,
}

impl UserData {
    pub fn text(text: impl Into<String>) -> UserData {
        UserData { udh: None, body: Body::Text(text.into()) }
    }

    /// Whether the body is carried as octets rather than as text.
    fn is_octets(dcs: Dcs) -> bool {
        dcs.compressed() || dcs.coding() == Coding::EightBit
    }

    /// Decodes TP-UDL and TP-UD. `udhi` is the first octet's UDHI flag.
    pub(crate) fn decode(
        cur: &mut Cursor<'_>,
        dcs: Dcs,
        udhi: bool,
    ) -> Result<UserData, DecodeError> {
        let udl_at = cur.offset();
        let udl = cur.u8("TP-UDL")? as usize;
        let septets = dcs.coding() == Coding::Gsm7 && !dcs.compressed();
        let (max, octets) = if septets {
            (MAX_UD_SEPTETS, gsm7::septets_to_octets(udl, 0))
        } else {
            (MAX_UD_OCTETS, udl)
        };
        if udl > max {
            return Err(DecodeError::new(
                udl_at,
                DecodeErrorKind::OutOfRange { field: "TP-UDL", value: udl as u32 },
            ));
        }
        let ud_at = cur.offset();
        let ud = cur.take(octets, "TP-UD")?;
        let mut inner = Cursor::new(ud, ud_at);
        let udh = if udhi && !ud.is_empty() { Some(Udh::decode(&mut inner)?) } else { None };
        let header_octets = ud.len() - inner.remaining();
        let rest = inner.rest();

        let body = if septets {
            let charset = udh.as_ref().map(Udh::charset).unwrap_or_default();
            let header_septets = (header_octets * 8).div_ceil(7);
            let fill = (header_septets * 7 - header_octets * 8) as u8;
            let count = udl.checked_sub(header_septets).ok_or_else(|| {
                DecodeError::new(
                    udl_at,
                    DecodeErrorKind::OutOfRange { field: "TP-UDL", value: udl as u32 },
                )
            })?;
            // The fill bits open the first octet after the header.
            Body::Text(charset.decode(&gsm7::unpack(rest, fill, count)))
        } else if Self::is_octets(dcs) {
            Body::Data(rest.to_vec())
        } else {
            Body::Text(decode_ucs2(rest))
        };
        Ok(UserData { udh, body })
    }

    /// Encodes TP-UDL and TP-UD under `dcs`.
    pub(crate) fn encode(&self, dcs: Dcs, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let mut header = Vec::new();
        if let Some(udh) = &self.udh {
            udh.encode(&mut header);
        }
        match (&self.body, dcs.coding(), Self::is_octets(dcs)) {
            (Body::Text(text), Coding::Gsm7, false) => {
                let charset = self.udh.as_ref().map(Udh::charset).unwrap_or_default();
                let septets = charset.encode(text).map_err(EncodeError::NotGsm7)?;
                let header_septets = (header.len() * 8).div_ceil(7);
                let fill = (header_septets * 7 - header.len() * 8) as u8;
                let udl = header_septets + septets.len();
                if udl > MAX_UD_SEPTETS {
                    return Err(EncodeError::UserDataTooLong {
                        needed: gsm7::septets_to_octets(udl, 0),
                    });
                }
                out.push(udl as u8);
                out.extend(header);
                out.extend(gsm7::pack(&septets, fill));
            }
            (Body::Text(text), Coding::Ucs2, false) => {
                let units: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
                push_octets(out, header, &units)?;
            }
            (Body::Data(data), _, true) => push_octets(out, header, data)?,
            (Body::Text(_), _, _) => {
                return Err(EncodeError::OutOfRange {
                    field: "TP-DCS for text",
                    value: dcs.0 as u32,
                })
            }
            (Body::Data(_), _, _) => {
                return Err(EncodeError::OutOfRange {
                    field: "TP-DCS for data",
                    value: dcs.0 as u32,
                })
            }
        }
        Ok(())
    }
}

fn push_octets(out: &mut Vec<u8>, header: Vec<u8>, body: &[u8]) -> Result<(), EncodeError> {
    let udl = header.len() + body.len();
    if udl > MAX_UD_OCTETS {
        return Err(EncodeError::UserDataTooLong { needed: udl });
    }
    out.push(udl as u8);
    out.extend(header);
    out.extend(body);
    Ok(())
}

/// UTF-16BE, which is what real networks send under "UCS2" (TS 23.038
/// clause 6.2.3 points at ISO/IEC 10646; phones put emoji in as surrogate
/// pairs). Unpaired surrogates and an odd last byte become U+FFFD.
pub fn decode_ucs2(bytes: &[u8]) -> String {
    let units =
        bytes.chunks(2).map(
            |c| {
                if c.len() == 2 {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    0xFFFD
                }
            },
        );
    char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}
