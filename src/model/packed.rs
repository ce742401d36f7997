//! Text kept compressed until it is used. Every document's body HTML and section text are
//! held from the link stage until its page and the search index are made; LZ4 keeps them in
//! about a third of the memory and unpacks a body in microseconds.
//!
//! In: a string. Out: a [`Packed`] that gives the same string back.

/// A string, compressed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Packed(Vec<u8>);

impl Packed {
    pub fn new(text: &str) -> Packed {
        Packed(lz4_flex::compress_prepend_size(text.as_bytes()))
    }

    /// The string packed.
    pub fn unpack(&self) -> String {
        // Only `new` makes the bytes, from a string: neither step below can fail.
        lz4_flex::decompress_size_prepended(&self.0)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// Bytes held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Packed;

    #[test]
    fn gives_back_what_it_was_given() {
        for text in [
            "",
            "a",
            "<p>the same words, the same words, the same words</p>",
            "é ✓ \u{0}",
        ] {
            assert_eq!(Packed::new(text).unpack(), text);
        }
        let long = "women who were offered an interpreter ".repeat(200);
        let packed = Packed::new(&long);
        assert!(packed.len() < long.len() / 4, "{} bytes", packed.len());
        assert_eq!(packed.unpack(), long);
    }
}
