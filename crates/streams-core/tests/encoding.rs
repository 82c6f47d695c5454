//! Node's `Buffer` encodings and `StringDecoder`, line by line against
//! `fixtures/encoding.expected` (recorded with Node v24 by
//! `fixtures/encoding.js`), plus properties over random input.
#![warn(rust_2018_idioms)]

use proptest::prelude::*;
use streams_core::encoding::{js_len, Encoding, StringDecoder};

const EXPECTED: &str = include_str!("fixtures/encoding.expected");

/// `"0041d83d"` → `[0x0041, 0xd83d]`.
fn units(field: &str) -> Vec<u16> {
    assert!(field.len() % 4 == 0, "bad string field {field:?}");
    (0..field.len())
        .step_by(4)
        .map(|i| u16::from_str_radix(&field[i..i + 4], 16).expect("hex code unit"))
        .collect()
}

/// `"c3a9"` → `[0xc3, 0xa9]`.
fn bytes(field: &str) -> Vec<u8> {
    assert!(field.len() % 2 == 0, "bad bytes field {field:?}");
    (0..field.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&field[i..i + 2], 16).expect("hex byte"))
        .collect()
}

/// A well-formed string from its code units (inputs to Rust).
fn string(field: &str) -> String {
    String::from_utf16(&units(field)).expect("fixture inputs are well-formed UTF-16")
}

