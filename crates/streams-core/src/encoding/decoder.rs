//! [`StringDecoder`]: Node's `string_decoder.StringDecoder`, which turns a
//! stream of byte chunks into strings without cutting characters in half.

use super::{base64, utf16, utf8, Encoding};

/// Decodes a sequence of byte chunks into strings, keeping a character
/// (or base64 group) that a chunk cuts off until the next chunk completes
/// it: Node's `string_decoder.StringDecoder`, which is what a Readable with
/// `setEncoding(...)` uses.
///
/// Each [`write`](StringDecoder::write) returns what the bytes so far
/// complete; [`end`](StringDecoder::end) flushes what is left. Per
/// encoding, as Node (`src/string_decoder.cc`) does it:
///
/// | encoding | kept back at the end of a chunk | flushed by `end` as |
/// | --- | --- | --- |
/// | `utf8` | the bytes of a started multi-byte character | U+FFFD |
/// | `utf16le` | an odd byte; a high surrogate | nothing; U+FFFD |
/// | `base64`, `base64url` | the last `len % 3` bytes | their (padded) base64 |
/// | `latin1`, `ascii`, `hex` | nothing | — |
///
/// The outputs are Node's, with one difference forced by Rust strings: a
/// high surrogate that would end an output (so a Node string holding half
/// a surrogate pair) is held back and starts the next output, paired with
/// its low surrogate or as U+FFFD if none follows; at `end` it is U+FFFD.
/// The concatenated outputs are always Node's concatenated outputs, with
/// U+FFFD for each unpaired surrogate.
///
/// After [`end`](StringDecoder::end) the decoder is empty and can be used
/// again, as in Node.
///
/// # Examples
///
/// ```
/// use streams_core::encoding::{Encoding, StringDecoder};
///
/// let euro = [0xE2, 0x82, 0xAC];
/// let mut decoder = StringDecoder::new(Encoding::Utf8);
/// assert_eq!(decoder.write(&euro[..1]), "");
/// assert_eq!(decoder.write(&euro[1..]), "€");
///
/// // A character the input never finishes is flushed as U+FFFD.
/// assert_eq!(decoder.write(&euro[..2]), "");
/// assert_eq!(decoder.end(), "\u{FFFD}");
///
/// let mut b64 = StringDecoder::new(Encoding::Base64);
/// assert_eq!(b64.write(b"hell"), "aGVs"); // 'l' waits for a full group
/// assert_eq!(b64.write(b"o"), "");
/// assert_eq!(b64.end(), "bG8=");
/// ```
#[derive(Debug, Clone, Default)]
pub struct StringDecoder {
    encoding: Encoding,
    /// The kept-back bytes (Node's incomplete character buffer); the first
    /// `buffered` are in use, and `missing` more would complete them.
    /// Invariant: `buffered + missing <= 4`.
    pending: [u8; 4],
    buffered: usize,
    missing: usize,
    /// UTF-16LE only: a high surrogate that ended the last output, held
    /// back until the next code unit shows whether it has a partner.
    high_surrogate: Option<u16>,
}

impl StringDecoder {
    /// A decoder for `encoding`, like `new StringDecoder(encoding)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::{Encoding, StringDecoder};
    ///
    /// let decoder = StringDecoder::new(Encoding::Hex);
    /// assert_eq!(decoder.encoding(), Encoding::Hex);
    /// ```
    pub fn new(encoding: Encoding) -> StringDecoder {
        StringDecoder { encoding, pending: [0; 4], buffered: 0, missing: 0, high_surrogate: None }
    }

    /// The encoding this decoder decodes.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::{Encoding, StringDecoder};
    ///
    /// let decoder = StringDecoder::new("ucs2".parse()?);
    /// assert_eq!(decoder.encoding(), Encoding::Utf16le);
    /// # Ok::<(), streams_core::StreamError>(())
    /// ```
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Decodes `chunk`, with the bytes kept back from earlier chunks in
    /// front of it, and returns every complete character; an incomplete
    /// character (or base64 group) at the end is kept for the next call.
    /// Like `decoder.write(buf)` in Node.
    ///
    /// A chunk that ends on a character boundary is decoded in one pass
    /// into one allocation, the returned string.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::{Encoding, StringDecoder};
    ///
    /// let smile = "😀".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>();
    /// let mut decoder = StringDecoder::new(Encoding::Utf16le);
    /// assert_eq!(decoder.write(&smile[..1]), "");
    /// assert_eq!(decoder.write(&smile[1..3]), "");
    /// assert_eq!(decoder.write(&smile[3..]), "😀");
    /// ```
    pub fn write(&mut self, chunk: &[u8]) -> String {
        let encoding = self.encoding;
        if !matches!(
            encoding,
            Encoding::Utf8 | Encoding::Utf16le | Encoding::Base64 | Encoding::Base64url
        ) {
            // Every byte stands alone: nothing is ever kept back.
            return encoding.decode(chunk);
        }
        let mut data = chunk;

        // 1. Complete the character kept from the previous chunk, if the
        //    chunk has enough bytes for it.
        let mut head = [0; 4];
        let mut head_len = 0;
        if self.missing > 0 {
            if encoding == Encoding::Utf8 {
                // A byte that cannot continue the character ends it early
                // (it decodes to U+FFFD) and starts the body.
                let expected = data.len().min(self.missing);
                if let Some(i) = data[..expected].iter().position(|&b| !utf8::is_continuation(b)) {
                    self.keep(&data[..i]);
                    self.missing = 0;
                    data = &data[i..];
                }
            }
            let found = data.len().min(self.missing);
            self.keep(&data[..found]);
            self.missing -= found;
            data = &data[found..];
            if self.missing == 0 {
                head = self.pending;
                head_len = self.buffered;
                self.buffered = 0;
            }
        }

        // 2. Keep back the incomplete character the chunk ends with.
        let (keep, missing) = match encoding {
            Encoding::Utf8 => utf8::incomplete_tail(data),
            Encoding::Utf16le => utf16::incomplete_tail(data),
            _ => base64::incomplete_tail(data),
        };
        if keep > 0 {
            let (body, tail) = data.split_at(data.len() - keep);
            self.keep(tail);
            self.missing = missing;
            data = body;
        }

        // 3. Decode the completed character and the body into one string.
        // Each kept byte decodes to at most three bytes of UTF-8 (a U+FFFD),
        // and a carried high surrogate to at most three more.
        let capacity = 3 * head_len + encoding.max_decoded_len(data.len()) + 3;
        let mut out = String::with_capacity(capacity);
        self.decode_into(&mut out, &head[..head_len]);
        self.decode_into(&mut out, data);
        out
    }

