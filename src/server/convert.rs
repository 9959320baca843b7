//! The one place converting between byte offsets (what the recogniser and the corpus speak) and
//! LSP positions (line + column in the negotiated encoding: UTF-8 bytes or UTF-16 code units):
//! from a rope (open documents), a text (a forward [`Cursor`]), or the index alone (mentions of
//! articles that are not open: [`indexed_range`], from the article's line table and UTF-16 lags).
//!
//! Invariants: every function here is total. Positions past the end of a line clamp to the end of
//! that line (before its terminator), lines past the end of the document clamp to its end, and a
//! column that falls inside a character snaps back to that character's start. Byte offsets
//! returned are always on character boundaries. Line breaks are `\n`, `\r\n` and `\r`, as in
//! LSP (ropey is built with `cr_lines` only, so it agrees).

use std::ops::Range;

use ropey::Rope;

use crate::corpus::{ArticleMention, LAG_UNKNOWN, LineTable};
use tower_lsp_server::lsp_types::{ClientCapabilities, Position, PositionEncodingKind};

/// The negotiated position encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 if the client offers it, else UTF-16 (the LSP default, always supported).
    pub fn negotiate(caps: &ClientCapabilities) -> Encoding {
        let offered = caps.general.as_ref().and_then(|g| g.position_encodings.as_ref());
        match offered {
            Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// Length of `s` in this encoding's units.
    pub fn len(self, s: &str) -> u32 {
        let n = match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => {
                if s.is_ascii() {
                    s.len()
                } else {
                    s.chars().map(char::len_utf16).sum()
                }
            }
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// The byte offset of `pos` in `rope`, clamped as described in the module comment.
pub fn offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let n_lines = rope.len_lines();
    let line_idx = pos.line as usize;
    if line_idx >= n_lines {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line_idx);
    let line_end = line_content_end(rope, line_idx);
    let line = rope.byte_slice(line_start..line_end);
    let col = pos.character as usize;
    match enc {
        Encoding::Utf8 => {
            let mut at = line_start + col.min(line_end - line_start);
            while at > line_start && !is_char_boundary(rope, at) {
                at -= 1;
            }
            at
        }
        Encoding::Utf16 => {
            let mut units = 0usize;
            let mut bytes = 0usize;
            for ch in line.chars() {
                let next = units + ch.len_utf16();
                if next > col {
                    break;
                }
                units = next;
                bytes += ch.len_utf8();
            }
            line_start + bytes
        }
    }
}

/// The LSP position of byte offset `byte` (clamped to the document, snapped to a char boundary).
pub fn position(rope: &Rope, byte: usize, enc: Encoding) -> Position {
    let mut byte = byte.min(rope.len_bytes());
    while byte > 0 && !is_char_boundary(rope, byte) {
        byte -= 1;
    }
    let line_idx = rope.byte_to_line(byte);
    let line_start = rope.line_to_byte(line_idx);
    let character = match enc {
        Encoding::Utf8 => byte - line_start,
        Encoding::Utf16 => {
            let c0 = rope.byte_to_char(line_start);
            let c1 = rope.byte_to_char(byte);
            rope.char_to_utf16_cu(c1) - rope.char_to_utf16_cu(c0)
        }
    };
    Position::new(to_u32(line_idx), to_u32(character))
}

/// An LSP range for a byte range.
pub fn range(rope: &Rope, bytes: Range<usize>, enc: Encoding) -> tower_lsp_server::lsp_types::Range {
    tower_lsp_server::lsp_types::Range::new(position(rope, bytes.start, enc), position(rope, bytes.end, enc))
}

/// A byte range for an LSP range; a reversed range is put in order.
pub fn byte_range(rope: &Rope, range: tower_lsp_server::lsp_types::Range, enc: Encoding) -> Range<usize> {
    let a = offset(rope, range.start, enc);
    let b = offset(rope, range.end, enc);
    a.min(b)..a.max(b)
}

/// Byte offset of the end of line `line_idx`'s content (before `\n`, `\r\n` or `\r`).
fn line_content_end(rope: &Rope, line_idx: usize) -> usize {
    let end = if line_idx + 1 < rope.len_lines() {
        rope.line_to_byte(line_idx + 1)
    } else {
        rope.len_bytes()
    };
    let start = rope.line_to_byte(line_idx);
    let mut e = end;
    if e > start && rope.byte(e - 1) == b'\n' {
        e -= 1;
    }
    if e > start && rope.byte(e - 1) == b'\r' {
        e -= 1;
    }
    e
}

fn is_char_boundary(rope: &Rope, byte: usize) -> bool {
    byte >= rope.len_bytes() || (rope.byte(byte) & 0xC0) != 0x80
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The LSP range of a mention of an indexed article, without its text: the line table gives the
/// line and the byte column, the mention's UTF-16 lags turn that into UTF-16 code units. `None`
/// when the text is needed (UTF-16 and a lag too large to store; the caller reads the file).
pub fn indexed_range(
    lines: &LineTable,
    m: &ArticleMention,
    enc: Encoding,
) -> Option<tower_lsp_server::lsp_types::Range> {
    let pos = |byte: u32, lag: u8| -> Option<Position> {
        let (line, start) = lines.locate(byte);
        let col = byte.saturating_sub(start);
        let col = match enc {
            Encoding::Utf8 => col,
            Encoding::Utf16 if lag == LAG_UNKNOWN => return None,
            Encoding::Utf16 => col.checked_sub(u32::from(lag))?,
        };
        Some(Position::new(line, col))
    };
    Some(tower_lsp_server::lsp_types::Range::new(
        pos(m.span.start, m.utf16_lag[0])?,
        pos(m.span.end, m.utf16_lag[1])?,
    ))
}

/// A forward-only cursor turning increasing byte offsets of one text into positions in linear
/// time overall (semantic tokens of a large document, many locations in one file).
pub struct Cursor<'a> {
    text: &'a str,
    enc: Encoding,
    byte: usize,
    line: u32,
    col: u32,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str, enc: Encoding) -> Cursor<'a> {
        Cursor {
            text,
            enc,
            byte: 0,
            line: 0,
            col: 0,
        }
    }

    /// The position of `byte`; offsets before the previous one restart from the top.
    /// A `\r` followed by `\n` is not a break by itself (the pair is one), as in ropey.
    pub fn position(&mut self, byte: usize) -> Position {
        let mut byte = byte.min(self.text.len());
        while byte > 0 && !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        if byte < self.byte {
            *self = Cursor::new(self.text, self.enc);
        }
        let all = self.text.as_bytes();
        let mut seg_start = self.byte;
        for i in self.byte..byte {
            let is_break = match all[i] {
                b'\n' => true,
                b'\r' => all.get(i + 1) != Some(&b'\n'),
                _ => false,
            };
            if is_break {
                self.line += 1;
                self.col = 0;
                seg_start = i + 1;
            }
        }
        self.col += self.enc.len(&self.text[seg_start..byte]);
        self.byte = byte;
        Position::new(self.line, self.col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn utf16_and_utf8_columns_of_multibyte_text() {
        let text = "é “Busan” 부산 😀 Polestar\nnext";
        let rope = Rope::from_str(text);
        let at = text.find("Polestar").unwrap();
        // é(1) sp “(1) Busan(5) ”(1) sp 부산(2) sp 😀(2) sp = 16 UTF-16 units.
        assert_eq!(position(&rope, at, Encoding::Utf16), pos(0, 16));
        assert_eq!(position(&rope, at, Encoding::Utf8), pos(0, at as u32));
        assert_eq!(offset(&rope, pos(0, 16), Encoding::Utf16), at);
        assert_eq!(offset(&rope, pos(0, at as u32), Encoding::Utf8), at);
        // Inside the emoji's surrogate pair / inside a UTF-8 sequence: snap to the char start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(offset(&rope, pos(0, 15), Encoding::Utf16), emoji + 4);
        assert_eq!(offset(&rope, pos(0, 14), Encoding::Utf16), emoji);
        assert_eq!(offset(&rope, pos(0, emoji as u32 + 2), Encoding::Utf8), emoji);
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\r\ncd\rxy\n";
        let rope = Rope::from_str(text);
        assert_eq!(offset(&rope, pos(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset(&rope, pos(1, 99), Encoding::Utf16), 6);
        assert_eq!(offset(&rope, pos(2, 1), Encoding::Utf8), 8);
        assert_eq!(offset(&rope, pos(3, 5), Encoding::Utf8), text.len());
        assert_eq!(offset(&rope, pos(40, 5), Encoding::Utf8), text.len());
        assert_eq!(position(&rope, 999, Encoding::Utf16), pos(3, 0));
        assert_eq!(position(&rope, 7, Encoding::Utf16), pos(2, 0));
    }

    #[test]
    fn indexed_ranges_equal_ranges_computed_from_the_text() {
        let wide = "부".repeat(130);
        let text = format!(
            "Tïtle “Busan”\r\n\r\nRenault Korea Motors (RKM) 😀 in Seoul\rBusan 부산 Polestar\n{wide} Busan\nlast Busan"
        );
        let entities = crate::recognize::recognizer().annotate(&text);
        let article = crate::corpus::analyze_entities("a.txt".into(), &text, &entities, 0, None);
        let rope = Rope::from_str(&text);
        assert!(article.mentions.len() >= 6, "{:?}", article.mentions);
        let mut unknown = 0;
        for im in &article.mentions {
            let m = ArticleMention {
                span: im.span.clone(),
                entity: crate::corpus::EntityId(0),
                alias: false,
                declaration: false,
                utf16_lag: im.utf16_lag,
            };
            let bytes = m.span.start as usize..m.span.end as usize;
            assert_eq!(
                indexed_range(&article.lines, &m, Encoding::Utf8),
                Some(range(&rope, bytes.clone(), Encoding::Utf8))
            );
            match indexed_range(&article.lines, &m, Encoding::Utf16) {
                Some(r) => assert_eq!(r, range(&rope, bytes, Encoding::Utf16), "{m:?}"),
                None => unknown += 1,
            }
        }
        // Only the mention after 130 Hangul syllables (lag 260) needs the text.
        assert_eq!(unknown, 1);
    }

    #[test]
    fn cursor_agrees_with_rope_conversion() {
        let text = "Tïtle “x”\r\n\r\nBusan 부산\rRKM 😀 end\nlast";
        let rope = Rope::from_str(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let mut cursor = Cursor::new(text, enc);
            for (b, _) in text.char_indices().chain([(text.len(), ' ')]) {
                assert_eq!(cursor.position(b), position(&rope, b, enc), "byte {b} {enc:?}");
            }
            // Going backwards restarts.
            assert_eq!(cursor.position(3), position(&rope, 3, enc));
        }
    }
}
