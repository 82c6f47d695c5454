//! Re-entrancy through the async face: user code running inside the
//! adapters' polls (a stream's `poll_next`, a hook's future, a generator's
//! body, an iterating consumer's listeners) calls back into the same
//! stream. Nothing may panic with a `BorrowMutError`.
#![warn(rust_2018_idioms)]

use std::cell::RefCell;
use std::rc::Rc;
use std::task::Poll;

use futures::{stream, StreamExt, TryStreamExt};
use streams::{events, immediate, Readable, Source, StreamError, Transform, Writable};

#[test]
fn source_stream_calls_back_into_its_readable() {
    for action in 0..4 {
        streams::run(async move {
            let me: Rc<RefCell<Option<Readable<u32>>>> = Rc::default();
            let m = me.clone();
            let mut n = 0;
            let items = stream::poll_fn(move |_| {
                n += 1;
                let this = m.borrow().clone();
                if let Some(this) = this {
                    match action {
                        0 => {
                            this.destroy(Some(StreamError::new("from poll_next")));
                        }
                        1 => {
                            let _ = this.read(None);
                        }
                        2 => {
                            this.pause();
                            this.resume();
                        }
                        _ => {
                            let _ = this.readable_length();
                        }
                    }
                }
                Poll::Ready((n <= 3).then_some(Ok(n)))
            });
            let r = Readable::from_stream(items);
            *me.borrow_mut() = Some(r.clone());
            r.on(events::Error, |_| {});
            let got: Vec<Result<u32, StreamError>> = r.clone().collect().await;
            assert!(!got.is_empty() || r.destroyed());
            me.borrow_mut().take();
        });
    }
}

#[test]
fn write_future_calls_back_into_its_writable() {
    for action in 0..4 {
        streams::run(async move {
            let w = Writable::<u32>::object_builder()
                .write_async(move |w, n, _| {
                    let w = w.clone();
                    // Inside the hook, before the future: as a callback hook.
                    match action {
                        0 if n == 1 => {
                            w.write(100);
                        }
                        1 if n == 1 => {
                            w.cork();
                            w.uncork();
                        }
                        _ => {}
                    }
                    async move {
                        // Inside the future's first poll, and a later one.
                        if action == 2 && n == 2 {
                            w.destroy(None);
                        }
                        immediate().await;
                        if action == 3 && n == 1 {
                            w.end(None);
                            w.destroy(Some(StreamError::new("late")));
                        }
                        Ok(())
                    }
                })
                .build();
            w.on(events::Error, |_| {});
            for n in 1..=3 {
                w.write(n);
            }
            w.end(None);
            for _ in 0..6 {
                immediate().await;
            }
            assert!(w.destroyed());
        });
    }
}

#[test]
fn generator_body_destroys_its_readable() {
    streams::run(async {
        let me: Rc<RefCell<Option<Readable<u32>>>> = Rc::default();
        let m = me.clone();
        let r = Readable::from_fn(move |out| async move {
            out.send(1).await;
            let this = m.borrow().clone();
            if let Some(this) = this {
                this.destroy(Some(StreamError::new("inside")));
                let _ = this.read(None);
            }
            out.send(2).await;
            Ok(())
        });
        *me.borrow_mut() = Some(r.clone());
        let got: Vec<Result<u32, StreamError>> = r.clone().collect().await;
        assert_eq!(got[0].as_ref().unwrap(), &1);
        assert_eq!(got.last().unwrap().as_ref().unwrap_err().message(), "inside");
        me.borrow_mut().take();
    });
}

#[test]
fn stage_body_writes_to_and_destroys_its_transform() {
    streams::run(async {
        let me: Rc<RefCell<Option<Transform<u32, u32>>>> = Rc::default();
        let m = me.clone();
        let t = Transform::from_fn(move |mut source: Source<u32>, out| async move {
            while let Some(n) = source.try_next().await? {
                let this = m.borrow().clone();
                if let Some(this) = this {
                    if n == 1 {
                        this.write(10);
                    }
                    if n == 10 {
                        this.destroy(None);
                    }
                }
                out.send(n).await;
            }
            Ok(())
        });
        *me.borrow_mut() = Some(t.clone());
        t.write(1);
        let got: Vec<Result<u32, StreamError>> = t.clone().collect().await;
        assert!(t.destroyed());
        assert_eq!(got.first().and_then(|r| r.as_ref().ok()), Some(&1));
        me.borrow_mut().take();
    });
}

#[test]
fn iterated_stream_touched_from_its_own_listeners() {
    streams::run(async {
        let r: Readable = Readable::builder().read(|_, _| {}).build();
        let r2 = r.clone();
        r.on(events::Readable, move |_| {
            // Another reader in the middle of the iterator's wake-up.
            let _ = r2.read(Some(0));
            r2.unshift(bytes::Bytes::from("u"));
        });
        let r3 = r.clone();
        r.on(events::End, move |_| {
            r3.destroy(None);
        });
        r.push(bytes::Bytes::from("a"));
        r.push(None);
        let got: Vec<_> = r.clone().collect().await;
        assert!(!got.is_empty());
    });
}
