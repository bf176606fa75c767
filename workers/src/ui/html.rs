//! Telegram's HTML parse mode: escaping user data and splitting long texts.

/// Longest text Telegram accepts in one message.
pub const TEXT_LIMIT: usize = 4096;
/// Longest photo caption.
pub const CAPTION_LIMIT: usize = 1024;

/// Escape text from users or admins (names, product contents) for HTML parse mode.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// A value from outside (an order id from a webhook, a customer's name) for a staff message:
/// cut to `max` characters (with "…") and escaped.
pub fn outside(text: &str, max: usize) -> String {
    escape(&cut(text, max))
}

/// `text` cut to at most `max` characters, the last of them "…" when it was longer.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// Split an HTML text into pieces of at most `limit` characters, at line breaks where
/// possible. Tags open at a cut are closed at the end of one piece and opened again at the
/// start of the next, so every piece is valid on its own.
pub fn split(html: &str, limit: usize) -> Vec<String> {
    if html.chars().count() <= limit {
        return vec![html.to_owned()];
    }
    let mut pieces = Vec::new();
    let mut open: Vec<Tag> = Vec::new();
    let mut current = String::new();
    let mut current_len = 0;
    for token in tokens(html) {
        let token_len = token.text.chars().count();
        let closing_len: usize = open.iter().map(|t| t.name.len() + 3).sum();
        if current_len + token_len + closing_len > limit && current_len > 0 {
            for tag in open.iter().rev() {
                current.push_str(&format!("</{}>", tag.name));
            }
            pieces.push(std::mem::take(&mut current));
            current_len = 0;
            for tag in &open {
                current.push_str(&tag.opening);
                current_len += tag.opening.chars().count();
            }
        }
        match &token.kind {
            Kind::Open(tag) => open.push(tag.clone()),
            Kind::Close(name) => {
                if let Some(at) = open.iter().rposition(|t| &t.name == name) {
                    open.remove(at);
                }
            }
            Kind::Text => {}
        }
        current.push_str(token.text);
        current_len += token_len;
    }
    if !current.trim().is_empty() {
        pieces.push(current);
    }
    pieces
}

/// The tags Telegram's HTML parse mode knows.
const TAGS: [&str; 15] = [
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
];

/// Whether admin-written HTML (a template, a broadcast) is something Telegram will accept:
/// known tags, each closed in order, and `&` only in an entity. The reason when not, so the
/// admin can fix it before anything is sent.
pub fn check(html: &str) -> Result<(), String> {
    let mut open: Vec<String> = Vec::new();
    for token in tokens(html) {
        match token.kind {
            Kind::Open(tag) => {
                if !TAGS.contains(&tag.name.as_str()) {
                    return Err(format!(
                        "<{}> is not a tag Telegram knows (write &lt; for a plain <)",
                        tag.name
                    ));
                }
                open.push(tag.name);
            }
            Kind::Close(name) => match open.pop() {
                Some(last) if last == name => {}
                Some(last) => return Err(format!("</{name}> closes <{last}>")),
                None => return Err(format!("</{name}> closes nothing")),
            },
            Kind::Text => {
                if token.text.contains('<') || token.text.contains('>') {
                    return Err("a lone < or > (write &lt; or &gt;)".to_owned());
                }
                let mut rest = token.text;
                while let Some(amp) = rest.find('&') {
                    let after = &rest[amp + 1..];
                    let entity = after.split(';').next().unwrap_or("");
                    let known = matches!(entity, "lt" | "gt" | "amp" | "quot")
                        || entity.strip_prefix('#').is_some_and(|n| {
                            !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
                        });
                    if !known || !after.contains(';') {
                        return Err("a lone & (write &amp;)".to_owned());
                    }
                    rest = &after[entity.len() + 1..];
                }
            }
        }
    }
    match open.pop() {
        Some(name) => Err(format!("<{name}> is never closed")),
        None => Ok(()),
    }
}

#[derive(Debug, Clone)]
struct Tag {
    name: String,
    opening: String,
}

enum Kind {
    Open(Tag),
    Close(String),
    Text,
}

struct Token<'a> {
    text: &'a str,
    kind: Kind,
}

