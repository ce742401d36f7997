//! Compact text encodings for the search index, read by `search.js`.
//!
//! Numbers are written in a 64-character alphabet: a *varint* uses five data bits per
//! character, lowest first, with the sixth bit set on every character but the last; a
//! *fixed* number uses `width` characters of six bits, highest first. Index files are
//! classic scripts, `LanternSearchData("name", {...});`, so that they load with a
//! `<script>` tag from `file://` as well as from a server.

use serde::Serialize;

pub const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends `value` as a varint.
pub fn varint(out: &mut String, mut value: u32) {
    loop {
        let low = (value & 31) as usize;
        value >>= 5;
        if value == 0 {
            out.push(DIGITS[low] as char);
            return;
        }
        out.push(DIGITS[low | 32] as char);
    }
}

/// Reads back a run of varints written by [`varint`]; other characters end nothing and
/// count as zero.
pub fn decode_varints(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    const VALUES: [u8; 256] = {
        let mut values = [0u8; 256];
        let mut d = 0;
        while d < 64 {
            values[DIGITS[d] as usize] = d as u8;
            d += 1;
        }
        values
    };
    let (mut value, mut shift) = (0u32, 0u32);
    for c in text.bytes() {
        let digit = u32::from(VALUES[c as usize]);
        value |= (digit & 31).checked_shl(shift).unwrap_or(0);
        if digit & 32 != 0 {
            shift += 5;
        } else {
            out.push(value);
            value = 0;
            shift = 0;
        }
    }
    out
}

/// Appends `value` in exactly `width` characters (it must fit in `6 * width` bits).
pub fn fixed(out: &mut String, value: u64, width: usize) {
    for i in (0..width).rev() {
        out.push(DIGITS[((value >> (6 * i)) & 63) as usize] as char);
    }
}

/// Appends a set of bit positions as a mask of `width` characters, highest first: bit `b`
/// is bit `b % 6` of the character `b / 6` from the right. Positions past the width are
/// left out.
pub fn bits(out: &mut String, set: &[usize], width: usize) {
    let mut chars = vec![0usize; width];
    for &b in set.iter().filter(|&&b| b < 6 * width) {
        chars[width - 1 - b / 6] |= 1 << (b % 6);
    }
    out.extend(chars.into_iter().map(|c| DIGITS[c] as char));
}

/// How many fixed characters hold `bits` bits.
pub fn width(bits: usize) -> usize {
    bits.div_ceil(6).max(1)
}

/// An index file: a script that hands `data` to the runtime under `name`.
pub fn script<T: Serialize>(name: &str, data: &T) -> Vec<u8> {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".to_string());
    // `</script` cannot occur in JSON made from our strings unless a document contains
    // it; escaping `<` keeps any such text inert.
    format!(
        "LanternSearchData({}, {});\n",
        serde_json::to_string(name).unwrap_or_default(),
        json.replace('<', "\\u003c")
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_use_five_bits_per_character_lowest_first() {
        let mut s = String::new();
        for v in [0, 31, 32, 1000] {
            varint(&mut s, v);
        }
        // 32 = 0b1_00000: low group 0 with continuation (index 32 = 'W'), then 1.
        // 1000 = 0b11111_01000: 8 + 32 → 'e', then 31 → 'V'.
        assert_eq!(s, "0VW1eV");
        assert_eq!(decode_varints(&s), [0, 31, 32, 1000]);
    }

    #[test]
    fn fixed_numbers_are_six_bits_per_character_highest_first() {
        let mut s = String::new();
        fixed(&mut s, 64 + 5, 2);
        fixed(&mut s, 0, 1);
        assert_eq!(s, "150");
        assert_eq!(width(10), 2);
        assert_eq!(width(0), 1);
    }

    #[test]
    fn bit_sets_fill_characters_from_the_right() {
        let mut s = String::new();
        bits(&mut s, &[0, 6, 70], 12);
        // Bit 0 and bit 6 land in the last two characters; bit 70 in the first.
        assert_eq!(s, "G00000000011");
        let mut wide = String::new();
        bits(&mut wide, &[5], 1);
        assert_eq!(wide, "W");
    }

    #[test]
    fn scripts_keep_markup_inert() {
        let text = String::from_utf8(script("b/0", &["</script><b>"])).expect("utf-8");
        assert_eq!(
            text,
            "LanternSearchData(\"b/0\", [\"\\u003c/script>\\u003cb>\"]);\n"
        );
    }
}
