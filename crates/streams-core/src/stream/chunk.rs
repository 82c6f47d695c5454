//! How a side measures and splits its chunks: bytes, text or objects.

use std::any::Any;
use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};

use crate::encoding::js_len;

/// The operations `read(n)` and the buffer accounting need. Object mode
/// counts each item as 1 and never splits; byte mode counts bytes and
/// splits `Bytes` without copying when one chunk suffices; text mode (a
/// byte stream after `set_encoding`) holds UTF-8 text and counts it as
/// JavaScript does, in UTF-16 code units.
///
/// The length is not a function pointer: [`len`](ChunkOps::len) is
/// monomorphised for the chunk type, so for `Bytes` in byte mode it is
/// `Bytes::len`, inlined, and in object mode the constant 1.
pub(crate) struct ChunkOps<T> {
    /// Takes `n` units from the front of the queue (`0 < n < total`, or
    /// `n == total` to take everything); `None` only if the queue is empty.
    pub(crate) take: fn(&mut VecDeque<T>, usize, usize) -> Option<T>,
    /// Decoded text as a chunk: only byte streams have decoders.
    pub(crate) from_text: fn(String) -> Option<T>,
    /// The bytes of a byte chunk, for a decoder.
    pub(crate) as_bytes: fn(&T) -> Option<&[u8]>,
    pub(crate) object_mode: bool,
    /// Text mode: the chunks are UTF-8 text, counted in UTF-16 units.
    pub(crate) text: bool,
}

impl<T> Clone for ChunkOps<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ChunkOps<T> {}

impl<T> ChunkOps<T> {
    /// Byte mode when `T` is `Bytes` and `object_mode` is false, object
    /// mode otherwise: for streams whose mode is copied from another's.
    pub(crate) fn matching(object_mode: bool) -> ChunkOps<T>
    where
        T: 'static,
    {
        if !object_mode {
            let bytes: Box<dyn std::any::Any> = Box::new(ChunkOps::<Bytes>::bytes());
            if let Ok(ops) = bytes.downcast::<ChunkOps<T>>() {
                return *ops;
            }
        }
        ChunkOps::object()
    }

    pub(crate) fn object() -> ChunkOps<T> {
        ChunkOps {
            take: |queue, _, _| queue.pop_front(),
            from_text: |_| None,
            as_bytes: |_| None,
            object_mode: true,
            text: false,
        }
    }
}

impl<T: 'static> ChunkOps<T> {
    /// How much `chunk` counts toward a buffer's length: 1 in object mode,
    /// its bytes in byte mode, its UTF-16 units in text mode.
    #[inline]
    pub(crate) fn len(&self, chunk: &T) -> usize {
        Self::len_in(chunk, self.object_mode, self.text)
    }

    /// [`len`](ChunkOps::len) from the mode flags. Only `Bytes` is ever in
    /// byte or text mode (see the constructors), so for any other type
    /// this is 1; for `Bytes` the type test is decided at compile time.
    #[inline]
    pub(crate) fn len_in(chunk: &T, object_mode: bool, text: bool) -> usize {
        if object_mode {
            return 1;
        }
        match (chunk as &dyn Any).downcast_ref::<Bytes>() {
            Some(bytes) if text => text_len(bytes),
            Some(bytes) => bytes.len(),
            None => 1,
        }
    }
}

impl ChunkOps<Bytes> {
    pub(crate) fn bytes() -> ChunkOps<Bytes> {
        ChunkOps {
            take: take_bytes,
            from_text: bytes_from_text,
            as_bytes: bytes_as_slice,
            object_mode: false,
            text: false,
        }
    }

    /// Object mode over `Bytes`: items are counted, not measured, but a
    /// decoder can still turn them into text.
    pub(crate) fn bytes_object() -> ChunkOps<Bytes> {
        ChunkOps { from_text: bytes_from_text, as_bytes: bytes_as_slice, ..ChunkOps::object() }
    }

    pub(crate) fn text() -> ChunkOps<Bytes> {
        ChunkOps {
            take: take_text,
            from_text: bytes_from_text,
            as_bytes: bytes_as_slice,
            object_mode: false,
            text: true,
        }
    }
}

fn bytes_as_slice(chunk: &Bytes) -> Option<&[u8]> {
    Some(chunk)
}

