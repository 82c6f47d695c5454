//! Strings written to a byte stream (Node's `write(string, encoding)`).

use bytes::Bytes;

use crate::encoding::Encoding;
use crate::stream::Core;

impl<R: 'static> Core<R, Bytes> {
    /// The chunk and encoding a string becomes: its bytes in `encoding`
    /// (or the default encoding) when `decode_strings` is on, as Node's
    /// `Buffer.from(string, encoding)`; otherwise its UTF-8 text, passed on
    /// with the encoding it was given in.
    pub(crate) fn string_chunk(
        &self,
        text: &str,
        encoding: Option<Encoding>,
    ) -> (Bytes, Option<Encoding>) {
        let ws = self.ws();
        let (decode, default) = {
            let state = ws.state.borrow();
            (state.decode_strings, state.default_encoding)
        };
        let encoding = encoding.unwrap_or(default);
        if decode && !ws.ops.object_mode {
            (encoding.encode(text), None)
        } else {
            (Bytes::copy_from_slice(text.as_bytes()), Some(encoding))
        }
    }
}
