//! [`Encoding`]: Node's encoding names, and one-shot conversions between
//! strings and bytes (`Buffer.from(string, encoding)`, `buf.toString(encoding)`).

use std::fmt;
use std::str::FromStr;

use bytes::Bytes;

use super::base64::{self, Alphabet};
use super::{hex, latin1, utf16, utf8};
use crate::StreamError;

/// One of the character encodings Node's `Buffer` knows.
///
/// Parse Node's names with [`Encoding::parse`] (or [`str::parse`]); turn a
/// string into bytes with [`encode`](Encoding::encode) and bytes into a
/// string with [`decode`](Encoding::decode), exactly as Node's
/// `Buffer.from(string, encoding)` and `buf.toString(encoding)` do. The
/// default is [`Utf8`](Encoding::Utf8), Node's default.
///
/// # Examples
///
/// ```
/// use streams_core::encoding::Encoding;
///
/// let enc = Encoding::parse("ucs2")?;
/// assert_eq!(enc, Encoding::Utf16le);
/// assert_eq!(enc.to_string(), "utf16le");
/// assert_eq!(&enc.encode("hi")[..], b"h\0i\0");
/// assert_eq!(Encoding::default(), Encoding::Utf8);
/// # Ok::<(), streams_core::StreamError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// `'utf8'` (alias `'utf-8'`): UTF-8; ill-formed input decodes to U+FFFD.
    #[default]
    Utf8,
    /// `'utf16le'` (aliases `'utf-16le'`, `'ucs2'`, `'ucs-2'`): UTF-16,
    /// little-endian.
    Utf16le,
    /// `'latin1'` (alias `'binary'`): one byte per code unit, U+0000..U+00FF.
    Latin1,
    /// `'ascii'`: like `latin1` when encoding; decoding clears the high bit.
    Ascii,
    /// `'hex'`: two hexadecimal digits per byte.
    Hex,
    /// `'base64'`: RFC 4648 base64, padded when written.
    Base64,
    /// `'base64url'`: the URL-safe alphabet, unpadded when written.
    Base64url,
}

impl Encoding {
    /// Every encoding, in the order of the variants.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::Encoding;
    ///
    /// let names: Vec<_> = Encoding::ALL.iter().map(|e| e.name()).collect();
    /// assert_eq!(names, ["utf8", "utf16le", "latin1", "ascii", "hex", "base64", "base64url"]);
    /// ```
    pub const ALL: [Encoding; 7] = [
        Encoding::Utf8,
        Encoding::Utf16le,
        Encoding::Latin1,
        Encoding::Ascii,
        Encoding::Hex,
        Encoding::Base64,
        Encoding::Base64url,
    ];

