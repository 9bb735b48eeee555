//! The reference keys of the rule and data files as people read them: first author, year and
//! journal (`data/references.toml`). A key that is a section of the knowledge base (`§1.14`) is
//! an internal pointer for reviewers and is never shown to users.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The citation table compiled into the binary.
pub const BUILTIN_REFERENCES: &str = include_str!("../data/references.toml");

fn table() -> &'static BTreeMap<String, String> {
    static T: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    T.get_or_init(|| toml::from_str(BUILTIN_REFERENCES).expect("references.toml is valid (tested)"))
}

/// The citation of a reference key ("Alfredson 1998, Am J Sports Med"); `None` for a knowledge
/// base section or an unknown key.
pub fn cite(key: &str) -> Option<&'static str> {
    table().get(key).map(String::as_str)
}

/// The citations of several keys, joined with "; " (sections and unknown keys left out, each
/// citation once).
pub fn cite_all<S: AsRef<str>>(keys: &[S]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for k in keys {
        if let Some(c) = cite(k.as_ref())
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    out.join("; ")
}

/// Text of the rule and data files as people read it: a reference key it names ("see
/// Impellizzeri20", "(Lolli19; Impellizzeri20)") becomes its citation. Only words with a digit
/// are looked up, so an ordinary word is never taken for a key.
pub fn in_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let key = word.chars().any(|c| c.is_ascii_digit());
        match cite(word).filter(|_| key) {
            Some(c) => out.push_str(c),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_text_become_citations_and_other_words_stay() {
        // The citations are data/references.toml's, from knowledge/clinical.md §6.
        assert_eq!(
            in_words("contested (Lolli19; Impellizzeri20), bands (Gabbett16) of 1.5"),
            "contested (Lolli 2019, Br J Sports Med; Impellizzeri 2020, Int J Sports Physiol \
             Perform), bands (Gabbett 2016, Br J Sports Med) of 1.5"
        );
        // A word without a digit is never a key, even one in the table ("Seeds").
        assert_eq!(in_words("Seeds and ACSM"), "Seeds and ACSM");
    }

    #[test]
    fn citations_leave_out_sections_and_repeats() {
        // The citation comes from knowledge/clinical.md §6 ("Alfredson98: Am J Sports Med 1998").
        assert_eq!(cite("Alfredson98"), Some("Alfredson 1998, Am J Sports Med"));
        assert_eq!(cite("§1.14"), None);
        assert_eq!(
            cite_all(&["§3.3", "Silbernagel07", "Silbernagel07"]),
            "Silbernagel 2007, Am J Sports Med"
        );
    }

    #[test]
    fn every_study_the_rule_base_cites_has_a_citation() {
        for key in crate::assess::Rules::builtin().reference_keys() {
            assert!(key.starts_with('§') || cite(key).is_some(), "{key}");
        }
    }
}
