//! Markdown-lite for comments: paragraphs (a blank line between), lists (`- `, `* ` or
//! `1. ` at a line's start), `*emphasis*` or `_emphasis_`, `**strong**`, `` `code` `` and
//! `[links](https://…)` to `http` and `https` addresses only. Nothing else: no raw HTML, no
//! images, no headings.
//!
//! Every character of the text is escaped first; the markup is then recognised on the
//! escaped text, whose `<`, `>`, `&`, `"` and `'` are entities already, so no input can open
//! a tag or leave an attribute. A link's address, escaped too, is kept only when it starts
//! with `http://` or `https://` and has no space, so `javascript:` and `data:` stay text.

use crate::chart::escape;

/// The comment's text as safe HTML.
pub fn render(text: &str) -> String {
    let mut out = String::new();
    let mut para: Vec<String> = Vec::new();
    let mut list: Option<(&'static str, Vec<String>)> = None;
    fn flush_para(out: &mut String, para: &mut Vec<String>) {
        if !para.is_empty() {
            out.push_str("<p>");
            out.push_str(&para.join("<br>"));
            out.push_str("</p>");
            para.clear();
        }
    }
    fn flush_list(out: &mut String, list: &mut Option<(&'static str, Vec<String>)>) {
        if let Some((tag, items)) = list.take() {
            out.push_str(&format!("<{tag}>"));
            for i in items {
                out.push_str(&format!("<li>{i}</li>"));
            }
            out.push_str(&format!("</{tag}>"));
        }
    }
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush_para(&mut out, &mut para);
            flush_list(&mut out, &mut list);
            continue;
        }
        if let Some((tag, item)) = list_item(trimmed) {
            flush_para(&mut out, &mut para);
            if list.as_ref().is_some_and(|(t, _)| *t != tag) {
                flush_list(&mut out, &mut list);
            }
            list.get_or_insert((tag, Vec::new()))
                .1
                .push(inline(&escape(item)));
        } else {
            flush_list(&mut out, &mut list);
            para.push(inline(&escape(trimmed)));
        }
    }
    flush_para(&mut out, &mut para);
    flush_list(&mut out, &mut list);
    out
}

/// A list item's tag and text, if the line is one.
fn list_item(line: &str) -> Option<(&'static str, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some(("ul", rest.trim()));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits)
        && let Some(rest) = line[digits..].strip_prefix(". ")
    {
        return Some(("ol", rest.trim()));
    }
    None
}

/// Code spans, then links, strong and emphasis, on escaped text.
fn inline(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::new();
    // An odd number of parts: every backtick is paired. Otherwise the last one is text.
    let paired = if parts.len() % 2 == 1 {
        parts.len()
    } else {
        parts.len() - 1
    };
    for (i, p) in parts.iter().enumerate() {
        if i >= paired {
            out.push('`');
            out.push_str(&links(p));
        } else if i % 2 == 1 && !p.is_empty() {
            out.push_str("<code>");
            out.push_str(p);
            out.push_str("</code>");
        } else if i % 2 == 1 {
            out.push_str("``");
        } else {
            out.push_str(&links(p));
        }
    }
    out
}

/// `[text](http…)` links; anything else stays text.
fn links(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else {
            break;
        };
        let Some(end) = after[close + 2..].find(')') else {
            break;
        };
        let text = &after[..close];
        let url = &after[close + 2..close + 2 + end];
        let ok = (url.starts_with("http://") || url.starts_with("https://"))
            && url.len() > "https://".len()
            && !url.chars().any(char::is_whitespace)
            && !text.is_empty()
            && !text.contains('[');
        if ok {
            out.push_str(&emphasis(&rest[..open]));
            out.push_str(&format!(
                "<a href=\"{url}\" rel=\"nofollow noopener noreferrer ugc\">{}</a>",
                emphasis(text)
            ));
            rest = &after[close + 2 + end + 1..];
        } else {
            out.push_str(&emphasis(&rest[..open + 1]));
            rest = after;
        }
    }
    out.push_str(&emphasis(rest));
    out
}

/// `**strong**`, then `*em*` and `_em_`.
fn emphasis(s: &str) -> String {
    let s = pairs(s, "**", "strong");
    let s = pairs(&s, "*", "em");
    pairs(&s, "_", "em")
}

/// Wraps text between two `delim`s in `tag`, when the text does not start or end with a
/// space; an underscore only pairs outside words (`snake_case` stays).
fn pairs(s: &str, delim: &str, tag: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    while let Some(open) = rest.find(delim) {
        let inner_start = open + delim.len();
        let Some(len) = rest[inner_start..].find(delim) else {
            break;
        };
        let inner = &rest[inner_start..inner_start + len];
        let after = &rest[inner_start + len + delim.len()..];
        let before = rest[..open].chars().last();
        let ok = !inner.is_empty()
            && !inner.starts_with(char::is_whitespace)
            && !inner.ends_with(char::is_whitespace)
            && (delim != "_" || (!word(before) && !word(after.chars().next())));
        if ok {
            out.push_str(&rest[..open]);
            out.push_str(&format!("<{tag}>{inner}</{tag}>"));
            rest = after;
        } else {
            out.push_str(&rest[..inner_start]);
            rest = &rest[inner_start..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn the_markup_it_knows() {
        assert_eq!(render("Nice *easy* run"), "<p>Nice <em>easy</em> run</p>");
        assert_eq!(
            render("**Rest** `2 days`"),
            "<p><strong>Rest</strong> <code>2 days</code></p>"
        );
        assert_eq!(render("a\nb\n\nc"), "<p>a<br>b</p><p>c</p>");
        assert_eq!(
            render("Plan:\n- calf raises\n- walk\n\n1. one\n2. two"),
            "<p>Plan:</p><ul><li>calf raises</li><li>walk</li></ul><ol><li>one</li><li>two</li></ol>"
        );
        assert_eq!(
            render("see [the study](https://example.org/a?b=1&c=2)"),
            "<p>see <a href=\"https://example.org/a?b=1&amp;c=2\" \
             rel=\"nofollow noopener noreferrer ugc\">the study</a></p>"
        );
        assert_eq!(render("snake_case_name"), "<p>snake_case_name</p>");
        assert_eq!(
            render("_so_ `*not*`"),
            "<p><em>so</em> <code>*not*</code></p>"
        );
    }

    #[test]
    fn nothing_a_comment_says_becomes_markup_it_did_not_ask_for() {
        for hostile in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x](https://a.example/\" onmouseover=\"alert(1))",
            "`<b>`",
            "**<i>x</i>**",
            "[<svg onload=alert(1)>](https://a.example)",
        ] {
            let html = render(hostile);
            assert!(!html.contains("<script"), "{html}");
            assert!(!html.contains("<img"), "{html}");
            assert!(!html.contains("<svg"), "{html}");
            assert!(!html.contains("<b>") && !html.contains("<i>"), "{html}");
            assert!(!html.contains("href=\"javascript"), "{html}");
            assert!(!html.contains("href=\"data"), "{html}");
            assert!(!html.contains("\" onmouseover"), "{html}");
        }
        assert_eq!(
            render("[x](javascript:alert(1))"),
            "<p>[x](javascript:alert(1))</p>"
        );
        assert_eq!(
            render("<script>alert('x')</script>"),
            "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>"
        );
    }
}