fn bytes_from_text(text: String) -> Option<Bytes> {
    Some(Bytes::from(text))
}

fn text_len(chunk: &Bytes) -> usize {
    js_len(as_text(chunk))
}

fn as_text(chunk: &Bytes) -> &str {
    // Text-mode chunks are made from `String`s; a byte chunk that is not
    // UTF-8 cannot get here, but count it losslessly rather than panic.
    std::str::from_utf8(chunk).unwrap_or("")
}

fn take_bytes(queue: &mut VecDeque<Bytes>, n: usize, total: usize) -> Option<Bytes> {
    let first = queue.front_mut()?;
    if n >= total {
        if queue.len() == 1 {
            return queue.pop_front();
        }
        let mut out = BytesMut::with_capacity(total);
        for chunk in queue.drain(..) {
            out.extend_from_slice(&chunk);
        }
        return Some(out.freeze());
    }
    if n < first.len() {
        return Some(first.split_to(n));
    }
    if n == first.len() {
        return queue.pop_front();
    }
    let mut out = BytesMut::with_capacity(n);
    let mut left = n;
    while left > 0 {
        let Some(chunk) = queue.front_mut() else { break };
        if chunk.len() <= left {
            left -= chunk.len();
            out.extend_from_slice(chunk);
            queue.pop_front();
        } else {
            out.extend_from_slice(&chunk.split_to(left));
            left = 0;
        }
    }
    Some(out.freeze())
}

/// The byte offset in `text` after `units` UTF-16 code units, rounded up
/// to a character boundary (a surrogate pair is never split: Rust strings
/// cannot hold half of one).
fn byte_offset(text: &str, units: usize) -> (usize, usize) {
    let mut seen = 0;
    for (offset, ch) in text.char_indices() {
        if seen >= units {
            return (offset, seen);
        }
        seen += ch.len_utf16();
    }
    (text.len(), seen)
}

fn take_text(queue: &mut VecDeque<Bytes>, n: usize, total: usize) -> Option<Bytes> {
    queue.front()?;
    if n >= total {
        let bytes = queue.iter().map(Bytes::len).sum();
        return take_bytes(queue, bytes, bytes);
    }
    let mut out = BytesMut::new();
    let mut left = n;
    while left > 0 {
        let Some(chunk) = queue.front_mut() else { break };
        let (offset, units) = byte_offset(as_text(chunk), left);
        if offset >= chunk.len() {
            left = left.saturating_sub(units);
            out.extend_from_slice(chunk);
            queue.pop_front();
        } else {
            out.extend_from_slice(&chunk.split_to(offset));
            left = 0;
        }
    }
    Some(out.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(parts: &[&'static str]) -> VecDeque<Bytes> {
        parts.iter().map(|p| Bytes::from_static(p.as_bytes())).collect()
    }

    #[test]
    fn bytes_split_inside_one_chunk_does_not_copy() {
        let mut q = queue(&["abcdef"]);
        let base = q[0].as_ptr();
        let got = take_bytes(&mut q, 2, 6).unwrap();
        assert_eq!(&got[..], b"ab");
        assert_eq!(got.as_ptr(), base);
        assert_eq!(&q[0][..], b"cdef");
    }

    #[test]
    fn bytes_across_chunks_and_whole() {
        let mut q = queue(&["ab", "cd", "ef"]);
        assert_eq!(&take_bytes(&mut q, 3, 6).unwrap()[..], b"abc");
        assert_eq!(&take_bytes(&mut q, 3, 3).unwrap()[..], b"def");
        assert!(q.is_empty());
        assert!(take_bytes(&mut q, 1, 0).is_none());
    }

    #[test]
    fn text_counts_utf16_units() {
        let mut q = queue(&["前端", "x😀y"]);
        assert_eq!(text_len(&q[1]), 4);
        assert_eq!(take_text(&mut q, 1, 6).as_deref(), Some("前".as_bytes()));
        assert_eq!(take_text(&mut q, 2, 5).as_deref(), Some("端x".as_bytes()));
        // Half a surrogate pair rounds up to the whole character.
        assert_eq!(take_text(&mut q, 1, 3).as_deref(), Some("😀".as_bytes()));
        assert_eq!(take_text(&mut q, 1, 1).as_deref(), Some("y".as_bytes()));
    }
}
