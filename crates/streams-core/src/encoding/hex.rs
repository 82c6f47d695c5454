//! `hex`: two lowercase hexadecimal digits per byte.
//!
//! Reading hex, Node (`nbytes::HexDecode`) takes the string two code units
//! at a time and stops at the first pair that is not two hex digits; an
//! odd last digit is dropped. `Buffer.from('1ag123', 'hex')` is `<1a>`.
//! Like the other byte-oriented decoders in Node it looks only at the low
//! byte of each UTF-16 code unit, so `'\u0141\u0142'` reads as `"AB"`.

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// `Buffer.from(s, 'hex')`.
pub(super) fn decode(s: &str) -> Vec<u8> {
    if s.is_ascii() {
        decode_units(s.bytes(), s.len() / 2)
    } else {
        decode_units(s.encode_utf16().map(|unit| unit.to_le_bytes()[0]), s.len() / 2)
    }
}

fn decode_units(mut units: impl Iterator<Item = u8>, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    while let (Some(hi), Some(lo)) = (units.next(), units.next()) {
        match (digit(hi), digit(lo)) {
            (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
            _ => break,
        }
    }
    out
}

fn digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Appends `buf.toString('hex')` to `out`.
pub(super) fn encode_into(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0F)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_at_the_first_bad_pair() {
        assert_eq!(decode("1ag123"), [0x1A]);
        assert_eq!(decode("1a7"), [0x1A]);
        assert_eq!(decode("zz00"), [0u8; 0]);
        assert_eq!(decode("ABcd"), [0xAB, 0xCD]);
        assert_eq!(decode("\u{141}\u{142}"), [0xAB]);
    }

    #[test]
    fn encodes_lowercase() {
        let mut out = String::new();
        encode_into(&mut out, &[0x00, 0xAB, 0xFF]);
        assert_eq!(out, "00abff");
    }
}
