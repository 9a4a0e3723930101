//! A pretty-printed JSON array written one element at a time, byte for byte what
//! `serde_json::to_string_pretty` prints for the whole array, so 100 000 grants go to stdout or
//! a file without ever being held together in memory.

use serde::Serialize;
use std::io::{self, Write};

pub struct PrettyArray<W: Write> {
    w: W,
    /// Two spaces per level of the array's own nesting.
    depth: usize,
    first: bool,
    buf: Vec<u8>,
}

impl<W: Write> PrettyArray<W> {
    /// Writes `[`; the array sits `depth` levels deep in the document (0 when it is the document).
    pub fn start(mut w: W, depth: usize) -> io::Result<Self> {
        w.write_all(b"[")?;
        Ok(Self {
            w,
            depth,
            first: true,
            buf: Vec::with_capacity(4096),
        })
    }

    pub fn push<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, value).map_err(io::Error::other)?;
        self.w.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        // JSON strings hold no raw newline: every line break is the formatter's, so indenting
        // each line nests the element exactly as serde_json nests it.
        for (i, line) in self.buf.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.w.write_all(b"\n")?;
            }
            indent(&mut self.w, self.depth + 1)?;
            self.w.write_all(line)?;
        }
        Ok(())
    }

    /// Writes `]` and gives the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.first {
            self.w.write_all(b"\n")?;
            indent(&mut self.w, self.depth)?;
        }
        self.w.write_all(b"]")?;
        Ok(self.w)
    }
}

fn indent(w: &mut impl Write, depth: usize) -> io::Result<()> {
    for _ in 0..depth {
        w.write_all(b"  ")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(items: &[serde_json::Value], depth: usize) -> String {
        let mut a = PrettyArray::start(Vec::new(), depth).expect("writes to memory");
        for v in items {
            a.push(v).expect("writes to memory");
        }
        String::from_utf8(a.finish().expect("writes to memory")).expect("JSON is UTF-8")
    }

    #[test]
    fn the_stream_is_what_serde_json_prints_for_the_whole_array() {
        let items = vec![
            serde_json::json!({"id": "a", "nested": {"list": [1, 2], "empty": []}, "s": "line\nbreak"}),
            serde_json::json!([]),
            serde_json::json!("x"),
        ];
        assert_eq!(
            streamed(&items, 0),
            serde_json::to_string_pretty(&items).expect("serializes"),
            "a top-level array matches serde_json byte for byte (escaped newlines stay escaped)"
        );
        assert_eq!(streamed(&[], 0), "[]", "an empty array is []");
        let doc = serde_json::json!({"grants": items});
        let mut by_hand = String::from("{\n  \"grants\": ");
        by_hand += &streamed(&items, 1);
        by_hand += "\n}";
        assert_eq!(
            by_hand,
            serde_json::to_string_pretty(&doc).expect("serializes"),
            "an array one level deep nests like serde_json's"
        );
    }
}
