//! Small text helpers shared by the modules: folding Latin letters with diacritics to their
//! ASCII base letters, and recognising combining marks.
//!
//! The fold table covers the lower-case letters of Latin-1 Supplement, Latin Extended-A/B and
//! Latin Extended Additional (Vietnamese). It was generated once from the Unicode canonical
//! decompositions (base letter of the NFD form), plus hand-written entries for letters that do
//! not decompose (`ß`, `æ`, `œ`, `ø`, `ł`, `đ`, `ħ`, `ı`, `þ`, `ð`, `ŋ`, `ə`, ...).

/// `(lower-case Latin letter, ASCII base letters)`, sorted by the letter for binary search.
#[rustfmt::skip]
static FOLD: &[(char, &str)] = &[
    ('ß', "ss"), ('à', "a"), ('á', "a"), ('â', "a"), ('ã', "a"), ('ä', "a"), ('å', "a"),
    ('æ', "ae"), ('ç', "c"), ('è', "e"), ('é', "e"), ('ê', "e"), ('ë', "e"), ('ì', "i"),
    ('í', "i"), ('î', "i"), ('ï', "i"), ('ð', "d"), ('ñ', "n"), ('ò', "o"), ('ó', "o"),
    ('ô', "o"), ('õ', "o"), ('ö', "o"), ('ø', "o"), ('ù', "u"), ('ú', "u"), ('û', "u"),
    ('ü', "u"), ('ý', "y"), ('þ', "th"), ('ÿ', "y"), ('ā', "a"), ('ă', "a"), ('ą', "a"),
    ('ć', "c"), ('ĉ', "c"), ('ċ', "c"), ('č', "c"), ('ď', "d"), ('đ', "d"), ('ē', "e"),
    ('ĕ', "e"), ('ė', "e"), ('ę', "e"), ('ě', "e"), ('ĝ', "g"), ('ğ', "g"), ('ġ', "g"),
    ('ģ', "g"), ('ĥ', "h"), ('ħ', "h"), ('ĩ', "i"), ('ī', "i"), ('ĭ', "i"), ('į', "i"),
    ('ı', "i"), ('ĳ', "ij"), ('ĵ', "j"), ('ķ', "k"), ('ĸ', "k"), ('ĺ', "l"), ('ļ', "l"),
    ('ľ', "l"), ('ŀ', "l"), ('ł', "l"), ('ń', "n"), ('ņ', "n"), ('ň', "n"), ('ŉ', "n"),
    ('ŋ', "ng"), ('ō', "o"), ('ŏ', "o"), ('ő', "o"), ('œ', "oe"), ('ŕ', "r"), ('ŗ', "r"),
    ('ř', "r"), ('ś', "s"), ('ŝ', "s"), ('ş', "s"), ('š', "s"), ('ţ', "t"), ('ť', "t"),
    ('ŧ', "t"), ('ũ', "u"), ('ū', "u"), ('ŭ', "u"), ('ů', "u"), ('ű', "u"), ('ų', "u"),
    ('ŵ', "w"), ('ŷ', "y"), ('ź', "z"), ('ż', "z"), ('ž', "z"), ('ſ', "s"), ('ƀ', "b"),
    ('ƈ', "c"), ('ƌ', "d"), ('ƒ', "f"), ('ƙ', "k"), ('ƚ', "l"), ('ƞ', "n"), ('ơ', "o"),
    ('ƣ', "oi"), ('ƥ', "p"), ('ƭ', "t"), ('ư', "u"), ('ƴ', "y"), ('ƶ', "z"), ('ƿ', "w"),
    ('ǆ', "dz"), ('ǉ', "lj"), ('ǌ', "nj"), ('ǎ', "a"), ('ǐ', "i"), ('ǒ', "o"), ('ǔ', "u"),
    ('ǖ', "u"), ('ǘ', "u"), ('ǚ', "u"), ('ǜ', "u"), ('ǝ', "e"), ('ǟ', "a"), ('ǡ', "a"),
    ('ǣ', "ae"), ('ǥ', "g"), ('ǧ', "g"), ('ǩ', "k"), ('ǫ', "o"), ('ǭ', "o"), ('ǯ', "z"),
    ('ǰ', "j"), ('ǳ', "dz"), ('ǵ', "g"), ('ǹ', "n"), ('ǻ', "a"), ('ǽ', "ae"), ('ǿ', "o"),
    ('ȁ', "a"), ('ȃ', "a"), ('ȅ', "e"), ('ȇ', "e"), ('ȉ', "i"), ('ȋ', "i"), ('ȍ', "o"),
    ('ȏ', "o"), ('ȑ', "r"), ('ȓ', "r"), ('ȕ', "u"), ('ȗ', "u"), ('ș', "s"), ('ț', "t"),
    ('ȝ', "y"), ('ȟ', "h"), ('ȣ', "ou"), ('ȥ', "z"), ('ȧ', "a"), ('ȩ', "e"), ('ȫ', "o"),
    ('ȭ', "o"), ('ȯ', "o"), ('ȱ', "o"), ('ȳ', "y"), ('ȷ', "j"), ('ȼ', "c"), ('ȿ', "s"),
    ('ɇ', "e"), ('ɉ', "j"), ('ɋ', "q"), ('ɍ', "r"), ('ɏ', "y"), ('ḁ', "a"), ('ḃ', "b"),
    ('ḅ', "b"), ('ḇ', "b"), ('ḉ', "c"), ('ḋ', "d"), ('ḍ', "d"), ('ḏ', "d"), ('ḑ', "d"),
    ('ḓ', "d"), ('ḕ', "e"), ('ḗ', "e"), ('ḙ', "e"), ('ḛ', "e"), ('ḝ', "e"), ('ḟ', "f"),
    ('ḡ', "g"), ('ḣ', "h"), ('ḥ', "h"), ('ḧ', "h"), ('ḩ', "h"), ('ḫ', "h"), ('ḭ', "i"),
    ('ḯ', "i"), ('ḱ', "k"), ('ḳ', "k"), ('ḵ', "k"), ('ḷ', "l"), ('ḹ', "l"), ('ḻ', "l"),
    ('ḽ', "l"), ('ḿ', "m"), ('ṁ', "m"), ('ṃ', "m"), ('ṅ', "n"), ('ṇ', "n"), ('ṉ', "n"),
    ('ṋ', "n"), ('ṍ', "o"), ('ṏ', "o"), ('ṑ', "o"), ('ṓ', "o"), ('ṕ', "p"), ('ṗ', "p"),
    ('ṙ', "r"), ('ṛ', "r"), ('ṝ', "r"), ('ṟ', "r"), ('ṡ', "s"), ('ṣ', "s"), ('ṥ', "s"),
    ('ṧ', "s"), ('ṩ', "s"), ('ṫ', "t"), ('ṭ', "t"), ('ṯ', "t"), ('ṱ', "t"), ('ṳ', "u"),
    ('ṵ', "u"), ('ṷ', "u"), ('ṹ', "u"), ('ṻ', "u"), ('ṽ', "v"), ('ṿ', "v"), ('ẁ', "w"),
    ('ẃ', "w"), ('ẅ', "w"), ('ẇ', "w"), ('ẉ', "w"), ('ẋ', "x"), ('ẍ', "x"), ('ẏ', "y"),
    ('ẑ', "z"), ('ẓ', "z"), ('ẕ', "z"), ('ẖ', "h"), ('ẗ', "t"), ('ẘ', "w"), ('ẙ', "y"),
    ('ẛ', "s"), ('ạ', "a"), ('ả', "a"), ('ấ', "a"), ('ầ', "a"), ('ẩ', "a"), ('ẫ', "a"),
    ('ậ', "a"), ('ắ', "a"), ('ằ', "a"), ('ẳ', "a"), ('ẵ', "a"), ('ặ', "a"), ('ẹ', "e"),
    ('ẻ', "e"), ('ẽ', "e"), ('ế', "e"), ('ề', "e"), ('ể', "e"), ('ễ', "e"), ('ệ', "e"),
    ('ỉ', "i"), ('ị', "i"), ('ọ', "o"), ('ỏ', "o"), ('ố', "o"), ('ồ', "o"), ('ổ', "o"),
    ('ỗ', "o"), ('ộ', "o"), ('ớ', "o"), ('ờ', "o"), ('ở', "o"), ('ỡ', "o"), ('ợ', "o"),
    ('ụ', "u"), ('ủ', "u"), ('ứ', "u"), ('ừ', "u"), ('ử', "u"), ('ữ', "u"), ('ự', "u"),
    ('ỳ', "y"), ('ỵ', "y"), ('ỷ', "y"), ('ỹ', "y"),
];

