//! Person names: the full-name dedupe key, and a high-precision gibberish detector.
//!
//! # Gibberish detection
//!
//! A name flagged here costs a lead 30 points (the `spam` rule), so the detector aims at
//! precision: it flags only what real names essentially never look like, and stays silent when
//! unsure. Each part (first name, last name) is checked as a whole, then word by word (words
//! are split at spaces, hyphens, apostrophes and other punctuation). The first rule that
//! fires gives the reason:
//!
//! 1. **Digits** (`Test123`, `john2`): "name contains digits". Any decimal digit in any
//!    script counts; Roman numerals written as letters (`III`) do not.
//! 2. **Machine characters**: `@` ("name contains '@'"), a URL (`://` or `www.`: "name
//!    contains a URL"), or one of `_ # $ % ^ * = < > { } | \ ~ +` and the backtick ("name
//!    contains symbols"). Brackets, dots, commas, `&` and `?` are *not* flagged: CRMs write
//!    "[not provided]", people write "Mary & John", and a `?` usually is a character lost to
//!    an encoding error, not a bot.
//! 3. **Placeholders**: a part that is exactly `test`, `testing`, `test user`, `dummy`,
//!    `lorem ipsum`, `first name`, `your name`, ... ("placeholder name"). Values that mean
//!    "missing" ("Unknown", "N/A", "[not provided]") are *not* flagged: they are real leads with
//!    missing data, not spam.
//! 4. **Repeated letters**: the same letter three times in a row in Latin script (`aaa`,
//!    `jjjj`), four times in other scripts ("repeated letters"). Roman numerals (`III`) are
//!    exempt.
//! 5. **Keyboard walks**: four adjacent keys of a QWERTY/QWERTZ/AZERTY home or bottom row, or
//!    five of the QWERTY top row, forwards or backwards (`asdf`, `hjkl`, `zxcv`, `qwert`,
//!    `poiuy`; the top row needs five because `erty` is in Doherty and `rtyu` in Artyukhov,
//!    and the QWERTZ and AZERTY top rows are left out because `wertz`, `ertzu` and `treza` are
//!    in the surnames Wertz, Hertzum and Treza; `qwertz` and `azerty` are placeholders); a word that
//!    is a three-key walk repeated (`asdasd`, `jkljkl`); a part that is exactly a three-key
//!    walk (`asd`, `qwe`, `zxc`); two adjacent keyboard columns (`qazwsx`) ("keyboard walk").
//! 6. **Keyboard mash**: a word of five or more letters typed only on the home row
//!    (`a s d f g h j k l`) with four or more consonants in a row (`aksjdh`) ("keyboard
//!    mash"). Real home-row names (Haddad, Dalal, Shah, Falk) have short consonant clusters.
//! 7. **No vowels**: a word with four or more consonants and no vowel (`xkcd`, `bcdf`)
//!    ("no vowels"). Four consonants that are all letters of Arabic transliteration
//!    (`b d f h j k l m n q r s t w z`, no `c g p v x`) pass: Arabic names are often written
//!    without their short vowels (`Mhmd`, `Mstf`, `Bndr`, `Rhmn`, `Lhsn`).
//! 8. **Consonant run**: six or more consonants in a row (`bcdfgh`, `xkcdqz`) ("consonant
//!    run").
//!
//! Rules 6-8 count *sounds*, not letters, and apply to Latin-script words only:
//! - Accented Latin letters are letters, and accented vowels are vowels (`é`, `ø`, `å`, `ą`,
//!   `ễ`); they are folded to ASCII first (`ł` -> `l`, `ß` -> `ss`).
//! - Multi-letter spellings of one sound count once: `tsch`, `sch`, `str`, `spr`, `skr`,
//!   `scr`, `spl`, `thr`, `chr`, `shr`, `phr`, `tch`, `dzh`, `dzs`, `zsh`, and `ch`, `sh`,
//!   `th`, `ph`, `gh`, `kh`, `zh`, `wh`, `ck`, `ng`, `sz`, `cz`, `rz`, `dz`, `ts`, `tz`, `bh`,
//!   `dh`, `jh`, `pf`, `dj`, `lj`, `nj`, `gn`, `sc` and doubled consonants (`ll`, `ss`, ...). So
//!   Szczepański, Chrzczonowicz, Przybylski, Schwarzschild, Bergström and Mkrtchyan pass.
//! - `y` is always a vowel; `w` is a vowel between consonants (Welsh `cwm`, `Llwyd`), and `r`
//!   and `l` are vowels between consonants (Czech `Vlk`, `Smrž`, `Čtvrtek`).
//! - Words in other scripts (CJK, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai, ...) and
//!   words mixing scripts are never judged by vowels or consonants.
//!
//! Deliberately *not* flagged: short names (`Li`, `Wu`, `Ng`, `Ek`, `O`), names without
//! vowels of three or fewer consonant sounds (`Ng`, `Chng`, `Sng`, `Vlk`), and equal first and
//! last names (`Li Li`, `Yang Yang`, `Mohamed Mohamed` are real people).
//!
//! The reason is one of the fixed phrases above (a `&'static str`); show the name itself
//! next to it when the offending word matters.

