//! Node's file system flags (`'r'`, `'w'`, `'a'`, `'wx'`, ...) as
//! `std::fs::OpenOptions`.

use std::fs::OpenOptions;

use streams_core::StreamError;

/// Opens files as Node's flag strings say: `r`, `r+`, `rs+`, `w`, `wx`,
/// `w+`, `wx+`, `a`, `ax`, `a+`, `ax+`, `as`, `as+`.
pub(crate) fn open_options(flags: &str, mode: u32) -> Result<OpenOptions, StreamError> {
    let mut o = OpenOptions::new();
    match flags {
        "r" | "rs" | "sr" => o.read(true),
        "r+" | "rs+" | "sr+" => o.read(true).write(true),
        "w" => o.write(true).create(true).truncate(true),
        "wx" | "xw" => o.write(true).create_new(true),
        "w+" => o.read(true).write(true).create(true).truncate(true),
        "wx+" | "xw+" => o.read(true).write(true).create_new(true),
        "a" | "as" | "sa" => o.append(true).create(true),
        "ax" | "xa" => o.append(true).create_new(true),
        "a+" | "as+" | "sa+" => o.read(true).append(true).create(true),
        "ax+" | "xa+" => o.read(true).append(true).create_new(true),
        other => {
            return Err(StreamError::invalid_arg_value(format!(
                "The argument 'flags' is invalid. Received '{other}'"
            )))
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_node_flag_parses_and_others_are_refused() {
        for flags in ["r", "r+", "rs+", "w", "wx", "w+", "wx+", "a", "ax", "a+", "ax+", "as", "as+"]
        {
            assert!(open_options(flags, 0o666).is_ok(), "{flags}");
        }
        let err = open_options("q", 0o666).unwrap_err();
        assert_eq!(err.code(), Some("ERR_INVALID_ARG_VALUE"));
    }
}
