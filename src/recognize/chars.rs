//! Byte-class tables for the hot scanning loops of recognition (a table lookup is cheaper
//! than several range tests per byte). ASCII only: callers decode non-ASCII characters.

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

#[cfg(test)]
mod tests {
    use super::*;

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