use crate::memo;
use crate::text::{fold_latin, is_combining};

/// Reason: a digit in the name.
const DIGITS: &str = "name contains digits";
/// Reason: an `@`.
const AT_SIGN: &str = "name contains '@'";
/// Reason: a URL.
const URL: &str = "name contains a URL";
/// Reason: machine symbols.
const SYMBOLS: &str = "name contains symbols";
/// Reason: a placeholder value.
const PLACEHOLDER: &str = "placeholder name";
/// Reason: a letter repeated.
const REPEATED: &str = "repeated letters";
/// Reason: adjacent keys.
const WALK: &str = "keyboard walk";
/// Reason: home-row mash.
const MASH: &str = "keyboard mash";
/// Reason: no vowels.
const NO_VOWELS: &str = "no vowels";
/// Reason: too many consonants in a row.
const CONSONANT_RUN: &str = "consonant run";

/// Consonant sounds in a row from which a word is flagged (rule 8).
const RUN_LIMIT: usize = 6;

/// The full-name dedupe key: first and last name, lower case, white space
/// collapsed to single spaces, joined as `"first last"`; just one of them when the other is
/// empty; `None` when both are empty. Idempotent: feeding the key back as the first name
/// gives the same key.
pub fn normalize_full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let mut out = String::new();
    for part in [first, last].into_iter().flatten() {
        for word in part.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Whether the name looks machine-made: `gibberish_reason(first, last).is_some()`.
pub fn is_gibberish(first: Option<&str>, last: Option<&str>) -> bool {
    gibberish_reason(first, last).is_some()
}

/// A short fixed reason when the name looks machine-made (see the module documentation for
/// the rules and the exact phrases), `None` for names that may be real.
pub fn gibberish_reason(first: Option<&str>, last: Option<&str>) -> Option<&'static str> {
    let verdicts = [first, last].map(|part| {
        let part = part.map(str::trim).filter(|p| !p.is_empty())?;
        Some(memo::memoized(&PARTS, part, part_verdict))
    });
    // Whole-part rules of every part come before the word rules of any part.
    let whole = verdicts.iter().flatten().find_map(|v| v.whole);
    whole.or_else(|| verdicts.iter().flatten().find_map(|v| v.word))
}

/// What the rules say of one trimmed, non-empty name part.
#[derive(Clone, Copy)]
struct PartVerdict {
    /// Rules 1-3 and 5 on the whole part ([`part_reason`]).
    whole: Option<&'static str>,
    /// Rules 4-8 on its first word that breaks one ([`word_reason`]).
    word: Option<&'static str>,
}

fn part_verdict(part: &str) -> PartVerdict {
    PartVerdict { whole: part_reason(part), word: part.split(|c: char| !(c.is_alphabetic() || is_combining(c))).find_map(word_reason) }
}

thread_local! {
    /// First and last names repeat heavily; see [`crate::memo`].
    static PARTS: memo::Table<PartVerdict> = Default::default();
}

#[rustfmt::skip]
const PLACEHOLDERS: &[&str] = &[
    "test", "testing", "test test", "test user", "testuser", "tester test", "dummy",
    "lorem", "ipsum", "lorem ipsum", "asdf", "qwerty", "foobar", "first name", "last name",
    "firstname", "lastname", "your name", "yourname", "no name", "noname", "abc", "abcd",
    "abcdef", "xyz", "azerty", "qwertz",
];

/// Rules 1-3 and the exact three-key walk of rule 5, on a whole part.
fn part_reason(part: &str) -> Option<&'static str> {
    if part.chars().any(|c| c.is_numeric() && !c.is_alphabetic()) {
        return Some(DIGITS);
    }
    if part.contains('@') {
        return Some(AT_SIGN);
    }
    let lower = part.to_lowercase();
    if lower.contains("://") || lower.contains("www.") {
        return Some(URL);
    }
    if part.contains(['_', '#', '$', '%', '^', '*', '=', '<', '>', '{', '}', '|', '\\', '~', '+', '`']) {
        return Some(SYMBOLS);
    }
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    if PLACEHOLDERS.contains(&collapsed.as_str()) {
        return Some(PLACEHOLDER);
    }
    if collapsed.len() == 3 && THREE_KEY_WALKS.contains(&collapsed.as_str()) {
        return Some(WALK);
    }
    None
}

