//! Characters that show nothing: zero-width spaces and joiners, bidirectional controls (which
//! can reverse how the text around them reads: U+202E then "moc.live" shows as "evil.com"), fillers
//! that render blank. Names drop them; a comment made of nothing else is empty.

/// Bidirectional formatting controls (embeddings, overrides, isolates, marks).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters with no visible glyph (whitespace aside).
pub fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{200B}'..='\u{200D}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FEFF}'
                | '\u{180E}'
                | '\u{00AD}'
                | '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{3164}'
                | '\u{FFA0}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// `s` without bidirectional controls.
pub fn strip_bidi(s: &str) -> String {
    s.chars().filter(|c| !is_bidi_control(*c)).collect()
}

/// `s` without any invisible character.
pub fn strip_invisible(s: &str) -> String {
    s.chars().filter(|c| !is_invisible(*c)).collect()
}

/// Whether `s` has at least one character a reader can see.
pub fn has_visible(s: &str) -> bool {
    s.chars()
        .any(|c| !c.is_whitespace() && !c.is_control() && !is_invisible(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_text_is_found_and_removed() {
        assert!(!has_visible(
            "\u{200B}\u{200C}\u{200D}\u{FEFF} \u{3000}\u{202E}"
        ));
        assert!(!has_visible("\u{3164}\u{115F}"));
        assert!(has_visible("\u{200B}好"));
        assert_eq!(strip_bidi("\u{202E}moc.live"), "moc.live");
        assert_eq!(strip_invisible("李\u{200B}雷"), "李雷");
    }
}
