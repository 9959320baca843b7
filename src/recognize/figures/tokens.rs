//! The figure recogniser's tokeniser: numbers, words and single punctuation characters, with
//! byte spans and whether whitespace (or a line break) separates a token from the one before.
//!
//! Invariants: tokens are in text order, never empty, never overlap, and their spans lie on
//! UTF-8 character boundaries. Numbers are ASCII digits with thousands groups (`1,709`) and one
//! decimal part (`9.6`); words are runs of letters (any script) with inner apostrophes
//! (`Trump's`); digits never belong to a word, so `Cloud9` is a word and an attached number.

use crate::recognize::chars::ASCII_ALPHA;

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokKind {
    Num,
    Word,
    Punct,
}

/// One token of a paragraph.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// Whitespace separates this token from the previous one.
    pub space_before: bool,
    /// That whitespace contains a line break.
    pub newline_before: bool,
}

/// A place where a figure may start, found while tokenising: the start of a digit run or of
/// an ASCII letter run that the caller's test accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trigger {
    /// Byte offset.
    pub at: usize,
    /// The token starting there; `None` for a letter run inside a word (`it's`: the `s`),
    /// which no grammar starts at but which still widens the context window (see
    /// `find_figures`).
    pub token: Option<usize>,
}

/// Byte classes of the tokeniser's dispatch (one table lookup per byte instead of a chain of
/// range tests).
const SPACE: u8 = 0;
const NEWLINE: u8 = 1;
const DIGIT: u8 = 2;
const LETTER: u8 = 3;
const PUNCT: u8 = 4;
const NON_ASCII: u8 = 5;

static CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c == b'\n' {
            NEWLINE
        } else if c.is_ascii_whitespace() {
            SPACE
        } else if c.is_ascii_digit() {
            DIGIT
        } else if c.is_ascii_alphabetic() {
            LETTER
        } else {
            PUNCT
        };
        b += 1;
    }
    t
};

/// Appends the tokens of `text` to `out` and, in the same pass, the figure triggers to
/// `triggers`: every number token that starts a run of digits, commas and full stops (in
/// `1,2` the `2` continues the run of `1`), and every run of ASCII letters `start..end` (at
/// a word's start or after an inner apostrophe) for which `is_trigger_word(start, end)`.
pub fn tokenize(
    text: &str,
    out: &mut Vec<Token>,
    triggers: &mut Vec<Trigger>,
    is_trigger_word: impl Fn(usize, usize) -> bool,
) {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut i = 0;
    let mut space = false;
    let mut newline = false;
    while i < len {
        let c = bytes[i];
        let start = i;
        let kind = match CLASS[usize::from(c)] {
            SPACE => {
                space = true;
                i += 1;
                continue;
            }
            NEWLINE => {
                space = true;
                newline = true;
                i += 1;
                continue;
            }
            DIGIT => {
                if starts_digit_run(bytes, i) {
                    triggers.push(Trigger {
                        at: i,
                        token: Some(out.len()),
                    });
                }
                i = number_end(bytes, i);
                TokKind::Num
            }
            // Words are scanned below.
            LETTER => TokKind::Word,
            // A decimal without its leading zero: `.265` (a batting average), `.45` calibre;
            // only after whitespace or an opening bracket, so "2011.5" and "No.5" stay apart.
            PUNCT => match (c == b'.').then(|| leading_decimal_end(bytes, i)).flatten() {
                Some(end) => {
                    triggers.push(Trigger {
                        at: i,
                        token: Some(out.len()),
                    });
                    i = end;
                    TokKind::Num
                }
                None => {
                    i += 1;
                    TokKind::Punct
                }
            },
            _ => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                if ch.is_whitespace() {
                    space = true;
                    i += ch.len_utf8();
                    continue;
                }
                if ch.is_alphabetic() {
                    TokKind::Word
                } else {
                    i += ch.len_utf8();
                    TokKind::Punct
                }
            }
        };
        if kind == TokKind::Word {
            let token = out.len();
            i = word_end(text, i, |run_start, run_end| {
                if is_trigger_word(run_start, run_end) {
                    triggers.push(Trigger {
                        at: run_start,
                        token: (run_start == start).then_some(token),
                    });
                }
            });
        }
        out.push(Token {
            start,
            end: i,
            kind,
            space_before: space,
            newline_before: newline,
        });
        // Most tokens are followed by a single space: no trip through the dispatch for it.
        space = bytes.get(i) == Some(&b' ');
        i += usize::from(space);
        newline = false;
    }
}

