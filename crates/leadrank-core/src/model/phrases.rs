//! Whole-word phrase search for `contains_keyword`.
//!
//! A model's phrases are normalised ([`normalize_phrase`]) and compiled once into an
//! Aho-Corasick automaton; a text is then normalised the same way and searched in one pass,
//! however many phrases the list has. A phrase counts only as whole words: "pipeline" is
//! found in "our sales pipeline", not in "pipelines".

use std::cell::RefCell;
use std::sync::Arc;

use aho_corasick::AhoCorasick;

use super::compile::normalize_phrase;

/// A compiled list of phrases (normalised, none empty), searched as whole words.
#[derive(Debug, Clone)]
pub struct Phrases {
    phrases: Arc<[String]>,
    automaton: AhoCorasick,
}

/// The phrase list could not be compiled (too large for the automaton).
#[derive(Debug, thiserror::Error)]
#[error("the keyword list is too large to search: {0}")]
pub struct PhrasesTooLarge(String);

thread_local! {
    /// The normalised text of the current search, reused so that a search allocates nothing.
    static WORDS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl Phrases {
    /// Compiles `phrases`, each already normalised with [`normalize_phrase`] and not empty.
    pub fn new(phrases: Vec<String>) -> Result<Self, PhrasesTooLarge> {
        let automaton = AhoCorasick::new(&phrases).map_err(|e| PhrasesTooLarge(e.to_string()))?;
        Ok(Phrases { phrases: phrases.into(), automaton })
    }

    /// The phrases, in list order.
    pub fn as_slice(&self) -> &[String] {
        &self.phrases
    }

    /// The first phrase of the list (in list order, not text order) that `text` contains as
    /// whole words, ignoring case and punctuation.
    pub fn first_in(&self, text: &str) -> Option<&str> {
        WORDS.with(|cell| match cell.try_borrow_mut() {
            Ok(mut words) => {
                normalize_into(text, &mut words);
                self.first_in_normalized(&words)
            }
            // Only reachable if a search ran inside another on this thread; search a fresh copy.
            Err(_) => {
                let mut words = Vec::new();
                normalize_into(text, &mut words);
                self.first_in_normalized(&words)
            }
        })
    }

    fn first_in_normalized(&self, words: &[u8]) -> Option<&str> {
        let mut best: Option<usize> = None;
        for m in self.automaton.find_overlapping_iter(words) {
            let (start, end) = (m.start(), m.end());
            let whole = (start == 0 || words[start - 1] == b' ') && (end == words.len() || words[end] == b' ');
            let p = m.pattern().as_usize();
            if whole && best.is_none_or(|b| p < b) {
                best = Some(p);
                if p == 0 {
                    break;
                }
            }
        }
        best.and_then(|p| self.phrases.get(p)).map(String::as_str)
    }
}

/// [`normalize_phrase`] into `out` (words of letters and digits, lower case, one space apart),
/// without allocating for ASCII text.
fn normalize_into(text: &str, out: &mut Vec<u8>) {
    out.clear();
    if !text.is_ascii() {
        out.extend_from_slice(normalize_phrase(text).as_bytes());
        return;
    }
    let mut gap = false;
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(b' ');
            }
            gap = false;
            out.push(b.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn phrases(list: &[&str]) -> Phrases {
        Phrases::new(list.iter().map(|p| normalize_phrase(p)).collect()).expect("small list")
    }

    /// The search as it was written first: pad the normalised text with spaces and look for
    /// each phrase, in list order, between spaces.
    fn reference<'p>(text: &str, list: &'p [String]) -> Option<&'p str> {
        let words = format!(" {} ", normalize_phrase(text));
        let bytes = words.as_bytes();
        let whole = |p: &str| words.match_indices(p).any(|(i, _)| bytes[i - 1] == b' ' && bytes.get(i + p.len()) == Some(&b' '));
        list.iter().find(|p| !p.is_empty() && whole(p)).map(String::as_str)
    }

    #[test]
    fn whole_words_only_and_list_order() {
        let p = phrases(&["lead scoring", "pipeline", "routing"]);
        assert_eq!(p.first_in("Our sales PIPELINE and lead-scoring!"), Some("lead scoring"));
        assert_eq!(p.first_in("pipelines everywhere"), None);
        assert_eq!(p.first_in("re-routing leads"), Some("routing"));
        assert_eq!(p.first_in("rerouting leads"), None);
        assert_eq!(p.first_in(""), None);
        assert_eq!(p.first_in("Lead Scoring für Vertrieb"), Some("lead scoring"));
    }

    #[test]
    fn ascii_normalisation_equals_the_general_one() {
        for text in ["  Lead-Scoring  ", "a,b;;c", "", "---", "X1 y2", "Über Straße", "tab\tand\nnewline"] {
            let mut out = Vec::new();
            normalize_into(text, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), normalize_phrase(text), "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, rng_seed: proptest::test_runner::RngSeed::Fixed(20), ..ProptestConfig::default() })]

        /// The automaton finds exactly what the phrase-by-phrase search finds.
        #[test]
        fn equals_the_phrase_by_phrase_search(
            text in "[a-cA-C ,.\\-é]{0,40}",
            list in proptest::collection::vec("[a-c]{1,3}( [a-c]{1,2})?", 1..6),
        ) {
            let normalised: Vec<String> = list.iter().map(|p| normalize_phrase(p)).collect();
            let p = Phrases::new(normalised.clone()).expect("small list");
            prop_assert_eq!(p.first_in(&text), reference(&text, &normalised));
        }
    }
}
