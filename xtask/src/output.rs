//! What the xtask commands print, without panicking on a closed pipe (see [`say!`] and
//! [`note!`]).

use std::fmt::Arguments;
use std::io::{ErrorKind, Write};

/// The exit status of a process killed by `SIGPIPE` (128 + 13), as shells report it.
pub const CLOSED_PIPE_STATUS: i32 = 141;

/// Writes `args` (and a line break when `line`) to stdout.
pub fn stdout(args: Arguments<'_>, line: bool) {
    let mut out = std::io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| if line { out.write_all(b"\n") } else { Ok(()) })
        .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::BrokenPipe => std::process::exit(CLOSED_PIPE_STATUS),
        Err(e) => {
            stderr(format_args!("xtask: writing stdout failed: {e}"), true);
            std::process::exit(1);
        }
    }
}

/// Writes `args` (and a line break when `line`) to stderr; a failure is ignored.
pub fn stderr(args: Arguments<'_>, line: bool) {
    let mut err = std::io::stderr().lock();
    let _ = err
        .write_fmt(args)
        .and_then(|()| if line { err.write_all(b"\n") } else { Ok(()) });
}