/// The ASCII base letters of a lower-case Latin letter with diacritics (`é` -> `e`,
/// `ł` -> `l`, `ß` -> `ss`), `None` for any other character (including ASCII).
pub(crate) fn fold_latin(c: char) -> Option<&'static str> {
    FOLD.binary_search_by(|(k, _)| k.cmp(&c)).ok().and_then(|i| FOLD.get(i)).map(|(_, v)| *v)
}

/// True for combining diacritical marks (they belong to the previous letter).
pub(crate) fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Lower-cases `s` and folds Latin diacritics to ASCII; combining marks are dropped, every
/// other character is kept as it is (lower-cased).
pub(crate) fn fold_lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if is_combining(c) {
            continue;
        }
        match fold_latin(c) {
            Some(base) => out.push_str(base),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(FOLD.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn folds_common_letters() {
        assert_eq!(fold_lower("Ødegaard"), "odegaard");
        assert_eq!(fold_lower("Wójcik"), "wojcik");
        assert_eq!(fold_lower("Łukasz Szczepański"), "lukasz szczepanski");
        assert_eq!(fold_lower("Straße"), "strasse");
        assert_eq!(fold_lower("Nguyễn"), "nguyen");
        assert_eq!(fold_lower("Ó Súilleabháin"), "o suilleabhain");
        // NFD input: e + combining acute.
        assert_eq!(fold_lower("Jose\u{301}"), "jose");
        assert_eq!(fold_lower("Иванов"), "иванов");
        assert_eq!(fold_lower("İstanbul"), "istanbul");
    }
}