/// A whole part equal to one of these is a walk (rule 5).
#[rustfmt::skip]
const THREE_KEY_WALKS: &[&str] = &[
    "asd", "sdf", "dfg", "fgh", "ghj", "hjk", "jkl", "dsa", "fds", "gfd", "hgf", "jhg",
    "kjh", "lkj", "zxc", "xcv", "cvb", "vbn", "bnm", "cxz", "vcx", "bvc", "nbv", "mnb", "qwe",
    "ewq",
];

/// Two adjacent QWERTY columns typed top-down or bottom-up (`qazwsx`).
#[rustfmt::skip]
const COLUMN_WALKS: &[&str] = &[
    "qazwsx", "wsxedc", "edcrfv", "rfvtgb", "tgbyhn", "yhnujm", "zaqxsw", "xswcde", "cdevfr",
    "vfrbgt", "bgtnhy", "nhymju",
];

/// Keyboard rows, forwards and backwards, with how many adjacent keys make a walk.
#[rustfmt::skip]
const ROWS: &[(&str, usize)] = &[
    ("qwertyuiop", 5),
    ("poiuytrewq", 5),
    ("asdfghjkl", 4),
    ("lkjhgfdsa", 4),
    ("qsdfghjklm", 4),
    ("mlkjhgfdsq", 4),
    ("zxcvbnm", 4),
    ("mnbvcxz", 4),
    ("yxcvbnm", 4),
    ("mnbvcxy", 4),
    ("wxcvbn", 4),
    ("nbvcxw", 4),
];

/// Rules 4-8 on one word.
fn word_reason(word: &str) -> Option<&'static str> {
    let chars: Vec<char> = word.chars().flat_map(char::to_lowercase).filter(|c| !is_combining(*c)).collect();
    if chars.is_empty() || is_roman_numeral(&chars) {
        return None;
    }
    let latin = chars.iter().all(|c| c.is_ascii_lowercase() || fold_latin(*c).is_some());
    let repeat_limit = if latin { 3 } else { 4 };
    if longest_repeat(&chars) >= repeat_limit {
        return Some(REPEATED);
    }
    if !latin {
        return None;
    }
    let mut folded = String::with_capacity(chars.len() + 2);
    for &c in &chars {
        if c.is_ascii_lowercase() {
            folded.push(c);
            continue;
        }
        match fold_latin(c) {
            Some(base) => folded.push_str(base),
            None => folded.push(c),
        }
    }
    if is_keyboard_walk(&folded) {
        return Some(WALK);
    }
    let units = sound_units(&folded);
    let run = longest_consonant_run(&units);
    if folded.len() >= 5 && folded.bytes().all(|b| b"asdfghjkl".contains(&b)) && run >= 4 {
        return Some(MASH);
    }
    let consonants = units.iter().filter(|u| !u.vowel).count();
    let arabic_abbreviation = consonants == 4 && folded.bytes().all(|b| b"bdfhjklmnqrstwz".contains(&b));
    if consonants >= 4 && consonants == units.len() && !arabic_abbreviation {
        return Some(NO_VOWELS);
    }
    if run >= RUN_LIMIT {
        return Some(CONSONANT_RUN);
    }
    None
}

/// Generation suffixes such as `III` or `IV` are not repeated letters.
fn is_roman_numeral(chars: &[char]) -> bool {
    const ROMAN: &[&str] = &["iii", "viii", "xiii", "xviii"];
    chars.len() <= 5 && ROMAN.iter().any(|r| r.chars().eq(chars.iter().copied()))
}

/// The longest run of one repeated character.
fn longest_repeat(chars: &[char]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev = None;
    for &c in chars {
        run = if Some(c) == prev { run + 1 } else { 1 };
        prev = Some(c);
        best = best.max(run);
    }
    best
}

