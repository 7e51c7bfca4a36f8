//! Reading a file a sweep wrote, a line at most [`MAX_LINE`] long: a file that is not one
//! (`/dev/zero`, a binary) costs no more than that before it is refused.

use std::io::{self, BufRead, BufReader, Read};

pub use crate::cli::trace_file::MAX_LINE;

/// A reader that fails, as invalid data, at a line longer than [`MAX_LINE`] bytes.
pub struct LineLimit<R> {
    inner: R,
    /// Bytes since the last line break.
    run: usize,
}

impl<R: Read> LineLimit<R> {
    /// `inner`, buffered, its lines bounded.
    pub fn new(inner: R) -> BufReader<Self> {
        BufReader::new(LineLimit { inner, run: 0 })
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        for &byte in &buffer[..read] {
            self.run = if byte == b'\n' { 0 } else { self.run + 1 };
            if self.run > MAX_LINE {
                return Err(too_long());
            }
        }
        Ok(read)
    }
}

/// The error [`LineLimit`] fails with.
pub fn too_long() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("a line is longer than {} KiB", MAX_LINE / 1024),
    )
}

/// The next line of `reader` without its line break, `None` at the end. Returns whether it
/// ended with a line break (a line without one may have been cut short by a killed writer) and
/// its length in the file.
pub fn next_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<Option<(bool, u64)>> {
    line.clear();
    let length = reader.read_until(b'\n', line)?;
    if length == 0 {
        return Ok(None);
    }
    let whole = line.last() == Some(&b'\n');
    if whole {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    }
    Ok(Some((whole, length as u64)))
}
