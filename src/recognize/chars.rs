//! Byte-class tables for the hot scanning loops of recognition (a table lookup is cheaper
//! than several range tests per byte), the scan of ASCII alphanumeric runs eight bytes at a
//! time ([`alnum_end`]) and the character reader ([`char_at`]) that the tokenisers share.

/// ASCII letters.
pub static ASCII_ALPHA: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphabetic();
        b += 1;
    }
    t
};

const fn table(word_hyphen: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || (word_hyphen && c == b'-');
        b += 1;
    }
    t
}

/// ASCII letters and digits.
pub static ASCII_ALNUM: [bool; 256] = table(false);

/// ASCII letters, digits and the hyphen: the characters inside a word for propagation.
pub static ASCII_WORD: [bool; 256] = table(true);

/// Bytes that may start a capitalised word: an ASCII capital or any non-ASCII byte (a
/// character to decode).
pub static CAPITAL_OR_NON_ASCII: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = b >= 0x80 || (b as u8).is_ascii_uppercase();
        b += 1;
    }
    t
};

/// The character at byte `i` of `s` and its length, ASCII without decoding; `None` past the
/// end or off a character boundary.
#[inline]
pub fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let c = s.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// The end of the run of ASCII letters and digits that starts at `i` (`i` itself when
/// `bytes[i]` is none): eight bytes at a time, then byte by byte. The same as stepping while
/// [`ASCII_ALNUM`] says yes, for a fraction of the instructions on words of a few letters.
pub fn alnum_end(bytes: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*chunk);
        // Per byte, the high bit cleared (no carry into the next byte): lower-cased, adding
        // 0x1f sets the high bit from 'a' (0x61) on, adding 0x05 from '{' (0x7b) on; as it
        // stands, adding 0x50 sets it from '0' (0x30) on, adding 0x46 from ':' (0x3a) on.
        let low = w & !HIGH;
        let folded = low | 0x2020_2020_2020_2020;
        let letters = (folded + 0x1f1f_1f1f_1f1f_1f1f) & !(folded + 0x0505_0505_0505_0505);
        let digits = (low + 0x5050_5050_5050_5050) & !(low + 0x4646_4646_4646_4646);
        let others = !((letters | digits) & !w) & HIGH;
        if others != 0 {
            return i + (others.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && ASCII_ALNUM[usize::from(bytes[i])] {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alnum_runs_end_where_the_byte_table_says() {
        // Every byte value inside and after a run, at every alignment, and a seed article.
        let mut texts: Vec<Vec<u8>> = (0..=255u8)
            .map(|b| [b"ab09Zz".as_slice(), &[b], b"x9y8z7w6v5u4"].concat())
            .collect();
        texts.push(include_bytes!("../../seeds/000_b048b9770dc2da2d.txt").to_vec());
        texts.push("Café’s d'Or 1,709 U.S. `x` [y] {z} @/:".as_bytes().to_vec());
        for bytes in &texts {
            for start in 0..=bytes.len() {
                let mut want = start;
                while want < bytes.len() && bytes[want].is_ascii_alphanumeric() {
                    want += 1;
                }
                assert_eq!(alnum_end(bytes, start), want, "from {start} in {bytes:?}");
            }
        }
    }

    #[test]
    fn tables_agree_with_std() {
        for b in 0..=255u8 {
            assert_eq!(ASCII_ALNUM[usize::from(b)], b.is_ascii_alphanumeric());
            assert_eq!(ASCII_ALPHA[usize::from(b)], b.is_ascii_alphabetic());
            assert_eq!(ASCII_WORD[usize::from(b)], b.is_ascii_alphanumeric() || b == b'-');
            assert_eq!(
                CAPITAL_OR_NON_ASCII[usize::from(b)],
                b >= 0x80 || b.is_ascii_uppercase()
            );
        }
    }
}
