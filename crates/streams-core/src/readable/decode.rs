//! Text on a byte stream: `setEncoding`, and chunks run through the
//! decoder on their way in.

use std::rc::Rc;

use bytes::Bytes;

use crate::encoding::{js_len, Encoding, StringDecoder};
use crate::stream::{ChunkOps, Core};

impl<R: 'static, W: 'static> Core<R, W> {
    /// Node's `push(chunk)`: a byte chunk goes through the decoder first
    /// when the stream has an encoding.
    #[inline(always)]
    pub(crate) fn push_value(self: &Rc<Self>, chunk: R) -> bool {
        if !self.rs().decoding.get() {
            return self.push_chunk(chunk, false);
        }
        match self.decode(&chunk) {
            Some(text) => self.push_chunk(text, true),
            None => self.push_chunk(chunk, false),
        }
    }

    /// Runs a byte chunk through the stream's decoder, if it has one.
    fn decode(&self, chunk: &R) -> Option<R> {
        let rs = self.rs();
        if !rs.decoding.get() {
            return None;
        }
        let ops = &rs.ops;
        let bytes = (ops.as_bytes)(chunk)?;
        let text = {
            let mut state = rs.state.borrow_mut();
            if state.ended {
                return None;
            }
            state.decoder.as_mut()?.write(bytes)
        };
        (ops.from_text)(text)
    }

    /// Node's `unshift(chunk)`: with an encoding the buffer holds text, so
    /// the bytes given are decoded (whole) first.
    pub(crate) fn unshift_value(self: &Rc<Self>, chunk: R) -> bool {
        let rs = self.rs();
        let ops = &rs.ops;
        let encoding = rs.state.borrow().encoding;
        if let (Some(encoding), Some(bytes)) = (encoding, (ops.as_bytes)(&chunk)) {
            if let Some(text) = (ops.from_text)(encoding.decode(bytes)) {
                return self.unshift_chunk(text);
            }
        }
        self.unshift_chunk(chunk)
    }
}

impl<W: 'static> Core<Bytes, W> {
    /// Node's `setEncoding`: decodes from now on, and re-decodes what is
    /// buffered.
    pub(crate) fn set_encoding(&self, encoding: Encoding) {
        let rs = self.rs();
        let object_mode = rs.object_mode;
        let mut state = rs.state.borrow_mut();
        let mut decoder = StringDecoder::new(encoding);
        let mut content = String::new();
        for chunk in state.buffer.drain(..) {
            content.push_str(&decoder.write(&chunk));
        }
        state.decoder = Some(decoder);
        state.encoding = Some(encoding);
        rs.decoding.set(true);
        if object_mode {
            return;
        }
        rs.text.set(true);
        rs.take.set(ChunkOps::text().take);
        state.length = js_len(&content);
        if !content.is_empty() {
            state.buffer.push_back(Bytes::from(content));
        }
    }
}