/// A Node string as a Rust string: each unpaired surrogate is U+FFFD.
fn lossy(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

fn is_high(unit: u16) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

/// What the Rust decoder returns for Node's outputs of one `S` line: the
/// same strings, except that a high surrogate ending an output moves to
/// the start of the next one (ops are `None` for `end()`).
fn expected_decoder_outputs(ops: &[Option<Vec<u8>>], node_outputs: &[Vec<u16>]) -> Vec<String> {
    let mut carry: Option<u16> = None;
    let mut expected = Vec::new();
    for (i, output) in node_outputs.iter().enumerate() {
        let is_end = ops.get(i).is_none_or(Option::is_none);
        let mut all: Vec<u16> = carry.take().into_iter().collect();
        all.extend_from_slice(output);
        if !is_end && all.last().copied().is_some_and(is_high) {
            carry = all.pop();
        }
        expected.push(lossy(&all));
    }
    expected
}

fn check_line(fields: &[&str]) -> Result<(), String> {
    match fields {
        ["P", name, canonical, code, message] => {
            let name = string(name);
            let got = Encoding::parse(&name);
            match (*canonical, got) {
                ("!", Err(err)) => {
                    let want = lossy(&units(message));
                    if err.code() != Some(code) || err.message() != want {
                        return Err(format!("got {:?} {:?}", err.code(), err.message()));
                    }
                }
                ("!", Ok(enc)) => return Err(format!("parsed as {enc}, Node rejects it")),
                (canonical, Ok(enc)) if enc.name() == canonical => {}
                (_, got) => return Err(format!("got {got:?}")),
            }
            let via_from_str = name.parse::<Encoding>().ok();
            if via_from_str != Encoding::parse(&name).ok() {
                return Err("FromStr disagrees with parse".into());
            }
        }
        ["E", enc, input, output] => {
            let enc = Encoding::parse(enc).map_err(|e| e.to_string())?;
            let got = enc.encode(&string(input));
            if got[..] != bytes(output)[..] {
                return Err(format!("got {got:02x?}"));
            }
        }
        ["D", enc, input, output] => {
            let enc = Encoding::parse(enc).map_err(|e| e.to_string())?;
            let got = enc.decode(&bytes(input));
            let want = lossy(&units(output));
            if got != want {
                return Err(format!("got {got:?}, want {want:?}"));
            }
        }
        ["S", enc, ops, outputs] => {
            let enc = Encoding::parse(enc).map_err(|e| e.to_string())?;
            let ops: Vec<Option<Vec<u8>>> = if ops.is_empty() {
                Vec::new()
            } else {
                ops.split(',')
                    .map(|op| match op {
                        "!" => None,
                        "-" => Some(Vec::new()),
                        chunk => Some(bytes(chunk)),
                    })
                    .collect()
            };
            let node: Vec<Vec<u16>> = outputs.split(',').map(units).collect();
            if node.len() != ops.len() + 1 {
                return Err("malformed S line".into());
            }
            let mut decoder = StringDecoder::new(enc);
            let mut got: Vec<String> = ops
                .iter()
                .map(|op| match op {
                    Some(chunk) => decoder.write(chunk),
                    None => decoder.end(),
                })
                .collect();
            got.push(decoder.end());
            let want = expected_decoder_outputs(&ops, &node);
            if got != want {
                return Err(format!("got {got:?}, want {want:?}"));
            }
            // Between two end()s, the joined outputs are Node's joined outputs.
            let (mut ours, mut theirs) = (String::new(), Vec::new());
            for (i, (got, node)) in got.iter().zip(&node).enumerate() {
                ours += got;
                theirs.extend_from_slice(node);
                if ops.get(i).is_none_or(Option::is_none) {
                    if ours != lossy(&theirs) {
                        return Err(format!("joined outputs {ours:?} differ"));
                    }
                    (ours, theirs) = (String::new(), Vec::new());
                }
            }
        }
        ["L", input, len] => {
            let got = js_len(&string(input));
            if got.to_string() != *len {
                return Err(format!("got {got}"));
            }
        }
        _ => return Err("unknown line".into()),
    }
    Ok(())
}

#[test]
fn matches_node() {
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    for (n, line) in EXPECTED.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        *counts.entry(fields[0]).or_insert(0) += 1;
        if let Err(why) = check_line(&fields) {
            failures.push(format!("line {}: {line}\n    {why}", n + 1));
        }
    }
    // Every kind of line is there, in numbers.
    for kind in ["P", "E", "D", "S", "L"] {
        assert!(counts.get(kind).copied().unwrap_or(0) > 20, "few {kind} lines: {counts:?}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} lines differ from Node:\n{}",
        failures.len(),
        EXPECTED.lines().count(),
        failures.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn decoder_is_reusable_after_end() {
    let mut decoder = StringDecoder::new(Encoding::Utf8);
    assert_eq!(decoder.write(b"\xE2\x82"), "");
    assert_eq!(decoder.end(), "\u{FFFD}");
    assert_eq!(decoder.write(b"\xAC"), "\u{FFFD}");
    assert_eq!(decoder.write("€".as_bytes()), "€");
    assert_eq!(decoder.end(), "");
}

#[test]
fn empty_input_everywhere() {
    for enc in Encoding::ALL {
        assert_eq!(enc.decode(&[]), "");
        assert!(enc.encode("").is_empty());
        let mut decoder = StringDecoder::new(enc);
        assert_eq!(decoder.write(&[]), "");
        assert_eq!(decoder.end(), "");
        assert_eq!(decoder.encoding(), enc);
    }
    assert_eq!(StringDecoder::default().encoding(), Encoding::Utf8);
}

#[test]
fn long_inputs_round_trip() {
    let text = "Node streams 前端 😀 é ".repeat(5000);
    for enc in [Encoding::Utf8, Encoding::Utf16le] {
        let bytes = enc.encode(&text);
        assert_eq!(enc.decode(&bytes), text);
        let mut decoder = StringDecoder::new(enc);
        let mut out = String::new();
        for chunk in bytes.chunks(4093) {
            out += &decoder.write(chunk);
        }
        out += &decoder.end();
        assert_eq!(out, text);
    }
    let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    for enc in [Encoding::Hex, Encoding::Base64, Encoding::Base64url, Encoding::Latin1] {
        assert_eq!(&enc.encode(&enc.decode(&data))[..], &data[..], "{enc}");
    }
}

/// Splits `bytes` at the given (unsorted, possibly out of range) points.
fn split_at_points<'a>(bytes: &'a [u8], points: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = points.iter().map(|&p| p % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for cut in cuts {
        chunks.push(&bytes[start..cut]);
        start = cut;
    }
    chunks.push(&bytes[start..]);
    chunks
}

fn decode_chunks(enc: Encoding, chunks: &[&[u8]]) -> String {
    let mut decoder = StringDecoder::new(enc);
    let mut out: String = chunks.iter().map(|chunk| decoder.write(chunk)).collect();
    out += &decoder.end();
    out
}

proptest! {
    #[test]
    fn split_text_decodes_to_the_original(
        text in "\\PC{0,40}|[a-z前端é😀\u{10000}-\u{10FFFF}]{0,30}",
        points in prop::collection::vec(any::<usize>(), 0..8),
    ) {
        for enc in [Encoding::Utf8, Encoding::Utf16le] {
            let bytes = enc.encode(&text);
            let chunks = split_at_points(&bytes, &points);
            prop_assert_eq!(decode_chunks(enc, &chunks), text.clone(), "{}", enc);
        }
    }

    #[test]
    fn split_bytes_decode_as_the_whole(
        bytes in prop::collection::vec(
            prop_oneof![any::<u8>(), 0x80u8..0xC0, 0xC0u8..0xF8, 0xD8u8..0xE0], 0..40),
        points in prop::collection::vec(any::<usize>(), 0..8),
    ) {
        let chunks = split_at_points(&bytes, &points);
        for enc in Encoding::ALL {
            prop_assert_eq!(decode_chunks(enc, &chunks), enc.decode(&bytes), "{}", enc);
        }
    }

    #[test]
    fn end_in_the_middle_starts_afresh(
        ops in prop::collection::vec(
            prop::option::weighted(0.85, prop::collection::vec(
                prop_oneof![any::<u8>(), 0x80u8..0xC0, 0xD8u8..0xE0], 0..7)),
            0..10),
    ) {
        for enc in Encoding::ALL {
            let mut decoder = StringDecoder::new(enc);
            let (mut got, mut segment) = (String::new(), Vec::new());
            for op in &ops {
                match op {
                    Some(chunk) => {
                        got += &decoder.write(chunk);
                        segment.extend_from_slice(chunk);
                    }
                    None => {
                        got += &decoder.end();
                        prop_assert_eq!(&got, &enc.decode(&segment), "{}", enc);
                        got.clear();
                        segment.clear();
                    }
                }
            }
            got += &decoder.end();
            prop_assert_eq!(&got, &enc.decode(&segment), "{}", enc);
        }
    }

    #[test]
    fn any_string_is_accepted(text in "\\PC{0,30}|[ -~]{0,30}") {
        for enc in Encoding::ALL {
            let bytes = enc.encode(&text);
            let _ = enc.decode(&bytes);
        }
        prop_assert_eq!(js_len(&text), text.encode_utf16().count());
        prop_assert_eq!(Encoding::Hex.decode(&Encoding::Hex.encode(&text)).len() % 2, 0);
    }
}
