//! The `net-*` scenarios: TCP on 127.0.0.1, port 0 (and port 1, where
//! nobody listens).

use std::cell::RefCell;
use std::rc::Rc;

use bytes::Bytes;
use streams::encoding::Encoding;
use streams::net::events::{Close, Connect, Data, End, Error, Listening};
use streams::net::{
    connect, create_connection, create_server, ConnectOptions, Server, ServerOptions, Socket,
};
use streams::{run, StreamError};

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

/// The end of a scenario with a server: on the client's `'close'`, log
/// it, close the server, and once it is closed log what the server's
/// sockets saw (collected in `events`), then `server closed`.
fn on_client_close(t: &Trace, client: &Socket, server: &Server, events: &ServerEvents) {
    let (t, c, s, ev) = (t.clone(), client.clone(), server.clone(), events.clone());
    client.on(Close, move |_| {
        log!(t, "client close hadError {}", c.had_error());
        let (t, ev) = (t.clone(), ev.clone());
        s.close_with(move |_| {
            for e in ev.borrow().iter() {
                t.log(e.clone());
            }
            t.log("server closed");
        });
    });
}

/// What a scenario's server sockets saw, logged after the server closed.
type ServerEvents = Rc<RefCell<Vec<String>>>;

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
            on_client_close(&tt, &client, &s, &server_events);
            client.end_str("hello", None);
        });
    });
    assert_trace("net-halfopen", &t);
}

/// `e.code, e.syscall, e.message` with the port of ours as `PORT`. We do not
/// expose `syscall`: it is the message's first word, which Node's messages
/// of these errors begin with.
fn error_line(e: &StreamError, port: Option<u16>) -> String {
    let mut message = e.message().to_string();
    if let Some(port) = port {
        message = message.replacen(&format!(":{port}"), ":PORT", 1);
    }
    let syscall = message.split(' ').next().unwrap_or("");
    format!("{} {syscall} {message}", e.code().unwrap_or("undefined"))
}

#[test]
fn net_connect_refused() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let refused = connect(1, "127.0.0.1");
        let t1 = tt.clone();
        refused.on(Error, move |e: &StreamError| log!(t1, "refused error {}", error_line(e, None)));
        let (t2, r2) = (tt.clone(), refused.clone());
        refused.on(Close, move |_| {
            log!(t2, "refused close hadError {}", r2.had_error());
            let server = create_server(ServerOptions::new(), |_| {});
            server.listen(0, "127.0.0.1");
            let (s, t3) = (server.clone(), t2.clone());
            server.on(Listening, move |_| {
                let port = s.address().unwrap().port();
                let bound = create_connection(
                    ConnectOptions::new(1)
                        .host("127.0.0.1")
                        .local_address([127, 0, 0, 1].into())
                        .local_port(port),
                );
                let t4 = t3.clone();
                bound.on(Error, move |e: &StreamError| {
                    log!(t4, "bind error {}", error_line(e, Some(port)))
                });
                let (t5, b5, s5) = (t3.clone(), bound.clone(), s.clone());
                bound.on(Close, move |_| {
                    log!(t5, "bind close hadError {}", b5.had_error());
                    let t6 = t5.clone();
                    s5.close_with(move |_| t6.log("server closed"));
                });
            });
        });
    });
    assert_trace("net-connect-refused", &t);
}

#[test]
fn net_listen_eaddrinuse() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let first = create_server(ServerOptions::new(), |_| {});
        first.listen(0, "127.0.0.1");
        let f = first.clone();
        first.on(Listening, move |_| {
            let port = f.address().unwrap().port();
            let second = create_server(ServerOptions::new(), |_| {});
            let t1 = tt.clone();
            second.on(Listening, move |_| t1.log("second listening"));
            let (t2, s2, f2) = (tt.clone(), second.clone(), f.clone());
            second.on(Error, move |e: &StreamError| {
                log!(t2, "second error {}", error_line(e, Some(port)));
                log!(t2, "second listening {} first listening {}", s2.listening(), f2.listening());
                let t3 = t2.clone();
                f2.close_with(move |_| t3.log("first closed"));
            });
            second.listen(port, "127.0.0.1");
        });
    });
    assert_trace("net-listen-eaddrinuse", &t);
}

#[test]
fn net_read_econnreset() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let server_events = Rc::new(RefCell::new(Vec::<String>::new()));
        let se = server_events.clone();
        let server = create_server(ServerOptions::new(), move |sock| {
            let (se1, s1) = (se.clone(), sock.clone());
            sock.on(Data, move |d: &Bytes| {
                se1.borrow_mut().push(format!("server data {}", String::from_utf8_lossy(d)));
                s1.reset_and_destroy();
            });
            let se2 = se.clone();
            sock.on(Error, move |e: &StreamError| {
                se2.borrow_mut().push(format!("server error {}", e.code().unwrap_or("undefined")))
            });
            let (se3, s3) = (se.clone(), sock.clone());
            sock.on(Close, move |_| {
                se3.borrow_mut().push(format!("server close hadError {}", s3.had_error()))
            });
        });
        server.listen(0, "127.0.0.1");
        let s = server.clone();
        server.on(Listening, move |_| {
            let client = connect(s.address().unwrap().port(), "127.0.0.1");
            let t1 = tt.clone();
            client
                .on(Error, move |e: &StreamError| log!(t1, "client error {}", error_line(e, None)));
            on_client_close(&tt, &client, &s, &server_events);
            client.write(Bytes::from("x"));
        });
    });
    assert_trace("net-read-econnreset", &t);
}
