//! Septet packing, TS 23.038 clause 6.1.2.1.1: septets are laid
//! least-significant bit first into octets. When a UDH precedes the text,
//! TS 23.040 clause 9.2.3.24 pads the header with fill bits so that the
//! first septet starts on a septet boundary; `fill_bits` is that padding.

/// Packs septets after `fill_bits` zero bits (0..=6).
pub fn pack(septets: &[u8], fill_bits: u8) -> Vec<u8> {
    let total_bits = fill_bits as usize + septets.len() * 7;
    let mut out = vec![0u8; total_bits.div_ceil(8)];
    let mut bit = fill_bits as usize;
    for &s in septets {
        let s = (s & 0x7F) as u16;
        let byte = bit / 8;
        let shift = bit % 8;
        let v = s << shift;
        out[byte] |= v as u8;
        if shift > 1 {
            out[byte + 1] |= (v >> 8) as u8;
        }
        bit += 7;
    }
    out
}

/// Unpacks `count` septets that start after `fill_bits` bits. Returns fewer
/// when the octets run out.
pub fn unpack(octets: &[u8], fill_bits: u8, count: usize) -> Vec<u8> {
    let available = (octets.len() * 8).saturating_sub(fill_bits as usize) / 7;
    let count = count.min(available);
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let bit = fill_bits as usize + i * 7;
        let byte = bit / 8;
        let shift = bit % 8;
        let lo = octets[byte] as u16;
        let hi = octets.get(byte + 1).copied().unwrap_or(0) as u16;
        out.push((((hi << 8 | lo) >> shift) & 0x7F) as u8);
    }
    out
}

/// Octets that `septets` septets occupy after `fill_bits` fill bits.
pub fn septets_to_octets(septets: usize, fill_bits: u8) -> usize {
    (septets * 7 + fill_bits as usize).div_ceil(8)
}
