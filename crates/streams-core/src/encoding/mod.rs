//! Character encodings: Node's `Buffer` encodings and its `string_decoder`.
//!
//! Node turns strings into bytes and back with a handful of named
//! encodings: `Buffer.from(string, encoding)` and `buf.toString(encoding)`.
//! A Readable with `setEncoding(...)` hands out strings instead of bytes,
//! through a `StringDecoder` that never cuts a character in half when a
//! multi-byte character arrives split across two chunks. This module is
//! that machinery, without dependencies:
//!
//! - [`Encoding`]: the seven encodings Node knows (`utf8`, `utf16le`,
//!   `latin1`, `ascii`, `hex`, `base64`, `base64url`), parsed from Node's
//!   names and aliases as `Buffer.isEncoding` accepts them, with
//!   [`encode`](Encoding::encode) (`Buffer.from(s, enc)`) and
//!   [`decode`](Encoding::decode) (`buf.toString(enc)`), byte for byte as
//!   Node does them, quirks included;
//! - [`StringDecoder`]: Node's `string_decoder.StringDecoder`, which keeps
//!   the incomplete tail of a chunk (a partial UTF-8 or UTF-16 character, or
//!   the bytes of an unfinished base64 group) for the next chunk;
//! - [`js_len`]: the length JavaScript reports for a string (UTF-16 code
//!   units), which is how a Readable with an encoding counts
//!   `readableLength`.
//!
//! # Strings are Rust strings
//!
//! A JavaScript string is a sequence of UTF-16 code units and may hold a
//! lone surrogate; a Rust [`String`] cannot. Where Node's result holds a
//! lone surrogate (only `utf16le` decoding can make one), the Rust result
//! holds U+FFFD in its place, which is also what Node writes when such a
//! string goes back out as UTF-8. The [`StringDecoder`] holds back a high
//! surrogate at the end of an output until it knows whether a low surrogate
//! follows, so a surrogate pair split across Node's outputs arrives whole.
//!
//! # Examples
//!
//! ```
//! use streams_core::encoding::{js_len, Encoding, StringDecoder};
//!
//! let enc: Encoding = "UTF-8".parse()?;
//! let bytes = enc.encode("前端😀");
//! assert_eq!(bytes.len(), 10);
//!
//! // The bytes arrive cut in the middle of characters.
//! let mut decoder = StringDecoder::new(enc);
//! let mut text = decoder.write(&bytes[..4]);
//! assert_eq!(text, "前"); // the fourth byte waits for the rest of '端'
//! text += &decoder.write(&bytes[4..8]);
//! text += &decoder.write(&bytes[8..]);
//! text += &decoder.end();
//! assert_eq!(text, "前端😀");
//! assert_eq!(js_len(&text), 4); // '😀'.length is 2 in JavaScript
//!
//! assert_eq!(Encoding::Base64.decode(b"hello"), "aGVsbG8=");
//! assert_eq!(&Encoding::Hex.encode("68656c6c6fzz")[..], b"hello");
//! # Ok::<(), streams_core::StreamError>(())
//! ```

mod base64;
mod codec;
mod decoder;
mod hex;
mod latin1;
mod utf16;
mod utf8;

pub use self::codec::Encoding;
pub use self::decoder::StringDecoder;
pub use self::utf16::js_len;