/// Rule 5 on a folded lower-case ASCII word.
///
/// A row's keys are all different, so "the word contains `min` adjacent keys of the row" is
/// "the word has `min - 1` consecutive steps from a key to the next one in the row": one
/// pass per row instead of a substring search per window of the row.
fn is_keyboard_walk(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.len() >= 4 {
        for (r, (_, min)) in ROWS.iter().enumerate() {
            let next = &ROW_NEXT[r];
            let mut steps = 0;
            for w in bytes.windows(2) {
                steps = if w[0] < 128 && next[w[0] as usize] == w[1] && w[1] != 0 { steps + 1 } else { 0 };
                if steps + 1 >= *min {
                    return true;
                }
            }
        }
    }
    if bytes.len() >= 6 && COLUMN_WALKS.iter().any(|w| word.contains(w)) {
        return true;
    }
    // A three-key walk repeated: asdasd, jkljkl.
    if word.len() >= 6
        && word.len().is_multiple_of(3)
        && let Some(unit) = word.get(..3)
        && word.as_bytes().chunks(3).all(|c| c == unit.as_bytes())
    {
        return THREE_KEY_WALKS.contains(&unit) || ROWS.iter().any(|(row, _)| row.contains(unit));
    }
    false
}

/// For each row of [`ROWS`], the key after each ASCII key in that row (0 for none).
static ROW_NEXT: [[u8; 128]; ROWS.len()] = {
    let mut out = [[0u8; 128]; ROWS.len()];
    let mut r = 0;
    while r < ROWS.len() {
        let row = ROWS[r].0.as_bytes();
        let mut i = 0;
        while i + 1 < row.len() {
            out[r][row[i] as usize] = row[i + 1];
            i += 1;
        }
        r += 1;
    }
    out
};

/// Spellings of one consonant sound, longest first.
#[rustfmt::skip]
const CLUSTERS: &[&str] = &[
    "tsch", "sch", "str", "spr", "skr", "scr", "spl", "thr", "chr", "shr", "phr", "tch", "dzh",
    "dzs", "zsh", "ch", "sh", "th", "ph", "gh", "kh", "zh", "wh", "ck", "ng", "sz", "cz", "rz",
    "dz", "ts", "tz", "bh", "dh", "jh", "pf", "dj", "lj", "nj", "gn", "sc",
];

struct Unit {
    /// The single letter when the unit is one letter.
    letter: Option<u8>,
    vowel: bool,
}

/// Splits a folded ASCII word into sounds and marks the vowel-like ones.
fn sound_units(word: &str) -> Vec<Unit> {
    let bytes = word.as_bytes();
    let mut units = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if is_vowel(b) {
            units.push(Unit { letter: Some(b), vowel: true });
            i += 1;
            continue;
        }
        let rest = bytes.get(i..).unwrap_or(&[]);
        let cluster = CLUSTERS.iter().find(|c| c.as_bytes()[0] == b && rest.starts_with(c.as_bytes())).map(|c| c.len());
        let doubled = rest.get(1) == Some(&b);
        let len = cluster.unwrap_or(if doubled { 2 } else { 1 });
        units.push(Unit { letter: (len == 1).then_some(b), vowel: false });
        i += len;
    }
    // w between consonants (or at an edge next to one) is a vowel; so are r and l between
    // consonants.
    let consonant = |u: Option<&Unit>| u.is_none_or(|u| !u.vowel);
    let strict_consonant = |u: Option<&Unit>| u.is_some_and(|u| !u.vowel);
    let mut vowel_like = Vec::with_capacity(units.len());
    for (k, u) in units.iter().enumerate() {
        let prev = k.checked_sub(1).and_then(|p| units.get(p));
        let next = units.get(k + 1);
        let v = u.vowel
            || match u.letter {
                Some(b'w') => consonant(prev) && consonant(next),
                Some(b'r' | b'l') => strict_consonant(prev) && strict_consonant(next),
                _ => false,
            };
        vowel_like.push(v);
    }
    for (u, v) in units.iter_mut().zip(vowel_like) {
        u.vowel = v;
    }
    units
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