/// The end of a decimal written without its leading zero at `i` (`.265`): a full stop
/// after whitespace or an opening bracket, then digits, then no `.<digit>` (`.1.2`).
fn leading_decimal_end(bytes: &[u8], i: usize) -> Option<usize> {
    if i > 0 && !matches!(bytes[i - 1], b' ' | b'\n' | b'\t' | b'(' | b'[') {
        return None;
    }
    let digits = bytes
        .get(i + 1..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let end = i + 1 + digits;
    let more = bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
    (digits > 0 && !more).then_some(end)
}

/// Whether the digit at `i` starts a run of digits, commas and full stops (`1,2`, `3.4.5`:
/// only the first number does).
fn starts_digit_run(bytes: &[u8], i: usize) -> bool {
    let mut p = i;
    while p > 0 && matches!(bytes[p - 1], b',' | b'.') {
        p -= 1;
    }
    p == 0 || !bytes[p - 1].is_ascii_digit()
}

fn number_end(bytes: &[u8], mut i: usize) -> usize {
    let len = bytes.len();
    let mut seen_decimal = false;
    loop {
        while i < len && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if !seen_decimal && i < len && bytes[i] == b',' {
            let group = &bytes[i + 1..(i + 4).min(len)];
            let next_is_digit = bytes.get(i + 4).is_some_and(|b| b.is_ascii_digit());
            if group.len() == 3 && group.iter().all(u8::is_ascii_digit) && !next_is_digit {
                i += 4;
                continue;
            }
        }
        if !seen_decimal && i + 1 < len && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
            seen_decimal = true;
            i += 1;
            continue;
        }
        return i;
    }
}

/// The end of the word starting at `i`; `on_run(start, end)` sees each run of ASCII letters
/// in it.
fn word_end(text: &str, mut i: usize, mut on_run: impl FnMut(usize, usize)) -> usize {
    let bytes = text.as_bytes();
    let start = i;
    loop {
        let run_start = i;
        i = letters_end(bytes, i);
        if i > run_start {
            on_run(run_start, i);
        }
        let Some(&c) = bytes.get(i) else { break };
        if c == b'\'' && i > start && bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        if c >= 0x80 {
            let mut chars = text[i..].chars();
            let ch = chars.next().unwrap_or(' ');
            if ch.is_alphabetic() {
                i += ch.len_utf8();
                continue;
            }
            if ch == '’' && i > start && chars.next().is_some_and(|n| n.is_ascii_alphabetic()) {
                i += ch.len_utf8();
                continue;
            }
        }
        break;
    }
    i
}

/// The end of the run of ASCII letters that starts at `i` (eight bytes at a time, then byte
/// by byte).
pub fn letters_end(bytes: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*chunk);
        // Per byte: lower-cased and the high bit cleared (no carry into the next byte), then
        // adding 0x1f sets the high bit from 'a' (0x61) on, adding 0x05 from '{' (0x7b) on.
        let folded = (w | 0x2020_2020_2020_2020) & !HIGH;
        let letters = (folded + 0x1f1f_1f1f_1f1f_1f1f) & !(folded + 0x0505_0505_0505_0505) & !w & HIGH;
        let others = !letters & HIGH;
        if others != 0 {
            return i + (others.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && ASCII_ALPHA[usize::from(bytes[i])] {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(&str, TokKind, bool)> {
        let mut out = Vec::new();
        tokenize(text, &mut out, &mut Vec::new(), |_, _| false);
        out.iter()
            .map(|t| (&text[t.start..t.end], t.kind, t.space_before))
            .collect()
    }

    #[test]
    fn numbers_words_punct() {
        use TokKind::*;
        assert_eq!(
            toks("$1.3 billion, 1,709 kids; Cloud9"),
            vec![
                ("$", Punct, false),
                ("1.3", Num, false),
                ("billion", Word, true),
                (",", Punct, false),
                ("1,709", Num, true),
                ("kids", Word, true),
                (";", Punct, false),
                ("Cloud", Word, true),
                ("9", Num, false),
            ]
        );
    }

    #[test]
    fn letter_runs_end_where_the_byte_table_says() {
        // The seed articles, and the bytes next to the letters in ASCII ('@', '[', '`', '{').
        let texts = [
            include_str!("../../../seeds/000_b048b9770dc2da2d.txt"),
            include_str!("../../../seeds/004_12b826b37803d7ae.txt"),
            "The U.S. Treasury's `auction` [sic] {of} @bonds~zz_ Café’s d'Or",
        ];
        for text in texts {
            let bytes = text.as_bytes();
            for start in 0..bytes.len() {
                let mut want = start;
                while want < bytes.len() && bytes[want].is_ascii_alphabetic() {
                    want += 1;
                }
                assert_eq!(letters_end(bytes, start), want, "from {start}");
            }
        }
    }

    #[test]
    fn unicode_and_apostrophes() {
        use TokKind::*;
        assert_eq!(
            toks("Café’s 2023. “Trump's” 1,2"),
            vec![
                ("Café’s", Word, false),
                ("2023", Num, true),
                (".", Punct, false),
                ("“", Punct, true),
                ("Trump's", Word, false),
                ("”", Punct, false),
                ("1", Num, true),
                (",", Punct, false),
                ("2", Num, false),
            ]
        );
    }
}