    /// The encoding Node calls `name`: one of `utf8`, `utf-8`, `utf16le`,
    /// `utf-16le`, `ucs2`, `ucs-2`, `latin1`, `binary`, `ascii`, `hex`,
    /// `base64`, `base64url`, in any mix of upper and lower case — the names
    /// for which `Buffer.isEncoding(name)` is true.
    ///
    /// # Errors
    ///
    /// Any other name, the empty one included, gives Node's
    /// `ERR_UNKNOWN_ENCODING` with Node's message, `Unknown encoding: name`.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::Encoding;
    ///
    /// assert_eq!(Encoding::parse("UTF-8")?, Encoding::Utf8);
    /// assert_eq!(Encoding::parse("Binary")?, Encoding::Latin1);
    ///
    /// let err = Encoding::parse("utf16").unwrap_err();
    /// assert_eq!(err.code(), Some("ERR_UNKNOWN_ENCODING"));
    /// assert_eq!(err.message(), "Unknown encoding: utf16");
    /// # Ok::<(), streams_core::StreamError>(())
    /// ```
    pub fn parse(name: &str) -> Result<Encoding, StreamError> {
        const NAMES: [(&str, Encoding); 12] = [
            ("utf8", Encoding::Utf8),
            ("utf-8", Encoding::Utf8),
            ("utf16le", Encoding::Utf16le),
            ("utf-16le", Encoding::Utf16le),
            ("ucs2", Encoding::Utf16le),
            ("ucs-2", Encoding::Utf16le),
            ("latin1", Encoding::Latin1),
            ("binary", Encoding::Latin1),
            ("ascii", Encoding::Ascii),
            ("hex", Encoding::Hex),
            ("base64", Encoding::Base64),
            ("base64url", Encoding::Base64url),
        ];
        // Node lowercases with `toLowerCase`; no non-ASCII character
        // lowercases to a letter of these names, so ASCII folding agrees.
        NAMES
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|&(_, encoding)| encoding)
            .ok_or_else(|| {
                StreamError::with_code("ERR_UNKNOWN_ENCODING", format!("Unknown encoding: {name}"))
            })
    }

    /// Node's canonical name for the encoding: `utf8`, `utf16le`, `latin1`,
    /// `ascii`, `hex`, `base64` or `base64url` (what a Node
    /// `StringDecoder`'s `encoding` property says).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::Encoding;
    ///
    /// assert_eq!(Encoding::Latin1.name(), "latin1");
    /// assert_eq!(Encoding::parse("ucs-2")?.name(), "utf16le");
    /// # Ok::<(), streams_core::StreamError>(())
    /// ```
    pub const fn name(&self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf8",
            Encoding::Utf16le => "utf16le",
            Encoding::Latin1 => "latin1",
            Encoding::Ascii => "ascii",
            Encoding::Hex => "hex",
            Encoding::Base64 => "base64",
            Encoding::Base64url => "base64url",
        }
    }

    /// The bytes of `s` in this encoding: `Buffer.from(s, encoding)`.
    ///
    /// Node's rules, quirks included:
    ///
    /// - `latin1` and `ascii` keep the low byte of each UTF-16 code unit
    ///   (`'Ł'`, U+0141, becomes `0x41`; `'😀'` becomes `3D 00`);
    /// - `hex` stops at the first pair that is not two hex digits and drops
    ///   an odd last digit;
    /// - `base64` and `base64url` both accept both alphabets, skip
    ///   whitespace and other stray characters, need no padding, and stop
    ///   at the first `=`.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::Encoding;
    ///
    /// assert_eq!(&Encoding::Utf8.encode("é")[..], [0xC3, 0xA9]);
    /// assert_eq!(&Encoding::Latin1.encode("é")[..], [0xE9]);
    /// assert_eq!(&Encoding::Hex.encode("1ag123")[..], [0x1A]);
    /// assert_eq!(&Encoding::Base64.encode("aGVs\nbG8")[..], b"hello");
    /// assert_eq!(&Encoding::Base64url.encode("+/8=")[..], [0xFB, 0xFF]);
    /// ```
    pub fn encode(&self, s: &str) -> Bytes {
        match self {
            Encoding::Utf8 => Bytes::copy_from_slice(s.as_bytes()),
            Encoding::Utf16le => utf16::encode(s).into(),
            Encoding::Latin1 | Encoding::Ascii => latin1::encode(s).into(),
            Encoding::Hex => hex::decode(s).into(),
            Encoding::Base64 | Encoding::Base64url => base64::decode(s).into(),
        }
    }

    /// `bytes` as a string in this encoding: `buf.toString(encoding)`.
    ///
    /// Never fails: ill-formed UTF-8 decodes to U+FFFD per maximal subpart
    /// as Node (V8) does it; an odd last byte of UTF-16LE is dropped and an
    /// unpaired surrogate becomes U+FFFD (see the [module
    /// docs](super#strings-are-rust-strings)); `ascii` clears each byte's
    /// high bit; `latin1` maps each byte to U+0000..U+00FF.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::Encoding;
    ///
    /// assert_eq!(Encoding::Utf8.decode(b"caf\xC3\xA9"), "café");
    /// assert_eq!(Encoding::Utf8.decode(b"a\xF0\x9F\x98b"), "a\u{FFFD}b");
    /// assert_eq!(Encoding::Utf16le.decode(&[0x68, 0, 0x69, 0, 0x6A]), "hi");
    /// assert_eq!(Encoding::Ascii.decode(&[0xE9]), "i");
    /// assert_eq!(Encoding::Latin1.decode(&[0xE9]), "é");
    /// assert_eq!(Encoding::Hex.decode(&[0xCA, 0xFE]), "cafe");
    /// assert_eq!(Encoding::Base64url.decode(&[0xFB, 0xFF]), "-_8");
    /// ```
    pub fn decode(&self, bytes: &[u8]) -> String {
        let mut out = String::with_capacity(self.max_decoded_len(bytes.len()));
        self.decode_into(&mut out, bytes);
        out
    }

    /// Appends `buf.toString(encoding)` to `out`. (A [`StringDecoder`]
    /// decodes UTF-16LE itself, carrying a high surrogate from one chunk
    /// to the next.)
    ///
    /// [`StringDecoder`]: super::StringDecoder
    pub(super) fn decode_into(&self, out: &mut String, bytes: &[u8]) {
        match self {
            Encoding::Utf8 => utf8::decode_into(out, bytes),
            Encoding::Utf16le => {
                let mut high = None;
                utf16::decode_into(out, bytes, &mut high);
                if high.is_some() {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
            }
            Encoding::Latin1 => latin1::decode_latin1_into(out, bytes),
            Encoding::Ascii => latin1::decode_ascii_into(out, bytes),
            Encoding::Hex => hex::encode_into(out, bytes),
            Encoding::Base64 => base64::encode_into(out, bytes, Alphabet::Standard),
            Encoding::Base64url => base64::encode_into(out, bytes, Alphabet::UrlSafe),
        }
    }

    /// An upper bound on the decoded length (in UTF-8 bytes) of `len` bytes
    /// of well-formed input, to size the output once.
    pub(super) fn max_decoded_len(&self, len: usize) -> usize {
        match self {
            Encoding::Utf8 | Encoding::Ascii => len,
            Encoding::Utf16le => utf16::max_decoded_len(len),
            Encoding::Latin1 | Encoding::Hex => len * 2,
            Encoding::Base64 | Encoding::Base64url => base64::encoded_len(len),
        }
    }
}

impl FromStr for Encoding {
    type Err = StreamError;

    /// The same as [`Encoding::parse`].
    ///
    /// # Errors
    ///
    /// `ERR_UNKNOWN_ENCODING` for a name Node does not know.
    fn from_str(name: &str) -> Result<Encoding, StreamError> {
        Encoding::parse(name)
    }
}

impl fmt::Display for Encoding {
    /// Writes Node's canonical [`name`](Encoding::name).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for enc in Encoding::ALL {
            assert_eq!(Encoding::parse(enc.name()).ok(), Some(enc));
            assert_eq!(enc.name().to_ascii_uppercase().parse::<Encoding>().ok(), Some(enc));
            assert_eq!(enc.to_string(), enc.name());
        }
    }

    #[test]
    fn unknown_names_are_node_errors() {
        for name in ["", "utf16", " utf8", "utf8 ", "latin-1", "ascİi", "utf\u{212A}8"] {
            let err = Encoding::parse(name).unwrap_err();
            assert_eq!(err.code(), Some("ERR_UNKNOWN_ENCODING"));
            assert_eq!(err.message(), format!("Unknown encoding: {name}"));
        }
    }
}
