//! `base64` and `base64url`, written by hand.
//!
//! Writing, `base64` uses the standard alphabet (`+`, `/`) with `=`
//! padding, and `base64url` the URL-safe one (`-`, `_`) without padding.
//!
//! Reading, Node is forgiving, and both encodings read alike
//! (`nbytes::Base64Decode`, reached whenever the strict WHATWG
//! forgiving-base64 decoder rejects the input, and agreeing with it when it
//! does not):
//!
//! - both alphabets are accepted, mixed freely;
//! - any other character (whitespace, `!`, ...) is skipped;
//! - the first `=` ends the input, wherever it is (`"QQ==QQ=="` is `<41>`);
//! - a last group of two or three characters yields one or two bytes, and
//!   a lone last character yields nothing;
//! - only the low byte of each UTF-16 code unit is looked at, so `'Ł'`
//!   (U+0141) reads as `'A'` and U+013D as `'='`.

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Not a base64 digit.
const INVALID: u8 = 0xFF;

/// The value of each byte as a base64 digit, both alphabets at once.
const VALUES: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[STANDARD[i] as usize] = i as u8;
        table[URL_SAFE[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Which alphabet to write with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Alphabet {
    /// `base64`: `+`, `/`, padded with `=`.
    Standard,
    /// `base64url`: `-`, `_`, no padding.
    UrlSafe,
}

/// The length of `len` bytes written in base64 (padded; an upper bound for
/// `base64url`).
pub(super) fn encoded_len(len: usize) -> usize {
    len.div_ceil(3) * 4
}

/// Appends `buf.toString('base64')` (or `'base64url'`) to `out`.
pub(super) fn encode_into(out: &mut String, bytes: &[u8], alphabet: Alphabet) {
    let table = match alphabet {
        Alphabet::Standard => STANDARD,
        Alphabet::UrlSafe => URL_SAFE,
    };
    let digit = |v: u32| char::from(table[(v & 0x3F) as usize]);
    out.reserve(encoded_len(bytes.len()));
    let mut groups = bytes.chunks_exact(3);
    for group in &mut groups {
        let v = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
        out.extend([digit(v >> 18), digit(v >> 12), digit(v >> 6), digit(v)]);
    }
    match *groups.remainder() {
        [a] => {
            let v = u32::from(a) << 16;
            out.extend([digit(v >> 18), digit(v >> 12)]);
            if alphabet == Alphabet::Standard {
                out.push_str("==");
            }
        }
        [a, b] => {
            let v = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend([digit(v >> 18), digit(v >> 12), digit(v >> 6)]);
            if alphabet == Alphabet::Standard {
                out.push('=');
            }
        }
        _ => {}
    }
}

/// `Buffer.from(s, 'base64')`, which is also `Buffer.from(s, 'base64url')`.
pub(super) fn decode(s: &str) -> Vec<u8> {
    let capacity = s.len() / 4 * 3 + 2;
    if s.is_ascii() {
        decode_units(s.bytes(), capacity)
    } else {
        decode_units(s.encode_utf16().map(|unit| unit.to_le_bytes()[0]), capacity)
    }
}

fn decode_units(units: impl Iterator<Item = u8>, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    let mut acc = 0u32;
    let mut digits = 0;
    for c in units {
        let v = VALUES[usize::from(c)];
        if v != INVALID {
            acc = acc << 6 | u32::from(v);
            digits += 1;
            if digits == 4 {
                out.extend_from_slice(&acc.to_be_bytes()[1..]);
                acc = 0;
                digits = 0;
            }
        } else if c == b'=' {
            break;
        }
    }
    match digits {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&((acc >> 2) as u16).to_be_bytes()),
        _ => {}
    }
    out
}

/// Where a chunk stops being whole base64 groups: `(buffered, missing)`,
/// as Node's `StringDecoder` keeps back the last `len % 3` bytes.
pub(super) fn incomplete_tail(data: &[u8]) -> (usize, usize) {
    match data.len() % 3 {
        0 => (0, 0),
        r => (r, 3 - r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(bytes: &[u8], alphabet: Alphabet) -> String {
        let mut out = String::new();
        encode_into(&mut out, bytes, alphabet);
        out
    }

    #[test]
    fn writes_both_alphabets() {
        assert_eq!(encode(b"", Alphabet::Standard), "");
        assert_eq!(encode(b"A", Alphabet::Standard), "QQ==");
        assert_eq!(encode(b"AB", Alphabet::Standard), "QUI=");
        assert_eq!(encode(b"ABC", Alphabet::Standard), "QUJD");
        assert_eq!(encode(&[0xFB, 0xFF], Alphabet::Standard), "+/8=");
        assert_eq!(encode(&[0xFB, 0xFF], Alphabet::UrlSafe), "-_8");
    }

    #[test]
    fn reads_forgivingly() {
        assert_eq!(decode("QUJD"), b"ABC");
        assert_eq!(decode("QQ"), b"A");
        assert_eq!(decode("Q"), b"");
        assert_eq!(decode("QQ==QQ=="), b"A");
        assert_eq!(decode(" Q U\nJ\tD "), b"ABC");
        assert_eq!(decode("+/8"), decode("-_8"));
        assert_eq!(decode("QUJD\u{141}\u{141}"), b"ABC\0");
        assert_eq!(decode("QUJD\u{13D}QUJD"), b"ABC");
    }

    #[test]
    fn round_trips() {
        let bytes: Vec<u8> = (0..=255).collect();
        for n in 0..bytes.len() {
            for alphabet in [Alphabet::Standard, Alphabet::UrlSafe] {
                assert_eq!(decode(&encode(&bytes[..n], alphabet)), &bytes[..n]);
            }
        }
    }
}
