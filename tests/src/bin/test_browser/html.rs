//! Just enough HTML for oidc-provider's devInteractions pages: the first form, its fields, tags
//! and attributes, and a page's visible text for error messages.

/// A form found in a page: its action and its named inputs that carry a value.
pub struct Form {
    pub action: Option<String>,
    pub fields: Vec<(String, String)>,
}

impl Form {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The opening tags `<name ...>` in `html` (attribute values never contain `>`: they are escaped).
pub fn tags<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    html.match_indices('<').filter_map(move |(i, _)| {
        let rest = html[i + 1..].strip_prefix(name)?;
        let next = rest.chars().next()?;
        if !next.is_ascii_whitespace() && next != '>' {
            return None;
        }
        rest.find('>').map(|end| &rest[..end])
    })
}

/// The value of attribute `name="..."` in an opening tag, HTML-unescaped.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let mut from = 0;
    while let Some(pos) = tag[from..].find(&needle) {
        let start = from + pos;
        let boundary = tag[..start]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_ascii_whitespace());
        let value_start = start + needle.len();
        if boundary {
            let end = tag[value_start..].find('"')? + value_start;
            return Some(unescape(&tag[value_start..end]));
        }
        from = value_start;
    }
    None
}

pub fn first_form(html: &str) -> Option<Form> {
    let start = html.find("<form")?;
    let end = html[start..]
        .find("</form>")
        .map_or(html.len(), |e| start + e);
    let section = &html[start..end];
    let action = tags(section, "form")
        .next()
        .and_then(|tag| attr(tag, "action"));
    let fields = tags(section, "input")
        .filter_map(|tag| Some((attr(tag, "name")?, attr(tag, "value")?)))
        .collect();
    Some(Form { action, fields })
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A page's visible text, shortened, for error messages.
pub fn summary(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let after = &rest[open..];
        let skip_to = ["<style", "<script", "<title"]
            .iter()
            .find(|p| after.starts_with(**p))
            .and_then(|p| after.find(&format!("</{}>", &p[1..])));
        let from = skip_to.unwrap_or(0);
        rest = after[from..]
            .find('>')
            .map_or("", |close| &after[from + close + 1..]);
    }
    text.push_str(rest);
    let text = unescape(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    if text.chars().count() > 300 {
        format!("{}…", text.chars().take(300).collect::<String>())
    } else {
        text
    }
}