/// Tags, and text cut after each line break or, in long lines, every 200 characters at a
/// character boundary that is not inside an entity.
fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with('<')
            && let Some(end) = rest.find('>')
        {
            let text = &rest[..=end];
            let inner = &text[1..text.len() - 1];
            let kind = if let Some(name) = inner.strip_prefix('/') {
                Kind::Close(name.trim().to_owned())
            } else {
                let name = inner.split_whitespace().next().unwrap_or("").to_owned();
                Kind::Open(Tag {
                    name,
                    opening: text.to_owned(),
                })
            };
            tokens.push(Token { text, kind });
            rest = &rest[end + 1..];
            continue;
        }
        let stop = rest.find('<').unwrap_or(rest.len());
        let stop = if stop == 0 { rest.len() } else { stop };
        let segment = &rest[..stop];
        let cut = segment
            .find('\n')
            .map(|i| i + 1)
            .unwrap_or(segment.len())
            .min(safe_cut(segment, 200));
        tokens.push(Token {
            text: &segment[..cut],
            kind: Kind::Text,
        });
        rest = &rest[cut..];
    }
    tokens
}

/// A byte index at or before `chars` characters, at a char boundary and not inside `&...;`.
fn safe_cut(text: &str, chars: usize) -> usize {
    let mut cut = text
        .char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    if let Some(amp) = text[..cut].rfind('&')
        && !text[amp..cut].contains(';')
        && amp > 0
    {
        cut = amp;
    }
    cut.max(text.chars().next().map(char::len_utf8).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_values_are_cut_and_escaped() {
        assert_eq!(outside("<b>", 10), "&lt;b&gt;");
        let long = "x".repeat(5000);
        let cut = outside(&long, 64);
        assert_eq!(cut.chars().count(), 64);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn escapes_html_special_characters() {
        assert_eq!(escape("<b>A & B</b>"), "&lt;b&gt;A &amp; B&lt;/b&gt;");
    }

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(split("<b>hi</b>", 4096), vec!["<b>hi</b>"]);
    }

    #[test]
    fn long_text_splits_at_lines_and_keeps_tags_balanced() {
        let line = format!("<pre>{}</pre>\n", "x".repeat(90));
        let body: String = std::iter::repeat_n(line.as_str(), 100).collect();
        let html = format!("<b>Order</b>\n{body}");
        let pieces = split(&html, 1000);
        assert!(pieces.len() > 9);
        for piece in &pieces {
            assert!(
                piece.chars().count() <= 1000,
                "{} chars",
                piece.chars().count()
            );
            assert_eq!(
                piece.matches("<pre>").count(),
                piece.matches("</pre>").count(),
                "{piece}"
            );
        }
        let joined: String = pieces.concat();
        assert_eq!(joined.matches('x').count(), 9000, "nothing lost");
    }

    #[test]
    fn a_tag_spanning_the_cut_is_closed_and_reopened() {
        let html = format!("<pre>{}</pre>", "line\n".repeat(500));
        let pieces = split(&html, 1000);
        assert!(pieces.len() >= 3);
        for piece in &pieces {
            assert!(piece.starts_with("<pre>"), "{piece}");
            assert!(piece.ends_with("</pre>"), "{piece}");
        }
    }

    #[test]
    fn admin_html_is_checked_before_it_is_sent() {
        assert_eq!(
            check("<b>Hai {name}</b> &amp; <a href=\"https://x\">x</a>"),
            Ok(())
        );
        assert_eq!(
            check("plain & simple"),
            Err("a lone & (write &amp;)".to_owned())
        );
        assert_eq!(check("<b>open"), Err("<b> is never closed".to_owned()));
        assert_eq!(check("<b><i>x</b></i>"), Err("</b> closes <i>".to_owned()));
        assert!(check("<script>x</script>").is_err());
        assert!(check("1 < 2").is_err());
        assert_eq!(check("&#128512; &lt;3"), Ok(()));
    }

    #[test]
    fn entities_are_never_cut() {
        let html = "&amp;".repeat(1000);
        for piece in split(&html, 4096) {
            assert!(piece.ends_with(';'));
        }
    }
}
