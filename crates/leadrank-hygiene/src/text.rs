//! Text normalisation for matching: folding accents and scripts to ASCII, nicknames, company
//! legal forms, phonetic keys and similarity.

/// Folds text for comparison: any script to ASCII (`"Ødegaard"` -> `"odegaard"`,
/// `"Иван"` -> `"ivan"`, `"张伟"` -> `"zhang wei"`), lower case, punctuation to spaces,
/// spaces collapsed.
pub fn fold(raw: &str) -> String {
    let ascii;
    let s: &str = if raw.is_ascii() {
        raw
    } else {
        ascii = deunicode::deunicode(raw);
        &ascii
    };
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            space = false;
        } else if c == '\'' || c == '\u{2019}' {
            // O'Brien = OBrien
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Nickname and short-form groups: every name of a group stands for the first.
const NICKNAMES: &[&[&str]] = &[
    &["robert", "bob", "rob", "bobby", "robbie", "bert"],
    &["william", "bill", "will", "billy", "willy", "liam"],
    &["elizabeth", "liz", "beth", "betty", "lizzie", "eliza", "elisabeth", "elisa"],
    &["katherine", "kate", "katie", "kathy", "catherine", "kathryn", "cathy", "kat", "katharina", "kasia"],
    &["michael", "mike", "mick", "mikey", "micha", "michal"],
    &["james", "jim", "jimmy", "jamie"],
    &["richard", "rick", "dick", "rich", "ricky", "ricardo"],
    &["thomas", "tom", "tommy", "tomas"],
    &["jennifer", "jen", "jenny", "jenn"],
    &["margaret", "maggie", "meg", "peggy", "marge", "greta"],
    &["alexander", "alex", "sasha", "alexandre", "alejandro", "aleksandr", "alessandro", "sandro"],
    &["alexandra", "alexa", "sandra", "alessandra", "aleksandra"],
    &["christopher", "chris", "kit", "christoph", "cristobal"],
    &["christine", "christina", "tina", "kristina", "chrissy"],
    &["daniel", "dan", "danny"],
    &["joseph", "joe", "joey", "jose", "pepe", "giuseppe", "beppe"],
    &["anthony", "tony", "antonio", "toni", "anton"],
    &["edward", "ed", "eddie", "ted", "teddy", "eduardo"],
    &["patricia", "pat", "patty", "trish", "tricia"],
    &["patrick", "paddy", "patricio"],
    &["susan", "sue", "susie", "suzanne"],
    &["deborah", "deb", "debbie", "debra"],
    &["nicholas", "nick", "nicky", "nicolas", "nikolaus", "klaus", "nikolai", "niccolo"],
    &["benjamin", "ben", "benny", "benji"],
    &["samuel", "sam", "sammy"],
    &["samantha", "sam", "sammie"],
    &["jonathan", "jon", "johnny"],
    &["john", "jack", "johnny", "johannes", "hans", "jan", "juan", "giovanni", "ivan", "sean", "jean"],
    &["matthew", "matt", "matthias", "mathieu", "mateo", "matteo"],
    &["andrew", "andy", "drew", "andreas", "andre", "andres", "andrea", "andrzej"],
    &["steven", "steve", "stephen", "stefan", "stephan", "esteban", "stevie"],
    &["timothy", "tim", "timmy"],
    &["rebecca", "becky", "becca"],
    &["victoria", "vicky", "tori", "viktoria"],
    &["francisco", "paco", "pancho", "frank", "francis", "franz", "francesco", "franco"],
    &["guillermo", "memo", "wilhelm", "willem", "guillaume"],
    &["gregory", "greg"],
    &["jeffrey", "jeff", "geoffrey", "geoff"],
    &["kenneth", "ken", "kenny"],
    &["lawrence", "larry", "laurence", "lorenzo"],
    &["leonard", "leo", "leon", "len", "lenny"],
    &["peter", "pete", "pieter", "pierre", "pedro", "pietro", "piotr", "pyotr", "petr"],
    &["philip", "phil", "phillip", "felipe", "philipp", "philippe"],
    &["raymond", "ray"],
    &["ronald", "ron", "ronnie"],
    &["donald", "don", "donnie"],
    &["douglas", "doug"],
    &["frederick", "fred", "freddie", "friedrich", "fritz", "federico"],
    &["gerald", "gerry", "jerry"],
    &["harold", "harry", "hal"],
    &["henry", "hank", "heinrich", "enrique", "henri", "enrico"],
    &["charles", "charlie", "chuck", "carlos", "karl", "carl", "carlo"],
    &["david", "dave", "davey"],
    &["dorothy", "dot", "dottie"],
    &["eleanor", "ellie", "nora", "elle"],
    &["abigail", "abby", "abbie"],
    &["barbara", "barb", "babs"],
    &["frances", "fran", "frannie"],
    &["jacqueline", "jackie"],
    &["judith", "judy"],
    &["kimberly", "kim"],
    &["pamela", "pam"],
    &["sarah", "sara", "sally"],
    &["teresa", "theresa", "terry", "tess", "tessa"],
    &["valerie", "val"],
    &["mohammed", "muhammad", "mohamed", "mohammad", "mehmet"],
    &["maria", "marie", "mary", "mia", "maja", "mariya"],
    &["vladimir", "vlad", "volodya"],
    &["dmitry", "dima", "dmitri"],
    &["ekaterina", "katya", "yekaterina"],
    &["wolfgang", "wolf"],
    &["sebastian", "seb", "basti"],
    &["zachary", "zach", "zack"],
    &["nathaniel", "nate", "nathan", "nat"],
    &["jessica", "jess", "jessie"],
    &["joshua", "josh"],
    &["olivia", "liv", "livvy"],
    &["isabella", "bella", "izzy", "isabel", "isabelle"],
];

/// For each name of [`NICKNAMES`], the set of groups it belongs to (bit `g` for group `g`).
/// Built once; lookups replace scanning every group for every comparison.
static NICKNAME_INDEX: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, u128>> = std::sync::LazyLock::new(|| {
    const _: () = assert!(NICKNAMES.len() <= 128, "nickname groups must fit a u128 bit set");
    let mut index = rustc_hash::FxHashMap::default();
    for (g, group) in NICKNAMES.iter().enumerate() {
        for name in *group {
            *index.entry(*name).or_insert(0u128) |= 1u128 << g;
        }
    }
    index
});

/// The nickname groups a folded first name belongs to, as a bit set (0: none).
pub fn nickname_groups(folded: &str) -> u128 {
    NICKNAME_INDEX.get(folded).copied().unwrap_or(0)
}

/// The canonical form of a folded first name: the head of its nickname group ("bob" ->
/// "robert"), else the name itself. A name in several groups maps to the first group.
pub fn canonical_first_name(folded: &str) -> &str {
    match nickname_groups(folded) {
        0 => folded,
        groups => NICKNAMES[groups.trailing_zeros() as usize][0],
    }
}

/// Whether two folded first names share a nickname group ("sam" is both Samuel and Samantha).
pub fn nickname_match(a: &str, b: &str) -> bool {
    nickname_groups(a) & nickname_groups(b) != 0
}

/// Legal forms and filler words dropped from company names ("Acme Inc." = "ACME, Inc").
const COMPANY_STOP: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "ug",
    "mbh",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "ab",
    "as",
    "asa",
    "oy",
    "oyj",
    "aps",
    "pty",
    "pvt",
    "pte",
    "kk",
    "kabushiki",
    "kaisha",
    "sl",
    "sp",
    "zoo",
    "z",
    "o",
    "the",
    "and",
    "group",
    "holding",
    "holdings",
    "ltda",
    "cv",
    "de",
    "se",
    "a",
    "s",
    "l",
    "r",
];