fn longest_consonant_run(units: &[Unit]) -> usize {
    let mut best = 0;
    let mut run = 0;
    for u in units {
        run = if u.vowel { 0 } else { run + 1 };
        best = best.max(run);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Real names that must not be flagged: (first, last).
    #[rustfmt::skip]
    const REAL: &[(&str, &str)] = &[
        // From the brief.
        ("Thi", "Nguyen"), ("Tomasz", "Przybylski"), ("Jan", "Chrzczonowicz"),
        ("Łukasz", "Szczepański"), ("Karl", "Schwarzschild"), ("Rhys", "Llwyd"), ("Kai", "Ng"),
        ("Conor", "O'Brien"), ("Pieter", "Van der Berg"), ("Xu", "Ming"), ("Olena", "Tkachenko"),
        ("Martin", "Ødegaard"), ("Chidi", "Nkemelu"), ("Kylian", "Mbappé"), ("Anna", "Wójcik"),
        ("Seán", "Ó Súilleabháin"), ("伟", "王"), ("Иван", "Иванов"), ("محمد", "علي"),
        ("Li", "Li"), ("Wu", "Wei"), ("Ng", "Ng"), ("Erik", "Ek"),
        // Short and vowel-less.
        ("Yi", "Xu"), ("Bo", "Yu"), ("An", "Le"), ("O", "Ng"), ("Kin", "Chng"), ("Hui", "Sng"),
        ("Jiří", "Vlk"), ("Petr", "Smrž"), ("Karel", "Čtvrtek"), ("Jan", "Chrt"), ("Zoë", "Krk"),
        ("Wm", "Jones"), ("Gwyn", "Cwm"), ("J.", "Smith"), ("A", "B"),
        // Central and Eastern Europe.
        ("Grzegorz", "Brzęczyszczykiewicz"), ("Krzysztof", "Strzelczyk"), ("Małgorzata", "Pszczółkowska"),
        ("Wojciech", "Szczygieł"), ("Przemysław", "Chrząszcz"), ("Zbigniew", "Wszołek"),
        ("Jarosław", "Kaczyński"), ("Agnieszka", "Grzybowska"), ("Bożena", "Zmrzlík"),
        ("Václav", "Strnad"), ("Jiřina", "Krčmářová"), ("Zdeněk", "Mrkvička"), ("Ľubomír", "Štrbský"),
        ("Dragan", "Srbljanović"), ("Mladen", "Krstić"), ("Vuk", "Drašković"), ("Tvrtko", "Mrkonjić"),
        ("Ágnes", "Szőke"), ("György", "Nagy"), ("Zsófia", "Gyöngyösi"), ("Mihai", "Țăranu"),
        ("Ștefan", "Popescu"), ("Hristo", "Stoichkov"), ("Yevhen", "Shcherbak"), ("Oleksandr", "Zinchenko"),
        ("Aleksandr", "Shchukin"), ("Mikhail", "Khodorkovsky"), ("Lāsma", "Bērziņa"), ("Gintarė", "Žemaitytė"),
        ("Kärt", "Tõnisson"),
        // German, Dutch, Nordic.
        ("Friedrich", "Nietzsche"), ("Jürgen", "Klinsmann"), ("Günther", "Hirschsprung"),
        ("Hans", "Oberschmidt"), ("Anja", "Kirchschläger"), ("Thomas", "Pfitzner"),
        ("Matthias", "Dürrschmidt"), ("Ursula", "Wolfeschlegelsteinhausenbergerdorff"),
        ("Joost", "Hendrickx"), ("Sanne", "Verschueren"), ("Gert-Jan", "van 't Hek"),
        ("Astrid", "Lindström"), ("Lars", "Bergström"), ("Ingrid", "Dahlström"), ("Nils", "Nordström"),
        ("Björn", "Almqvist"), ("Kjell", "Lundqvist"), ("Åsa", "Holmström"), ("Sigurður", "Þórðarson"),
        ("Hjalmar", "Ehrnrooth"), ("Mikko", "Häkkinen"), ("Søren", "Kierkegaard"), ("Bjørn", "Dæhlie"),
        ("Jens", "Engstrand"), ("Kristjan", "Järvi"),
        // Western Europe and the Americas.
        ("Siobhán", "Ní Bhriain"), ("Niamh", "MacGiolla Phádraig"), ("Ffion", "Rhydderch"),
        ("Llywelyn", "ap Gruffydd"), ("Gwenllian", "Bwlch"), ("Dafydd", "Llwyd"),
        ("Seamus", "Doherty"), ("Sinead", "Flaherty"), ("José", "García"), ("María José", "Núñez"),
        ("João", "Gonçalves"), ("Françoise", "Lefèvre"), ("Anaïs", "Rousseau"), ("Chloé", "Dubois"),
        ("Giovanni", "Schiaparelli"), ("Guðrún", "Björk"), ("Mary-Kate", "D'Arcy"),
        ("Jean-Luc", "Picard"), ("Juan", "de la Cruz"), ("Pedro", "Fernández-Armesto"),
        ("Iñaki", "Etxeberria"), ("Itziar", "Gorrotxategi"), ("Lluís", "Llach"), ("Núria", "Puigdemont"),
        // Africa.
        ("Ngozi", "Okonjo-Iweala"), ("Chimamanda", "Adichie"), ("Thabo", "Mbeki"), ("Nkosazana", "Dlamini-Zuma"),
        ("Sipho", "Ndlovu"), ("Zanele", "Mkhize"), ("Mpho", "Nkosi"), ("Kwame", "Nkrumah"),
        ("Nnamdi", "Azikiwe"), ("Uchenna", "Nwosu"), ("Oluwaseun", "Ogunleye"), ("Tshepo", "Mngadi"),
        ("Wanjiru", "Mwangi"), ("Abebe", "Bikila"), ("Tsegaye", "Kebede"), ("Mbali", "Ntuli"),
        ("Ngũgĩ", "wa Thiong'o"), ("Youssou", "N'Dour"), ("Aminata", "Traoré"), ("Moussa", "Diakhaté"),
        // Middle East, Caucasus, Central and South Asia.
        ("Mohamed", "Mohamed"), ("Ahmed", "Al-Farsi"), ("Fatima", "Haddad"), ("Layla", "Dalal"),
        ("Khalid", "Abdulrahman"), ("Yitzhak", "Shkolnik"), ("Tigran", "Mkrtchyan"),
        ("Armen", "Mkhitaryan"), ("Nino", "Tskhvaradze"), ("Giorgi", "Mchedlishvili"),
        ("Levan", "Chkheidze"), ("Davit", "Mtchedlidze"), ("Rustam", "Khudoyberdiyev"),
        ("Priya", "Jhunjhunwala"), ("Rajesh", "Bhattacharya"), ("Sanjay", "Jha"),
        ("Lakshmi", "Krishnamurthy"), ("Suresh", "Chakravarthy"), ("Deepika", "Padukone"),
        ("Arjun", "Shah"), ("Nandini", "Dhillon"), ("Gurpreet", "Khshatriya"),
        // East and South-east Asia (romanised).
        ("Huanhuan", "Zhang"), ("Tingting", "Wang"), ("Lingling", "Zhao"), ("Xiaoming", "Zhou"),
        ("Qiang", "Zhuang"), ("Yang", "Yang"), ("Jae-won", "Kim"), ("Seo-yeon", "Park"),
        ("Hiroshi", "Takahashi"), ("Shun", "Tsuchiya"), ("Thanh", "Trần"), ("Nguyễn", "Văn Anh"),
        ("Somchai", "Srisuk"), ("Kittipong", "Chaiyaphruek"), ("Siti", "Nurhaliza"), ("Wei Ling", "Ooi"),
        ("Kah Wai", "Tng"), ("Boon Kiat", "Png"),
        // Other scripts.
        ("Ольга", "Щербакова"), ("Владимир", "Здравствуйтеско"), ("Γιώργος", "Παπαδόπουλος"),
        ("דוד", "כהן"), ("अमित", "शर्मा"), ("สมชาย", "ใจดี"), ("健太", "佐藤"), ("서연", "박"),
        ("Ադամ", "Մկրտչյան"), ("გიორგი", "მჭედლიშვილი"), ("ሰላም", "ተስፋዬ"),
        // Double letters, doubled halves, particles, titles.
        ("Aaron", "Laaksonen"), ("Ooi", "Saari"), ("Nana", "Mensah"), ("Lulu", "Bebe"),
        ("Jojo", "Kiki"), ("Bonbon", "Tintin"), ("Mary", "Smith-Jones"), ("Anne", "St. John"),
        ("Robert", "Smith III"), ("John", "Doe Jr."), ("Dr. Emily", "Brown"), ("Maria", "dos Santos"),
        ("Ludwig", "van Beethoven"), ("Charles", "de Gaulle"), ("Ali", "bin Abdullah"),
        ("Mary & John", "Smith"), ("Unknown", "Unknown"), ("[not provided]", "Smith"),
        ("Mhmd", "Rhmn"), ("Mhmmd", "Lhsn"), ("Mstf", "Bndr"),
        ("Morten", "Hertzum"), ("Anna", "Wertz"), ("Paul", "Wilwertz"), ("Treza", "Ewertz"),
        ("N/A", "Miller"), ("Jos?", "Garc?a"),
    ];

    /// Machine-made names that must be flagged: (first, last).
    #[rustfmt::skip]
    const GIBBERISH: &[(&str, &str)] = &[
        ("asdf", "asdf"), ("qwerty", "Smith"), ("sdfsdf", "sdfsdf"), ("jjjj", "Doe"),
        ("John", "xkcdqz"), ("hjkl", "Jones"), ("asdkjh", "asdkjh"), ("zxcvb", "Brown"),
        ("Test123", "User"), ("aaaa", "bbbb"), ("qwertz", "Müller"), ("azerty", "Dupont"),
        ("Mary", "zxcv"), ("dfghj", "Lee"), ("lkjh", "Kim"), ("fdsa", "Wong"), ("poiuy", "Lopez"),
        ("mnbv", "Clark"), ("xcvbn", "Hall"), ("asdasd", "Green"), ("qweqwe", "Young"),
        ("zxczxc", "King"), ("bcdfgh", "Wright"), ("xxxx", "Scott"), ("John", "zzzzz"),
        ("john123", "smith"), ("user1", "user2"), ("Test", "Test"), ("Test", "User"),
        ("asd@mail.com", "Smith"), ("Visit http://spam.example", "Now"), ("www.casino.example", "Win"),
        ("Mary_Smith", "Smith"), ("dkfjgh", "Miller"), ("hgfd", "Baker"), ("ghjkl", "Adams"),
        ("jkljkl", "Nelson"), ("wxcvbn", "Martin"), ("trewq", "Evans"), ("lkjhg", "Turner"),
        ("qazwsx", "Parker"), ("sdkfjh", "Collins"), ("kjhkjh", "Edwards"), ("aksjdh", "Stewart"),
        ("fjfjfj", "Morris"), ("dfdfdf", "Rogers"), ("Lorem", "Ipsum"), ("asd", "Reed"),
        ("Anna", "zxc"), ("John$", "Cook"), ("<script>", "Bell"), ("Jack", "Bailey1"),
        ("Bob", "qqq"), ("xkcd", "Cooper"), ("Qxzvbk", "Smith"), ("Ивааааан", "Петров"),
        ("First Name", "Last Name"), ("Dummy", "Lead"), ("Jöhn", "Smïthhh"),
    ];

    #[test]
    fn real_names_are_not_flagged() {
        assert!(REAL.len() >= 150, "{} real names", REAL.len());
        let flagged: Vec<String> =
            REAL.iter().filter_map(|(f, l)| gibberish_reason(Some(f), Some(l)).map(|r| format!("{f} {l}: {r}"))).collect();
        assert!(flagged.is_empty(), "false positives:\n{}", flagged.join("\n"));
    }

    #[test]
    fn gibberish_is_flagged() {
        assert!(GIBBERISH.len() >= 30);
        let missed: Vec<String> =
            GIBBERISH.iter().filter(|(f, l)| !is_gibberish(Some(f), Some(l))).map(|(f, l)| format!("{f} {l}")).collect();
        assert!(missed.is_empty(), "not flagged:\n{}", missed.join("\n"));
    }

    #[test]
    fn reasons() {
        let r = |f: &str, l: &str| gibberish_reason(Some(f), Some(l));
        assert_eq!(r("Test123", "User"), Some(DIGITS));
        assert_eq!(r("a@b.com", "x"), Some(AT_SIGN));
        assert_eq!(r("www.x.example", "Smith"), Some(URL));
        assert_eq!(r("Mary_Smith", "x"), Some(SYMBOLS));
        assert_eq!(r("Test", "Smith"), Some(PLACEHOLDER));
        assert_eq!(r("Jjjj", "Smith"), Some(REPEATED));
        assert_eq!(r("Asdf", "Smith"), Some(PLACEHOLDER));
        assert_eq!(r("Asdfg", "Smith"), Some(WALK));
        assert_eq!(r("Jane", "Hjkl"), Some(WALK));
        assert_eq!(r("Aksjdh", "Smith"), Some(MASH));
        assert_eq!(r("Xkcd", "Smith"), Some(NO_VOWELS));
        assert_eq!(r("Jane", "Xkcdqzb"), Some(NO_VOWELS));
        assert_eq!(r("Abcdfjkmo", "Smith"), Some(CONSONANT_RUN));
        assert_eq!(r("Robert", "Smith III"), None);
        assert_eq!(r("Jane", "Smith"), None);
        assert_eq!(gibberish_reason(None, None), None);
        assert_eq!(gibberish_reason(Some("  "), Some("")), None);
        assert_eq!(gibberish_reason(None, Some("qwerty")), Some(PLACEHOLDER));
        assert_eq!(gibberish_reason(Some("Zxcvb"), None), Some(WALK));
    }

    #[test]
    fn full_name_key() {
        let n = normalize_full_name;
        assert_eq!(n(Some("  Mary  Ann "), Some(" SMITH ")).as_deref(), Some("mary ann smith"));
        assert_eq!(n(Some("Jürgen"), Some("Müller")).as_deref(), Some("jürgen müller"));
        assert_eq!(n(Some("Jane"), None).as_deref(), Some("jane"));
        assert_eq!(n(None, Some("Doe")).as_deref(), Some("doe"));
        assert_eq!(n(Some(""), Some("Doe")).as_deref(), Some("doe"));
        assert_eq!(n(Some("Jane\t"), Some("\nDoe")).as_deref(), Some("jane doe"));
        assert_eq!(n(Some("  "), Some("")), None);
        assert_eq!(n(None, None), None);
    }

    /// The substring-search form of rule 5 that [`is_keyboard_walk`] replaces.
    fn keyboard_walk_reference(word: &str) -> bool {
        if word.len() >= 4 {
            for (row, min) in ROWS {
                let windows = row.len().saturating_sub(*min) + 1;
                for start in 0..windows {
                    if row.get(start..start + min).is_some_and(|walk| word.contains(walk)) {
                        return true;
                    }
                }
            }
        }
        if COLUMN_WALKS.iter().any(|w| word.contains(w)) {
            return true;
        }
        if word.len() >= 6
            && word.len().is_multiple_of(3)
            && let Some(unit) = word.get(..3)
            && word.as_bytes().chunks(3).all(|c| c == unit.as_bytes())
        {
            return THREE_KEY_WALKS.contains(&unit) || ROWS.iter().any(|(row, _)| row.contains(unit));
        }
        false
    }

    #[test]
    fn keyboard_walks_match_the_substring_search() {
        for (row, _) in ROWS {
            for start in 0..row.len() {
                for end in start..=row.len() {
                    for word in [&row[start..end], &format!("x{}y", &row[start..end])] {
                        assert_eq!(is_keyboard_walk(word), keyboard_walk_reference(word), "{word}");
                    }
                }
            }
        }
    }

    /// The rules applied without the memo and in the order the module documents: whole-part
    /// rules on each part, then word rules on each word of each part.
    fn gibberish_reference(first: Option<&str>, last: Option<&str>) -> Option<&'static str> {
        let parts: Vec<&str> = [first, last].into_iter().flatten().map(str::trim).filter(|p| !p.is_empty()).collect();
        parts
            .iter()
            .find_map(|p| part_reason(p))
            .or_else(|| parts.iter().flat_map(|p| p.split(|c: char| !(c.is_alphabetic() || is_combining(c)))).find_map(word_reason))
    }

    proptest! {
        #[test]
        fn memoised_answers_equal_the_rules(
            first in prop::sample::select(vec!["Anna", "asdf", "Xkcdqwrt", "7eve", " Jo ", "", "Łukasz", "aaaa", "Mary-Jane"]),
            last in "[a-zA-Zł ' -]{0,10}|qwerty|www.x|Bbbbb",
        ) {
            // Twice, so the second answer comes from the memo.
            for _ in 0..2 {
                prop_assert_eq!(gibberish_reason(Some(first), Some(&last)), gibberish_reference(Some(first), Some(&last)));
                prop_assert_eq!(gibberish_reason(Some(&last), Some(first)), gibberish_reference(Some(&last), Some(first)));
                prop_assert_eq!(gibberish_reason(None, Some(&last)), gibberish_reference(None, Some(&last)));
            }
        }

        #[test]
        fn keyboard_walk_equals_reference(word in "[qwertyuiopasdfghjklzxcvbnm]{0,12}", near in "[asdfghjklqwertzxcvbn]{0,10}") {
            prop_assert_eq!(is_keyboard_walk(&word), keyboard_walk_reference(&word));
            prop_assert_eq!(is_keyboard_walk(&near), keyboard_walk_reference(&near));
        }

        #[test]
        fn no_panic_on_arbitrary_strings(first in "\\PC*", last in "\\PC*") {
            let _ = gibberish_reason(Some(&first), Some(&last));
            let _ = gibberish_reason(Some(&first), None);
            if let Some(key) = normalize_full_name(Some(&first), Some(&last)) {
                prop_assert_eq!(normalize_full_name(Some(&key), None), Some(key.clone()));
                prop_assert_eq!(normalize_full_name(None, Some(&key)), Some(key.clone()));
                prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
            }
        }

        #[test]
        fn case_does_not_matter(first in "[a-zA-Z' -]{0,12}", last in "[a-zA-Z' -]{0,12}") {
            prop_assert_eq!(
                gibberish_reason(Some(&first.to_uppercase()), Some(&last.to_uppercase())),
                gibberish_reason(Some(&first.to_lowercase()), Some(&last.to_lowercase())),
            );
        }
    }
}
