//! The `net-*` scenarios: TCP on 127.0.0.1, port 0.

use std::cell::RefCell;
use std::rc::Rc;

use bytes::Bytes;
use streams::encoding::Encoding;
use streams::net::events::{Close, Connect, Data, End, Listening};
use streams::net::{connect, create_server, ServerOptions, Socket};
use streams::run;

use crate::support::{assert_trace, log, Trace};

/// JavaScript's `JSON.stringify` of a plain ASCII string.
fn json(s: &str) -> String {
    format!("{s:?}")
}

/// A `'data'` listener that appends the (utf8) chunks to a string.
fn collect(socket: &Socket) -> Rc<RefCell<String>> {
    let got = Rc::new(RefCell::new(String::new()));
    let g = got.clone();
    socket.on(Data, move |d: &Bytes| g.borrow_mut().push_str(&String::from_utf8_lossy(d)));
    got
}

#[test]
fn net_echo() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let server = create_server(ServerOptions::new(), |sock| {
            sock.pipe(sock);
        });
        server.listen(0, "127.0.0.1");
        let s = server.clone();
        server.on(Listening, move |_| {
            let client = connect(s.address().unwrap().port(), "127.0.0.1");
            client.set_encoding(Encoding::Utf8);
            let t1 = tt.clone();
            client.on(Connect, move |_| t1.log("client connect"));
            let received = collect(&client);
            let (t2, r2) = (tt.clone(), received.clone());
            client.on(End, move |_| log!(t2, "client end received {}", json(&r2.borrow())));
            let (t3, c3, s3) = (tt.clone(), client.clone(), s.clone());
            client.on(Close, move |_| {
                log!(
                    t3,
                    "client close hadError {} destroyed {} writableFinished {} readableEnded {}",
                    c3.had_error(),
                    c3.destroyed(),
                    c3.writable_finished(),
                    c3.readable_ended()
                );
                let t4 = t3.clone();
                s3.close_with(move |_| t4.log("server closed"));
            });
            client.write_str("one,", None);
            client.write_str("two,", None);
            client.end_str("three", None);
            log!(tt, "client wrote, pending {}", client.pending());
        });
    });
    assert_trace("net-echo", &t);
}

#[test]
fn net_halfopen() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let server_events = Rc::new(RefCell::new(Vec::<String>::new()));
        let se = server_events.clone();
        let server = create_server(ServerOptions::new().allow_half_open(true), move |sock| {
            sock.set_encoding(Encoding::Utf8);
            let got = collect(sock);
            let (se1, s1) = (se.clone(), sock.clone());
            sock.on(End, move |_| {
                let got = got.borrow().clone();
                se1.borrow_mut().push(format!(
                    "server end got={} writable={}",
                    json(&got),
                    s1.writable()
                ));
                s1.end_str(&format!("reply-after-end:{}", got.len()), None);
            });
            let se2 = se.clone();
            sock.on(Close, move |_| se2.borrow_mut().push("server close".to_string()));
        });
        server.listen(0, "127.0.0.1");
        let s = server.clone();
        server.on(Listening, move |_| {
            let client = connect(s.address().unwrap().port(), "127.0.0.1");
            client.set_encoding(Encoding::Utf8);
            let received = collect(&client);
            let (t1, r1) = (tt.clone(), received.clone());
            client.on(End, move |_| log!(t1, "client end received {}", json(&r1.borrow())));
            let (t2, c2, s2, ev) = (tt.clone(), client.clone(), s.clone(), server_events.clone());
            client.on(Close, move |_| {
                log!(t2, "client close hadError {}", c2.had_error());
                let (t3, ev) = (t2.clone(), ev.clone());
                s2.close_with(move |_| {
                    for e in ev.borrow().iter() {
                        t3.log(e.clone());
                    }
                    t3.log("server closed");
                });
            });
            client.end_str("hello", None);
        });
    });
    assert_trace("net-halfopen", &t);
}