/// A company name without legal form, punctuation and case: "ACME, Inc." -> "acme",
/// "Müller Bau GmbH & Co. KG" -> "muller bau".
pub fn normalize_company(raw: &str) -> String {
    let folded = fold(&raw.replace('&', " and "));
    let kept: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty() && !COMPANY_STOP.contains(t)).collect();
    if kept.is_empty() { folded } else { kept.join(" ") }
}

/// A short phonetic key of a folded word (a simplified Soundex kept to 4 codes): names that
/// sound alike and most single-letter typos after the first letter share it.
pub fn phonetic(folded: &str) -> String {
    let mut out = String::with_capacity(4);
    phonetic_into(folded, &mut out);
    out
}

/// [`phonetic`] appended to `out` (nothing for a word without letters).
pub fn phonetic_into(folded: &str, out: &mut String) {
    let start = out.len();
    let mut last = 0u8;
    for (i, b) in folded.bytes().filter(u8::is_ascii_alphabetic).enumerate() {
        let code = match b {
            b'b' | b'f' | b'p' | b'v' => b'1',
            b'c' | b'g' | b'j' | b'k' | b'q' | b's' | b'x' | b'z' => b'2',
            b'd' | b't' => b'3',
            b'l' => b'4',
            b'm' | b'n' => b'5',
            b'r' => b'6',
            b'h' | b'w' => continue,
            _ => b'0',
        };
        if i == 0 {
            out.push(b.to_ascii_uppercase() as char);
        } else if code != last && code != b'0' {
            out.push(code as char);
        }
        last = code;
        if out.len() - start == 4 {
            break;
        }
    }
}

