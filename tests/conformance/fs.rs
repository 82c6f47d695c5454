//! The `fs-*` scenarios.

use std::cell::Cell;
use std::path::PathBuf;
use std::rc::Rc;

use bytes::Bytes;
use streams::events;
use streams::fs::{create_read_stream, create_write_stream, ReadStreamOptions, WriteStreamOptions};
use streams::run;

use crate::support::{assert_trace, b, log, Trace};

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("conformance-{name}-{}", std::process::id()))
}

#[test]
fn fs_read_range() {
    let file = temp("fs-read-range.txt");
    std::fs::write(&file, "0123456789abcdefghij").unwrap();
    let t = Trace::new();
    let (tt, f) = (t.clone(), file.clone());
    run(async move {
        for (name, opts) in [
            ("range", ReadStreamOptions::new().high_water_mark(4).start(3).end(14)),
            ("start-only", ReadStreamOptions::new().high_water_mark(8).start(15)),
            ("single-byte", ReadStreamOptions::new().high_water_mark(4).start(0).end(0)),
        ] {
            let rs = create_read_stream(&f, opts).unwrap();
            log!(
                tt,
                "{name} readableHighWaterMark {} pending {}",
                rs.readable_high_water_mark(),
                rs.pending()
            );
            let t1 = tt.clone();
            rs.on(events::Open, move |_| log!(t1, "{name} open"));
            let (t2, r2) = (tt.clone(), rs.clone());
            rs.on(events::Ready, move |_| log!(t2, "{name} ready pending {}", r2.pending()));
            let t3 = tt.clone();
            rs.on(events::Data, move |c: &Bytes| {
                log!(t3, "{name} data {:?} {}", String::from_utf8_lossy(c), c.len())
            });
            let (t4, r4) = (tt.clone(), rs.clone());
            rs.on(events::End, move |_| log!(t4, "{name} end bytesRead {}", r4.bytes_read()));
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let tx = Cell::new(Some(tx));
            let t5 = tt.clone();
            rs.on(events::Close, move |_| {
                log!(t5, "{name} close");
                if let Some(tx) = tx.take() {
                    let _ = tx.send(());
                }
            });
            rx.await.unwrap();
        }
        std::fs::remove_file(&f).unwrap();
        tt.log("done");
    });
    assert_trace("fs-read-range", &t);
}

#[test]
fn fs_write_append() {
    let file = temp("fs-write-append.txt");
    std::fs::write(&file, "abc").unwrap();
    let t = Trace::new();
    let (tt, f) = (t.clone(), file.clone());
    run(async move {
        for (name, flags) in [("append", "a"), ("append-again", "a"), ("truncate", "w")] {
            let ws = create_write_stream(&f, WriteStreamOptions::new().flags(flags)).unwrap();
            let t1 = tt.clone();
            ws.on(events::Open, move |_| log!(t1, "{name} open"));
            let t2 = tt.clone();
            ws.on(events::Ready, move |_| log!(t2, "{name} ready"));
            let (t3, w3) = (tt.clone(), ws.clone());
            ws.on(events::Finish, move |_| {
                log!(t3, "{name} finish bytesWritten {}", w3.bytes_written())
            });
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let tx = Cell::new(Some(tx));
            let (t4, f4) = (tt.clone(), f.clone());
            ws.on(events::Close, move |_| {
                let content = std::fs::read_to_string(&f4).unwrap();
                log!(t4, "{name} close content {content:?}");
                if let Some(tx) = tx.take() {
                    let _ = tx.send(());
                }
            });
            ws.write(b("def"));
            ws.end(b("ghi"));
            rx.await.unwrap();
        }
        std::fs::remove_file(&f).unwrap();
        tt.log("done");
    });
    assert_trace("fs-write-append", &t);
}

#[test]
fn fs_pipe_copy() {
    let src = temp("copy-src.bin");
    let dst = temp("copy-dst.bin");
    let data: Vec<u8> = (0..1000u32).map(|i| ((i * 7) & 0xff) as u8).collect();
    std::fs::write(&src, &data).unwrap();
    let t = Trace::new();
    let (tt, s, d) = (t.clone(), src.clone(), dst.clone());
    run(async move {
        let rs = create_read_stream(&s, ReadStreamOptions::new().high_water_mark(64)).unwrap();
        let ws = create_write_stream(&d, WriteStreamOptions::new()).unwrap();
        let chunks = Rc::new(Cell::new(0));
        let c = chunks.clone();
        rs.on(events::Data, move |_: &Bytes| c.set(c.get() + 1));
        rs.pipe(&ws);
        let (t1, r1) = (tt.clone(), rs.clone());
        rs.on(events::End, move |_| {
            log!(t1, "src end chunks {} bytesRead {}", chunks.get(), r1.bytes_read())
        });
        let (t2, w2) = (tt.clone(), ws.clone());
        ws.on(events::Finish, move |_| log!(t2, "dest finish bytesWritten {}", w2.bytes_written()));
        let (t3, s3, d3) = (tt.clone(), s.clone(), d.clone());
        ws.on(events::Close, move |_| {
            let copy = std::fs::read(&d3).unwrap();
            log!(t3, "dest close equal {} size {}", copy == data, copy.len());
            std::fs::remove_file(&s3).unwrap();
            std::fs::remove_file(&d3).unwrap();
        });
    });
    assert_trace("fs-pipe-copy", &t);
}