    /// Returns whatever is kept back, decoded the way Node's `end()`
    /// flushes it, and empties the decoder: an unfinished UTF-8 character
    /// becomes U+FFFD, an odd UTF-16LE byte is dropped and a lone high
    /// surrogate becomes U+FFFD, and the last one or two bytes of base64
    /// are written with their padding (none for `base64url`).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::{Encoding, StringDecoder};
    ///
    /// let mut decoder = StringDecoder::new(Encoding::Utf8);
    /// assert_eq!(decoder.write(b"ok \xF0\x9F"), "ok ");
    /// assert_eq!(decoder.end(), "\u{FFFD}");
    /// assert_eq!(decoder.end(), ""); // nothing left
    /// assert_eq!(decoder.write(b"again"), "again");
    /// ```
    pub fn end(&mut self) -> String {
        let mut pending = self.buffered;
        if self.encoding == Encoding::Utf16le && pending % 2 == 1 {
            // Node ignores a single trailing byte.
            pending -= 1;
        }
        let bytes = self.pending;
        self.buffered = 0;
        self.missing = 0;
        let mut out = String::new();
        self.decode_into(&mut out, &bytes[..pending]);
        if self.high_surrogate.take().is_some() {
            out.push(char::REPLACEMENT_CHARACTER);
        }
        out
    }

    /// Appends `bytes` to the kept-back ones.
    fn keep(&mut self, bytes: &[u8]) {
        let end = self.buffered + bytes.len();
        self.pending[self.buffered..end].copy_from_slice(bytes);
        self.buffered = end;
    }

    /// Appends `bytes`, decoded, to `out`, carrying a UTF-16 high surrogate.
    fn decode_into(&mut self, out: &mut String, bytes: &[u8]) {
        match self.encoding {
            Encoding::Utf16le => utf16::decode_into(out, bytes, &mut self.high_surrogate),
            encoding => encoding.decode_into(out, bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(encoding: Encoding, chunks: &[&[u8]]) -> Vec<String> {
        let mut decoder = StringDecoder::new(encoding);
        let mut outs: Vec<String> = chunks.iter().map(|c| decoder.write(c)).collect();
        outs.push(decoder.end());
        outs
    }

    #[test]
    fn utf8_keeps_a_cut_character() {
        let bytes = "前端".as_bytes();
        assert_eq!(
            feed(Encoding::Utf8, &[&bytes[..1], &bytes[1..4], &bytes[4..]]),
            ["", "前", "端", ""]
        );
    }

    #[test]
    fn utf8_non_continuation_ends_the_kept_character() {
        assert_eq!(feed(Encoding::Utf8, &[b"\xE2", b"\x82A"]), ["", "\u{FFFD}A", ""]);
        assert_eq!(feed(Encoding::Utf8, &[b"\xE2", b"A"]), ["", "\u{FFFD}A", ""]);
        assert_eq!(feed(Encoding::Utf8, &[b"\xF0\x9F", b"\x98"]), ["", "", "\u{FFFD}"]);
    }

    #[test]
    fn utf16_holds_a_high_surrogate_across_outputs() {
        // Node returns "\uD83D" then "\uDE00": here the pair arrives whole.
        assert_eq!(feed(Encoding::Utf16le, &[&[0x3D, 0xD8, 0x00], &[0xDE]]), ["", "😀", ""]);
        // Node returns "\uD83D" then "AB": the lone surrogate is U+FFFD.
        assert_eq!(
            feed(Encoding::Utf16le, &[&[0x3D, 0xD8, 0x41], &[0x00, 0x42, 0x00]]),
            ["", "\u{FFFD}AB", ""]
        );
        assert_eq!(feed(Encoding::Utf16le, &[&[0x3D, 0xD8, 0x41]]), ["", "\u{FFFD}"]);
    }

    #[test]
    fn base64_keeps_partial_groups() {
        assert_eq!(feed(Encoding::Base64, &[b"a", b"bcd"]), ["", "YWJj", "ZA=="]);
        assert_eq!(feed(Encoding::Base64url, &[b"a", b"bcd"]), ["", "YWJj", "ZA"]);
    }

    #[test]
    fn single_byte_encodings_keep_nothing() {
        assert_eq!(feed(Encoding::Hex, &[b"\xE2", b"\x82"]), ["e2", "82", ""]);
        assert_eq!(feed(Encoding::Latin1, &[b"\xE2"]), ["\u{E2}", ""]);
    }
}