/// The NYSIIS code (New York State Identification and Intelligence System) of a folded
/// word, cut to 6 letters as the standard has it: a phonetic key that keeps more of a name
/// than [`phonetic`] ("Brian", "Brown" and "Brun" are "BRAN"; "Smith" and "Schmit"
/// "SNAT"). Letters other than a-z are ignored; a word without letters has no code.
pub fn nysiis(folded: &str) -> String {
    let mut out = String::with_capacity(6);
    nysiis_into(folded, 6, &mut out);
    out
}

/// [`nysiis`] appended to `out`, cut to `max_len` letters (`usize::MAX`: the full code).
pub fn nysiis_into(folded: &str, max_len: usize, out: &mut String) {
    let mut w: Vec<u8> = folded.bytes().filter(u8::is_ascii_alphabetic).map(|b| b.to_ascii_uppercase()).collect();
    if w.is_empty() {
        return;
    }
    // 1. The first letters.
    let prefix: &[(&[u8], &[u8])] = &[(b"MAC", b"MCC"), (b"KN", b"NN"), (b"K", b"C"), (b"PH", b"FF"), (b"PF", b"FF"), (b"SCH", b"SSS")];
    if let Some((from, to)) = prefix.iter().find(|(from, _)| w.starts_with(from)) {
        w[..from.len()].copy_from_slice(to);
    }
    // 2. The last letters.
    let n = w.len();
    if n >= 2 {
        match &w[n - 2..] {
            b"EE" | b"IE" => {
                w.truncate(n - 2);
                w.push(b'Y');
            }
            b"DT" | b"RT" | b"RD" | b"NT" | b"ND" => {
                w.truncate(n - 2);
                w.push(b'D');
            }
            _ => {}
        }
    }
    // 3. The key starts with the first letter; 4. the others are transcribed in place, each
    // added unless it repeats the letter before it.
    let vowel = |c: u8| matches!(c, b'A' | b'E' | b'I' | b'O' | b'U');
    let mut key: Vec<u8> = vec![w[0]];
    for i in 1..w.len() {
        let (prev, cur) = (w[i - 1], w[i]);
        let next = w.get(i + 1).copied().unwrap_or(b' ');
        let after = w.get(i + 2).copied().unwrap_or(b' ');
        let with: &[u8] = match cur {
            b'E' if next == b'V' => b"AF",
            c if vowel(c) => b"A",
            b'Q' => b"G",
            b'Z' => b"S",
            b'M' => b"N",
            b'K' if next == b'N' => b"NN",
            b'K' => b"C",
            b'S' if next == b'C' && after == b'H' => b"SSS",
            b'P' if next == b'H' => b"FF",
            b'H' if !vowel(prev) || !vowel(next) => &[prev],
            b'W' if vowel(prev) => &[prev],
            _ => &[cur],
        };
        let end = (i + with.len()).min(w.len());
        let with = with[..end - i].to_vec();
        w[i..end].copy_from_slice(&with);
        if w[i] != w[i - 1] {
            key.push(w[i]);
        }
    }
    // 5. A final S goes; 6. a final AY becomes Y; 7. a final A goes.
    if key.len() > 1 {
        if key.last() == Some(&b'S') {
            key.pop();
        }
        if key.len() > 2 && key.ends_with(b"AY") {
            key.remove(key.len() - 2);
        }
        if key.len() > 1 && key.last() == Some(&b'A') {
            key.pop();
        }
    }
    key.truncate(max_len);
    out.extend(key.iter().map(|&b| char::from(b)));
}

