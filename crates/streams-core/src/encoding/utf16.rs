//! UTF-16LE, and string length in UTF-16 code units as JavaScript counts it.
//!
//! `buf.toString('utf16le')` reads the bytes as little-endian code units,
//! drops an odd trailing byte, and keeps unpaired surrogates as they are;
//! a Rust string cannot hold those, so they become U+FFFD here. A high
//! surrogate is only known to be unpaired once the next code unit is seen,
//! so the decoder carries it (see [`decode_into`]).

/// The length of `s` in JavaScript: its number of UTF-16 code units.
///
/// Characters outside the Basic Multilingual Plane (emoji, for one) count
/// two, as `'😀'.length === 2` in JavaScript. A Readable with an encoding
/// counts `readableLength` and `highWaterMark` in these units, as Node does.
///
/// # Examples
///
/// ```
/// use streams_core::encoding::js_len;
///
/// assert_eq!(js_len("abc"), 3);
/// assert_eq!(js_len("前端"), 2); // 6 bytes of UTF-8
/// assert_eq!(js_len("😀"), 2); // a surrogate pair
/// assert_eq!(js_len(""), 0);
/// ```
pub fn js_len(s: &str) -> usize {
    // One unit per character (every byte that is not a continuation byte),
    // plus one for each four-byte character, which needs a surrogate pair.
    s.bytes().map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum()
}

/// `Buffer.from(s, 'utf16le')`.
pub(super) fn encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 2);
    for unit in s.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

/// An upper bound on the UTF-8 length of `len` bytes of UTF-16LE: a code
/// unit never needs more than three bytes (a pair needs four for two).
pub(super) fn max_decoded_len(len: usize) -> usize {
    len / 2 * 3
}

/// Appends the code units in `bytes` (an odd last byte is ignored) to
/// `out`, an unpaired surrogate becoming U+FFFD.
///
/// `high` carries a high surrogate across calls: one left by the previous
/// call pairs with a low surrogate at the start of `bytes`, and a high
/// surrogate ending `bytes` is left in `high` rather than written. The
/// caller turns a high surrogate still there at the very end into U+FFFD.
pub(super) fn decode_into(out: &mut String, bytes: &[u8], high: &mut Option<u16>) {
    out.reserve(max_decoded_len(bytes.len()));
    for pair in bytes.chunks_exact(2) {
        let unit = u16::from_le_bytes([pair[0], pair[1]]);
        if let Some(lead) = high.take() {
            if is_low(unit) {
                let c = 0x10000 + ((u32::from(lead) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                continue;
            }
            out.push(char::REPLACEMENT_CHARACTER);
        }
        if is_high(unit) {
            *high = Some(unit);
        } else {
            // Not a surrogate, or a lone low surrogate (U+FFFD).
            out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
    }
}

/// Where a chunk of UTF-16LE stops being complete: `(buffered, missing)`.
///
/// As Node's `StringDecoder` does: an odd length keeps its last byte back
/// (one more needed); an even length ending in a high surrogate keeps that
/// surrogate back (two more needed, its partner).
pub(super) fn incomplete_tail(data: &[u8]) -> (usize, usize) {
    if data.len() % 2 == 1 {
        (1, 1)
    } else if data.last().is_some_and(|&b| b & 0xFC == 0xD8) {
        (2, 2)
    } else {
        (0, 0)
    }
}

fn is_high(unit: u16) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

fn is_low(unit: u16) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> String {
        let mut out = String::new();
        let mut high = None;
        decode_into(&mut out, bytes, &mut high);
        if high.is_some() {
            out.push(char::REPLACEMENT_CHARACTER);
        }
        out
    }

    #[test]
    fn pairs_and_lone_surrogates() {
        assert_eq!(decode(&encode("a😀前")), "a😀前");
        assert_eq!(decode(&[0x3D, 0xD8]), "\u{FFFD}");
        assert_eq!(decode(&[0x00, 0xDE, 0x41, 0x00]), "\u{FFFD}A");
        assert_eq!(decode(&[0x3D, 0xD8, 0x3D, 0xD8, 0x00, 0xDE]), "\u{FFFD}😀");
        assert_eq!(decode(&[0x41, 0x00, 0x42]), "A");
    }

    #[test]
    fn carries_a_high_surrogate() {
        let mut out = String::new();
        let mut high = None;
        decode_into(&mut out, &[0x41, 0x00, 0x3D, 0xD8], &mut high);
        assert_eq!((out.as_str(), high), ("A", Some(0xD83D)));
        decode_into(&mut out, &[0x00, 0xDE], &mut high);
        assert_eq!((out.as_str(), high), ("A😀", None));
    }

    #[test]
    fn js_len_counts_code_units() {
        for s in ["", "a", "é", "前端", "😀", "a😀b", "\u{10FFFF}", "\u{FFFF}"] {
            assert_eq!(js_len(s), s.encode_utf16().count(), "{s:?}");
        }
    }
}
