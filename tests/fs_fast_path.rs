//! A file piped into a file is copied by the kernel when nothing else
//! observes the data; everything observable must stay as it is when the
//! data goes through memory (forced here by a `'data'` listener).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use bytes::Bytes;
use streams::events;
use streams::fs::{create_read_stream, create_write_stream, ReadStreamOptions, WriteStreamOptions};

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("streams-fast-path-{name}-{}", std::process::id()))
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

/// Pipes `src` into `dst` and returns the events seen, with the counters.
fn copy(
    src: &Path,
    dst: &Path,
    read: ReadStreamOptions,
    write: WriteStreamOptions,
    observe: bool,
) -> Vec<String> {
    let log = Rc::new(RefCell::new(Vec::new()));
    let (l, s, d) = (log.clone(), src.to_path_buf(), dst.to_path_buf());
    streams::run(async move {
        let rs = create_read_stream(&s, read).unwrap();
        let ws = create_write_stream(&d, write).unwrap();
        if observe {
            rs.on(events::Data, |_: &Bytes| {});
        }
        let (l1, r1) = (l.clone(), rs.clone());
        rs.on(events::End, move |_| l1.borrow_mut().push(format!("src end {}", r1.bytes_read())));
        let l2 = l.clone();
        rs.on(events::Close, move |_| l2.borrow_mut().push("src close".to_string()));
        let (l3, w3) = (l.clone(), ws.clone());
        ws.on(events::Finish, move |_| {
            l3.borrow_mut().push(format!("dest finish {}", w3.bytes_written()))
        });
        let l4 = l.clone();
        ws.on(events::Close, move |_| l4.borrow_mut().push("dest close".to_string()));
        rs.pipe(&ws);
    });
    let events = log.borrow().clone();
    events
}

#[test]
fn kernel_copy_matches_the_copy_through_memory() {
    let data = pattern(3 * 1024 * 1024 + 17);
    let src = temp("src");
    std::fs::write(&src, &data).unwrap();
    let (fast, slow) = (temp("fast"), temp("slow"));
    let fast_events = copy(&src, &fast, Default::default(), Default::default(), false);
    let slow_events = copy(&src, &slow, Default::default(), Default::default(), true);
    assert_eq!(std::fs::read(&fast).unwrap(), data);
    assert_eq!(std::fs::read(&slow).unwrap(), data);
    // Each stream's own events are the same, in the same order. (Which of
    // `src close` and `dest finish` comes first depends on when the last
    // write lands, through memory as in Node, so the two are not compared
    // with each other.)
    let side = |events: &[String], prefix: &str| -> Vec<String> {
        events.iter().filter(|e| e.starts_with(prefix)).cloned().collect()
    };
    assert_eq!(side(&fast_events, "src"), side(&slow_events, "src"));
    assert_eq!(side(&fast_events, "dest"), side(&slow_events, "dest"));
    assert!(fast_events.contains(&format!("dest finish {}", data.len())), "{fast_events:?}");
    for p in [src, fast, slow] {
        std::fs::remove_file(p).unwrap();
    }
}

#[test]
fn kernel_copy_honours_ranges_and_positions() {
    let data = pattern(1024 * 1024);
    let src = temp("range-src");
    std::fs::write(&src, &data).unwrap();
    for observe in [false, true] {
        let dst = temp(&format!("range-dst-{observe}"));
        std::fs::write(&dst, vec![b'.'; 200]).unwrap();
        let read = ReadStreamOptions::new().start(1000).end(700_000).high_water_mark(4096);
        let write = WriteStreamOptions::new().flags("r+").start(100);
        copy(&src, &dst, read, write, observe);
        let out = std::fs::read(&dst).unwrap();
        assert_eq!(&out[..100], &[b'.'; 100][..]);
        assert_eq!(&out[100..], &data[1000..=700_000], "observe={observe}");
        std::fs::remove_file(dst).unwrap();
    }
    std::fs::remove_file(src).unwrap();
}

#[test]
fn kernel_copy_appends() {
    let data = pattern(300_000);
    let src = temp("append-src");
    std::fs::write(&src, &data).unwrap();
    let dst = temp("append-dst");
    std::fs::write(&dst, b"head:").unwrap();
    copy(&src, &dst, Default::default(), WriteStreamOptions::new().flags("a"), false);
    let out = std::fs::read(&dst).unwrap();
    assert_eq!(&out[..5], b"head:");
    assert_eq!(&out[5..], &data[..]);
    std::fs::remove_file(src).unwrap();
    std::fs::remove_file(dst).unwrap();
}
