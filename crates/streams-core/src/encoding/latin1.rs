//! The single-byte encodings: `latin1` (alias `binary`) and `ascii`.
//!
//! Going to bytes, Node treats both alike: each UTF-16 code unit of the
//! string becomes its low byte, so `'Ł'` (U+0141) is `0x41` and `'😀'`
//! (the pair D83D DE00) is `3D 00`. Going to a string, `latin1` maps byte
//! `b` to U+00`b`, and `ascii` clears the high bit first (`0xFF` reads as
//! U+007F), as `buf.toString('ascii')` does.

/// `Buffer.from(s, 'latin1')`, which is also `Buffer.from(s, 'ascii')`.
pub(super) fn encode(s: &str) -> Vec<u8> {
    if s.is_ascii() {
        return s.as_bytes().to_vec();
    }
    let mut out = Vec::with_capacity(s.len());
    out.extend(s.encode_utf16().map(|unit| unit.to_le_bytes()[0]));
    out
}

/// Appends `buf.toString('latin1')` to `out`.
pub(super) fn decode_latin1_into(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    out.extend(bytes.iter().map(|&b| char::from(b)));
}

/// Appends `buf.toString('ascii')` to `out`.
pub(super) fn decode_ascii_into(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len());
    out.extend(bytes.iter().map(|&b| char::from(b & 0x7F)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_byte_of_each_code_unit() {
        assert_eq!(encode("Aé"), [0x41, 0xE9]);
        assert_eq!(encode("Ł😀"), [0x41, 0x3D, 0x00]);
    }

    #[test]
    fn decodes() {
        let mut out = String::new();
        decode_latin1_into(&mut out, &[0x41, 0xE9, 0xFF]);
        decode_ascii_into(&mut out, &[0x41, 0xE9, 0xFF]);
        assert_eq!(out, "Aéÿ\u{41}\u{69}\u{7F}");
    }
}
