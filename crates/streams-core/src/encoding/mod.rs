//! Character encodings: Node's `Buffer` encodings and `StringDecoder`.
//!
//! (Placeholder: being written.)
