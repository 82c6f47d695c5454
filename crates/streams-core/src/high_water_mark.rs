//! The process-wide default high-water marks (Node's
//! `stream.getDefaultHighWaterMark` / `setDefaultHighWaterMark`).

use std::sync::atomic::{AtomicUsize, Ordering};

/// Node v24's default for byte streams: 64 KiB.
pub const DEFAULT_BYTES_HIGH_WATER_MARK: usize = 64 * 1024;
/// Node's default for object streams: 16 items.
pub const DEFAULT_OBJECT_HIGH_WATER_MARK: usize = 16;

static BYTES: AtomicUsize = AtomicUsize::new(DEFAULT_BYTES_HIGH_WATER_MARK);
static OBJECTS: AtomicUsize = AtomicUsize::new(DEFAULT_OBJECT_HIGH_WATER_MARK);

/// The high-water mark new streams get when none is given: Node's
/// `stream.getDefaultHighWaterMark(objectMode)`.
///
/// # Examples
///
/// ```
/// assert_eq!(streams_core::get_default_high_water_mark(false), 65536);
/// assert_eq!(streams_core::get_default_high_water_mark(true), 16);
/// ```
pub fn get_default_high_water_mark(object_mode: bool) -> usize {
    default_high_water_mark(object_mode)
}

pub(crate) fn default_high_water_mark(object_mode: bool) -> usize {
    if object_mode {
        OBJECTS.load(Ordering::Relaxed)
    } else {
        BYTES.load(Ordering::Relaxed)
    }
}

/// Changes the default for streams made from now on, in every thread:
/// Node's `stream.setDefaultHighWaterMark(objectMode, value)`.
///
/// # Examples
///
/// ```
/// streams_core::set_default_high_water_mark(true, 32);
/// assert_eq!(streams_core::get_default_high_water_mark(true), 32);
/// streams_core::set_default_high_water_mark(true, 16);
/// ```
pub fn set_default_high_water_mark(object_mode: bool, value: usize) {
    if object_mode {
        OBJECTS.store(value, Ordering::Relaxed);
    } else {
        BYTES.store(value, Ordering::Relaxed);
    }
}
