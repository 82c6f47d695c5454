//! UTF-8 the way Node (V8) decodes it, and where a chunk's last character
//! is cut off.
//!
//! `buf.toString('utf8')` replaces each ill-formed sequence by U+FFFD using
//! the "maximal subpart" rule of the Unicode standard (also WHATWG's): a
//! truncated but otherwise valid prefix (`F0 9F 98`) becomes one U+FFFD;
//! every other bad byte (a stray continuation byte, an overlong or
//! surrogate form, `F5`..`FF`) becomes one U+FFFD each. The standard
//! library's [`Utf8Chunks`](std::str::Utf8Chunks) splits input by the same
//! rule, so decoding is one validating pass plus a copy.

/// Appends `bytes`, decoded as `buf.toString('utf8')` does, to `out`.
pub(super) fn decode_into(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push(char::REPLACEMENT_CHARACTER);
        }
    }
}

/// Whether `byte` is a continuation byte (`10xxxxxx`).
pub(super) fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// How many bytes at the end of `data` start a character that `data` does
/// not finish, and how many more bytes that character needs: `(buffered,
/// missing)`, or `(0, 0)` when the chunk ends on a character boundary.
///
/// This is Node's scan in `StringDecoder::DecodeData`
/// (`src/string_decoder.cc`) step for step: it walks back over at most
/// three continuation bytes to a lead byte, and judges the lead by its
/// high bits alone (so `F5`..`F7` count as four-byte leads and `C0`, `C1`
/// as two-byte ones; the bytes are decoded, to U+FFFD, once complete).
pub(super) fn incomplete_tail(data: &[u8]) -> (usize, usize) {
    match data.last() {
        Some(&last) if last & 0x80 != 0 => {}
        _ => return (0, 0),
    }
    let mut buffered = 0;
    for (i, &byte) in data.iter().enumerate().rev() {
        buffered += 1;
        if is_continuation(byte) {
            if buffered >= 4 || i == 0 {
                // Too many continuation bytes for one character, or the
                // character began in an earlier chunk: nothing to keep.
                return (0, 0);
            }
            continue;
        }
        let needed = match byte {
            b if b & 0xE0 == 0xC0 => 2,
            b if b & 0xF0 == 0xE0 => 3,
            b if b & 0xF8 == 0xF0 => 4,
            // ASCII, or a lead byte for more than four bytes.
            _ => return (0, 0),
        };
        return if buffered >= needed { (0, 0) } else { (buffered, needed - buffered) };
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> String {
        let mut out = String::new();
        decode_into(&mut out, bytes);
        out
    }

    #[test]
    fn replaces_maximal_subparts() {
        assert_eq!(decode(b"a\xF0\x9F\x98b"), "a\u{FFFD}b");
        assert_eq!(decode(b"\xED\xA0\x80"), "\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(decode(b"\xC0\x80"), "\u{FFFD}\u{FFFD}");
        assert_eq!(decode(b"\xE2\x82\xAC"), "€");
    }

    #[test]
    fn finds_the_cut_character() {
        assert_eq!(incomplete_tail(b""), (0, 0));
        assert_eq!(incomplete_tail(b"abc"), (0, 0));
        assert_eq!(incomplete_tail(b"a\xE2"), (1, 2));
        assert_eq!(incomplete_tail(b"a\xE2\x82"), (2, 1));
        assert_eq!(incomplete_tail(b"a\xE2\x82\xAC"), (0, 0));
        assert_eq!(incomplete_tail(b"\xF0\x9F\x98"), (3, 1));
        assert_eq!(incomplete_tail(b"\x80\x80"), (0, 0));
        assert_eq!(incomplete_tail(b"a\x80\x80\x80"), (0, 0));
        assert_eq!(incomplete_tail(b"\xC3\x80\x80"), (0, 0));
        assert_eq!(incomplete_tail(b"\xF5"), (1, 3));
        assert_eq!(incomplete_tail(b"\xF8"), (0, 0));
    }
}