/// Jaro-Winkler similarity of two strings in [0, 1]: `strsim::jaro_winkler`, computed
/// without allocating for ASCII strings of up to 64 bytes (folded text always is ASCII),
/// with exactly the same arithmetic, so the result is bit for bit the same.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_ascii() && b.is_ascii() && a.len() <= 64 && b.len() <= 64 {
        return jaro_winkler_ascii(a.as_bytes(), b.as_bytes());
    }
    strsim::jaro_winkler(a, b)
}

/// `strsim::generic_jaro_winkler` over bytes of at most 64 each, match flags in two u64.
///
/// Bit-parallel: `at[c]` holds the positions of byte `c` in `b`, so each byte of `a` finds
/// its match (the first unmatched equal byte of `b` in its window, as strsim's scan finds it)
/// with one mask and one trailing-zero count instead of a scan of the window.
fn jaro_winkler_ascii(a: &[u8], b: &[u8]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    let sim = if a_len == 0 && b_len == 0 {
        1.0
    } else if a_len == 0 || b_len == 0 {
        0.0
    } else {
        let range = (a_len.max(b_len) / 2).saturating_sub(1);
        let mut at = [0u64; 128];
        for (j, &y) in b.iter().enumerate() {
            at[usize::from(y & 0x7f)] |= 1 << j;
        }
        let (mut a_flags, mut b_flags) = (0u64, 0u64);
        let mut matches = 0usize;
        for (i, &x) in a.iter().enumerate() {
            // The window lo..hi of b (empty when lo >= hi); 1 <= hi <= 64 and lo < 64.
            let lo = i.saturating_sub(range);
            let hi = b_len.min(i + range + 1);
            let window = (u64::MAX >> (64 - hi)) & (u64::MAX << lo);
            let free = at[usize::from(x & 0x7f)] & window & !b_flags;
            if free != 0 {
                a_flags |= 1 << i;
                b_flags |= 1 << free.trailing_zeros();
                matches += 1;
            }
        }
        if matches == 0 {
            0.0
        } else {
            // The matched bytes of a and of b, each in order, compared pairwise.
            let mut transpositions = 0usize;
            let (mut fa, mut fb) = (a_flags, b_flags);
            while fa != 0 {
                let (i, j) = (fa.trailing_zeros() as usize, fb.trailing_zeros() as usize);
                if a.get(i) != b.get(j) {
                    transpositions += 1;
                }
                fa &= fa - 1;
                fb &= fb - 1;
            }
            transpositions /= 2;
            ((matches as f64 / a_len as f64) + (matches as f64 / b_len as f64) + ((matches - transpositions) as f64 / matches as f64)) / 3.0
        }
    };
    if sim > 0.7 {
        let prefix = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// A multi-word value with its words sorted ("muller bau" -> "bau muller"); `None` for a
/// single word (sorting changes nothing).
pub fn sorted_words(s: &str) -> Option<String> {
    if !s.contains(' ') {
        return None;
    }
    let mut t: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    t.sort_unstable();
    Some(t.join(" "))
}

/// Similarity of two multi-word values, insensitive to word order: the better of the whole
/// strings' similarity and the sorted words' similarity.
pub fn token_similarity(a: &str, b: &str) -> f64 {
    token_similarity_sorted(a, sorted_words(a).as_deref(), b, sorted_words(b).as_deref())
}

/// [`token_similarity`] with each value's [`sorted_words`] computed ahead.
pub fn token_similarity_sorted(a: &str, sorted_a: Option<&str>, b: &str, sorted_b: Option<&str>) -> f64 {
    if a == b {
        return 1.0;
    }
    let whole = jaro_winkler(a, b);
    let (sa, sb) = (sorted_a.unwrap_or(a), sorted_b.unwrap_or(b));
    if sa == sb {
        return 1.0;
    }
    if sorted_a.is_none() && sorted_b.is_none() {
        // Both single words: the sorted forms are the values themselves.
        return whole;
    }
    whole.max(jaro_winkler(sa, sb))
}

/// The digits of a phone number.
pub fn phone_digits(raw: &str) -> String {
    raw.chars().filter(char::is_ascii_digit).collect()
}

/// The registrable domain (public suffix plus one label): "eu.acme.co.uk" -> "acme.co.uk",
/// "mail.münchen.de" -> "xn--mnchen-3ya.de" is not attempted: IDNs are compared as typed,
/// lower case. Returns the input when the suffix is unknown.
pub fn registrable_domain(domain: &str) -> String {
    let d = domain.trim().trim_end_matches('.').to_lowercase();
    match psl::domain(d.as_bytes()) {
        Some(reg) => String::from_utf8_lossy(reg.as_bytes()).into_owned(),
        None => d,
    }
}

pub use leadrank_facts::email::to_ascii_domain;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_scripts() {
        assert_eq!(fold("  José  García-Márquez "), "jose garcia marquez");
        assert_eq!(fold("Ødegaard"), "odegaard");
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold("Łukasz Wiśniewski"), "lukasz wisniewski");
        assert_eq!(fold("Иван Петров"), "ivan petrov");
        assert_eq!(fold("张伟"), "zhang wei");
        assert_eq!(fold("Nguyễn Đặng"), "nguyen dang");
    }

    #[test]
    fn companies_lose_legal_forms() {
        assert_eq!(normalize_company("Acme Inc."), "acme");
        assert_eq!(normalize_company("ACME, Inc"), "acme");
        assert_eq!(normalize_company("Müller Bau GmbH & Co. KG"), "muller bau");
        assert_eq!(normalize_company("Société Générale S.A."), "societe generale");
        assert_eq!(normalize_company("Inc"), "inc");
    }

    #[test]
    fn nicknames() {
        assert_eq!(canonical_first_name("bob"), "robert");
        assert!(nickname_match("liz", "elizabeth"));
        assert!(nickname_match("sam", "samantha"));
        assert!(!nickname_match("bob", "bill"));
    }

    #[test]
    fn nickname_groups_are_the_same_as_scanning_the_groups() {
        for group in NICKNAMES {
            for name in *group {
                let scan = NICKNAMES.iter().find(|g| g.contains(name)).map_or(*name, |g| g[0]);
                assert_eq!(canonical_first_name(name), scan, "{name}");
            }
        }
        assert_eq!(canonical_first_name("zoe"), "zoe");
        assert_eq!(nickname_groups("zoe"), 0);
        assert!(nickname_match("johnny", "jonathan") && nickname_match("johnny", "john"));
        assert!(!nickname_match("zoe", "zoe"), "a name in no group matches no nickname");
    }

    #[test]
    fn jaro_winkler_is_strsims_bit_for_bit() {
        let words = [
            "",
            "a",
            "smith",
            "smtih",
            "smyth",
            "garcia marquez",
            "garcia",
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "jellyfish",
            "smellyfish",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
            "ab",
            "ba",
            "aaaa",
            "aaab",
            "odegaard",
            "ødegaard",
            "muller bau",
            "bau muller",
        ];
        for a in words {
            for b in words {
                assert_eq!(jaro_winkler(a, b).to_bits(), strsim::jaro_winkler(a, b).to_bits(), "{a:?} {b:?}");
            }
        }
    }

    proptest::proptest! {
        /// Small alphabets (many repeated letters, so many candidate matches per window) and
        /// any ASCII, up to the 64-byte limit: bit for bit strsim's result (whose window scan
        /// the bit masks replace).
        #[test]
        fn bit_parallel_jaro_winkler_is_strsim_bit_for_bit(
            a in "[abc ]{0,64}|[a-e]{0,20}|[ -~]{0,64}",
            b in "[abc ]{0,64}|[a-e]{0,20}|[ -~]{0,64}",
        ) {
            proptest::prop_assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::jaro_winkler(&a, &b).to_bits());
        }
    }

    #[test]
    fn token_similarity_ignores_word_order() {
        assert_eq!(token_similarity("muller bau", "bau muller"), 1.0);
        assert_eq!(token_similarity("acme", "acme"), 1.0);
        assert_eq!(token_similarity("acme", "acne"), strsim::jaro_winkler("acme", "acne"));
        assert_eq!(sorted_words("b a  c").as_deref(), Some("a b c"));
    }

    #[test]
    fn phonetic_keys() {
        assert_eq!(phonetic("robert"), phonetic("rupert"));
        assert_eq!(phonetic("smith"), phonetic("smyth"));
        assert_eq!(phonetic(""), "");
    }

    /// Published examples (the New York State Identification and Intelligence System's
    /// rules as given by dropby.com, and the Apache Commons Codec test set).
    #[test]
    fn nysiis_known_answers() {
        let full = |w: &str| {
            let mut s = String::new();
            nysiis_into(&fold(w), usize::MAX, &mut s);
            s
        };
        for (word, code) in [
            ("Brian", "BRAN"),
            ("Brown", "BRAN"),
            ("Brun", "BRAN"),
            ("Capp", "CAP"),
            ("Cope", "CAP"),
            ("Kipp", "CAP"),
            ("Dane", "DAN"),
            ("Dean", "DAN"),
            ("Dionne", "DAN"),
            ("Dent", "DAD"),
            ("Smith", "SNAT"),
            ("Schmit", "SNAT"),
            ("Schmidt", "SNAD"),
            ("Trueman", "TRANAN"),
            ("Truman", "TRANAN"),
            ("Phil", "FAL"),
            ("MACINTOSH", "MCANT"),
            ("KNUTH", "NAT"),
            ("KOEHN", "CAN"),
            ("PHILLIPSON", "FALAPSAN"),
            ("PFEISTER", "FASTAR"),
            ("SCHOENHOEFT", "SANAFT"),
            ("MCKEE", "MCY"),
            ("MACKIE", "MCY"),
            ("HEITSCHMIDT", "HATSNAD"),
            ("BART", "BAD"),
            ("HURD", "HAD"),
            ("HUNT", "HAD"),
            ("WESTERLUND", "WASTARLAD"),
            ("CASSTEVENS", "CASTAFAN"),
            ("VASQUEZ", "VASG"),
            ("FRAZIER", "FRASAR"),
            ("BOWMAN", "BANAN"),
            ("MCKNIGHT", "MCNAGT"),
            ("RICKERT", "RACAD"),
            ("DEUTSCH", "DAT"),
            ("WESTPHAL", "WASTFAL"),
            ("SHRIVER", "SRAVAR"),
            ("KUHL", "CAL"),
            ("RAWSON", "RASAN"),
            ("JILES", "JAL"),
            ("CARRAWAY", "CARY"),
            ("YAMADA", "YANAD"),
            ("O'Daniel", "ODANAL"),
            ("O'Donnel", "ODANAL"),
            ("Cory", "CARY"),
            ("Corey", "CARY"),
            ("Kory", "CARY"),
            ("FUZZY", "FASY"),
            ("Kobwick", "CABWAC"),
            ("Kocher", "CACAR"),
            ("Fesca", "FASC"),
            ("Shom", "SAN"),
            ("Ohlo", "OL"),
            ("Uhu", "UH"),
            ("Um", "UN"),
            // One rule at a time.
            ("MACX", "MCX"),
            ("KNX", "NX"),
            ("KX", "CX"),
            ("PHX", "FX"),
            ("PFX", "FX"),
            ("SCHX", "SX"),
            ("XEE", "XY"),
            ("XIE", "XY"),
            ("XDT", "XD"),
            ("XND", "XD"),
            ("XEV", "XAF"),
            ("XOX", "XAX"),
            ("XQ", "XG"),
            ("XZ", "X"),
            ("XM", "XN"),
            ("XSS", "X"),
            ("XAYS", "XY"),
            ("XAS", "X"),
        ] {
            assert_eq!(full(word), code, "{word}");
        }
        // The standard code is cut to 6 letters.
        assert_eq!(nysiis("westerlund"), "WASTAR");
        assert_eq!(nysiis(""), "");
        assert_eq!(nysiis("42"), "");
        assert_eq!(nysiis("o'brien"), nysiis("obrien"));
    }

    #[test]
    fn idn_domains_become_ascii() {
        assert_eq!(to_ascii_domain("Bücher.de"), "xn--bcher-kva.de");
        assert_eq!(to_ascii_domain("xn--bcher-kva.de"), "xn--bcher-kva.de");
        assert_eq!(to_ascii_domain("münchen.de."), "xn--mnchen-3ya.de");
        assert_eq!(to_ascii_domain("例え.jp"), "xn--r8jz45g.jp");
    }

    #[test]
    fn registrable_domains_follow_the_public_suffix_list() {
        assert_eq!(registrable_domain("eu.acme.co.uk"), "acme.co.uk");
        assert_eq!(registrable_domain("shop.example.com.au"), "example.com.au");
        assert_eq!(registrable_domain("a.b.example.photography"), "example.photography");
        assert_eq!(registrable_domain("acme.com"), "acme.com");
    }
}
