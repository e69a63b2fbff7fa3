//! A labelled duplicate set for measuring the matcher: clean people (international names in
//! their own scripts, companies with legal forms, IDN and long-tail domains, postal
//! addresses as custom columns) and corrupted copies of some of them, with the truth.
//!
//! Corruptions are the ones seen in CRMs: typos (substitution, insertion, deletion),
//! transpositions, nicknames ("Bob" for Robert), initials ("R."), accents dropped, names in
//! another script (Cyrillic or Han transliterated), swapped first and last names, company
//! legal forms and punctuation ("Acme Inc." / "ACME, Inc"), another address (work vs
//! personal, gmail dots and +tags), phones in national or international format, street
//! abbreviations, missing values. Hard negatives are built in: colleagues with the same
//! family name, family members at the same address, and namesakes elsewhere.

use leadrank_core::Lead;

/// A deterministic SplitMix64 generator (no dependency, same numbers everywhere).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, s: &[T]) -> T {
        s[self.below(s.len())]
    }
}

struct Culture {
    country: &'static str,
    country_name: &'static str,
    first: &'static [&'static str],
    last: &'static [&'static str],
    /// (city, postcode prefix)
    cities: &'static [(&'static str, &'static str)],
    /// (street name, long type, short type, type before the name)
    streets: &'static [&'static str],
    street_type: (&'static str, &'static str, bool),
    tlds: &'static [&'static str],
    legal: &'static [&'static str],
    phone_cc: &'static str,
    weight: usize,
}

const CULTURES: &[Culture] = &[
    Culture {
        country: "US",
        country_name: "United States",
        first: &[
            "Robert",
            "William",
            "Elizabeth",
            "Katherine",
            "Michael",
            "James",
            "Richard",
            "Thomas",
            "Jennifer",
            "Margaret",
            "Christopher",
            "Daniel",
            "Joseph",
            "Anthony",
            "Patricia",
            "Susan",
            "Nicholas",
            "Benjamin",
            "Samuel",
            "Jonathan",
            "Matthew",
            "Andrew",
            "Steven",
            "Timothy",
            "Rebecca",
            "Victoria",
            "Emily",
            "Ashley",
            "Tyler",
            "Brandon",
            "Olivia",
            "Joshua",
            "Jessica",
            "Kenneth",
            "Deborah",
            "Gregory",
        ],
        last: &[
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore",
            "Jackson", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
            "Scott", "Hill", "Green", "Adams", "Baker", "O'Brien", "McDonald", "Nelson", "Carter", "Mitchell", "Roberts",
        ],
        cities: &[("New York", "100"), ("Chicago", "606"), ("Austin", "787"), ("Seattle", "981"), ("Boston", "021"), ("Denver", "802")],
        streets: &["Main", "Oak", "Maple", "Cedar", "Washington", "Lake", "Hill", "Park", "Pine", "Elm", "Sunset", "River"],
        street_type: ("Street", "St.", false),
        tlds: &["com", "com", "io", "us", "consulting", "technology", "app"],
        legal: &["Inc.", "LLC", "Corp.", "Inc", "Corporation"],
        phone_cc: "1",
        weight: 30,
    },
    Culture {
        country: "GB",
        country_name: "United Kingdom",
        first: &[
            "Oliver",
            "George",
            "Harry",
            "Amelia",
            "Isla",
            "Charlotte",
            "Edward",
            "Eleanor",
            "Frances",
            "Patrick",
            "Philip",
            "Henry",
            "Charles",
            "Abigail",
            "Sarah",
            "Lawrence",
        ],
        last: &[
            "Smith", "Jones", "Taylor", "Brown", "Evans", "Wilson", "Davies", "Thomas", "Roberts", "Walker", "Wright", "Hughes", "Edwards",
            "Green", "Hall", "Wood", "Clarke", "Turner",
        ],
        cities: &[("London", "EC1A"), ("Manchester", "M1"), ("Leeds", "LS1"), ("Bristol", "BS1"), ("Edinburgh", "EH1")],
        streets: &["High", "Station", "Church", "Victoria", "Green", "Manor", "Kings", "Queens"],
        street_type: ("Road", "Rd", false),
        tlds: &["co.uk", "co.uk", "com", "london", "uk"],
        legal: &["Ltd", "Limited", "PLC", "Ltd."],
        phone_cc: "44",
        weight: 10,
    },
    Culture {
        country: "DE",
        country_name: "Germany",
        first: &[
            "Jürgen",
            "Klaus",
            "Wolfgang",
            "Stefan",
            "Andreas",
            "Matthias",
            "Sabine",
            "Ursula",
            "Katharina",
            "Johannes",
            "Friedrich",
            "Heinrich",
            "Lukas",
            "Lena",
            "Jörg",
            "Günter",
            "Björn",
            "Jürgen",
        ],
        last: &[
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
            "Schäfer",
            "Koch",
            "Bauer",
            "Richter",
            "Klein",
            "Wolf",
            "Schröder",
            "Neumann",
            "Schwarz",
            "Zimmermann",
            "Braun",
            "Krüger",
            "Hofmann",
            "Hartmann",
            "Lange",
            "Weiß",
        ],
        cities: &[
            ("Berlin", "101"),
            ("München", "803"),
            ("Hamburg", "200"),
            ("Köln", "506"),
            ("Frankfurt am Main", "603"),
            ("Düsseldorf", "402"),
        ],
        streets: &["Haupt", "Bahnhof", "Schul", "Garten", "Linden", "Berg", "Kirch", "Wald", "Goethe", "Schiller"],
        street_type: ("straße", "str.", false),
        tlds: &["de", "de", "com", "berlin", "gmbh"],
        legal: &["GmbH", "AG", "GmbH & Co. KG", "SE"],
        phone_cc: "49",
        weight: 10,
    },
    Culture {
        country: "FR",
        country_name: "France",
        first: &[
            "Jean",
            "Pierre",
            "François",
            "Hélène",
            "Chloé",
            "Mathieu",
            "Nicolas",
            "Guillaume",
            "Amélie",
            "Sébastien",
            "Élodie",
            "Stéphane",
            "Renée",
            "Thérèse",
            "Céline",
            "Benoît",
        ],
        last: &[
            "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
            "Lefèvre", "Michel", "Garcia", "Fournier", "Girard", "Mercier", "Dupont", "Lambert",
        ],
        cities: &[("Paris", "750"), ("Lyon", "690"), ("Marseille", "130"), ("Toulouse", "310"), ("Nantes", "440")],
        streets: &["Victor Hugo", "de la République", "Pasteur", "Jean Jaurès", "des Lilas", "du Moulin"],
        street_type: ("rue", "r.", true),
        tlds: &["fr", "fr", "com", "paris", "eu"],
        legal: &["SA", "SAS", "SARL", "S.A."],
        phone_cc: "33",
        weight: 8,
    },
    Culture {
        country: "ES",
        country_name: "Spain",
        first: &[
            "José",
            "María",
            "Juan",
            "Francisco",
            "Alejandro",
            "Guillermo",
            "Lucía",
            "Sofía",
            "Javier",
            "Íñigo",
            "Begoña",
            "Andrés",
            "Inés",
        ],
        last: &[
            "García",
            "Rodríguez",
            "González",
            "Fernández",
            "López",
            "Martínez",
            "Sánchez",
            "Pérez",
            "Gómez",
            "Jiménez",
            "Ruiz",
            "Hernández",
            "Díaz",
            "Muñoz",
            "García Márquez",
            "Álvarez",
            "Romero",
            "Núñez",
        ],
        cities: &[("Madrid", "280"), ("Barcelona", "080"), ("Sevilla", "410"), ("Valencia", "460"), ("Málaga", "290")],
        streets: &["Mayor", "de Alcalá", "Gran Vía", "Serrano", "del Sol", "de la Paz"],
        street_type: ("Calle", "C/", true),
        tlds: &["es", "com", "cat", "es"],
        legal: &["S.L.", "S.A.", "SL"],
        phone_cc: "34",
        weight: 7,
    },
    Culture {
        country: "DK",
        country_name: "Denmark",
        first: &["Søren", "Bjørn", "Åse", "Lars", "Ingrid", "Jens", "Mette", "Anders", "Sigrid", "Øyvind", "Mads", "Freja"],
        last: &[
            "Ødegaard",
            "Hansen",
            "Johansen",
            "Nielsen",
            "Lindqvist",
            "Andersen",
            "Pedersen",
            "Bjørnstad",
            "Åberg",
            "Larsen",
            "Sørensen",
            "Kjær",
        ],
        cities: &[("København", "10"), ("Aarhus", "80"), ("Odense", "50"), ("Aalborg", "90")],
        streets: &["Nørre", "Vester", "Øster", "Strand", "Kongens", "Skov"],
        street_type: ("gade", "g.", false),
        tlds: &["dk", "com", "eu"],
        legal: &["A/S", "ApS"],
        phone_cc: "45",
        weight: 5,
    },
    Culture {
        country: "PL",
        country_name: "Poland",
        first: &["Łukasz", "Małgorzata", "Wojciech", "Agnieszka", "Krzysztof", "Paweł", "Katarzyna", "Piotr", "Zofia", "Michał"],
        last: &["Wiśniewski", "Kowalski", "Nowak", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski"],
        cities: &[("Warszawa", "00-"), ("Kraków", "30-"), ("Gdańsk", "80-"), ("Wrocław", "50-")],
        streets: &["Marszałkowska", "Długa", "Piękna", "Polna", "Leśna"],
        street_type: ("ulica", "ul.", true),
        tlds: &["pl", "com.pl", "com"],
        legal: &["Sp. z o.o.", "S.A."],
        phone_cc: "48",
        weight: 5,
    },
    Culture {
        country: "VN",
        country_name: "Vietnam",
        first: &["An", "Bình", "Cường", "Dũng", "Hương", "Lan", "Minh", "Thảo", "Tuấn", "Hằng"],
        last: &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi"],
        cities: &[("Hà Nội", "100"), ("Hồ Chí Minh", "700"), ("Đà Nẵng", "550")],
        streets: &["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng"],
        street_type: ("Đường", "Đ.", true),
        tlds: &["vn", "com.vn", "com"],
        legal: &["Co., Ltd.", "JSC"],
        phone_cc: "84",
        weight: 4,
    },
    Culture {
        country: "RU",
        country_name: "Russia",
        first: &["Иван", "Дмитрий", "Екатерина", "Ольга", "Сергей", "Анна", "Алексей", "Наталья", "Михаил", "Татьяна"],
        last: &["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов"],
        cities: &[("Москва", "101"), ("Санкт-Петербург", "190"), ("Казань", "420")],
        streets: &["Тверская", "Арбат", "Невский", "Садовая"],
        street_type: ("улица", "ул.", true),
        tlds: &["ru", "рф", "com"],
        legal: &["ООО", "LLC", "АО"],
        phone_cc: "7",
        weight: 4,
    },
    Culture {
        country: "CN",
        country_name: "China",
        first: &["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳"],
        last: &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"],
        cities: &[("北京", "100"), ("上海", "200"), ("深圳", "518")],
        streets: &["长安", "南京", "中山", "人民"],
        street_type: ("路", "路", false),
        tlds: &["cn", "com.cn", "com"],
        legal: &["Co., Ltd.", "有限公司"],
        phone_cc: "86",
        weight: 4,
    },
    Culture {
        country: "JP",
        country_name: "Japan",
        first: &["Hiroshi", "Yuki", "Takeshi", "Akiko", "Haruto", "Sakura", "Kenji", "Yōko", "Shōta", "Emi"],
        last: &["Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Nakamura", "Kobayashi", "Katō"],
        cities: &[("Tōkyō", "100-"), ("Ōsaka", "530-"), ("Kyōto", "600-")],
        streets: &["Ginza", "Shibuya", "Umeda", "Shijō"],
        street_type: ("dōri", "dori", false),
        tlds: &["co.jp", "jp", "com", "tokyo"],
        legal: &["K.K.", "Co., Ltd.", "Kabushiki Kaisha"],
        phone_cc: "81",
        weight: 4,
    },
];

const BRANDS: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Wonka",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Bluepeak",
    "Meridian",
    "Nordwind",
    "Sternberg",
    "Lumière",
    "Solaris",
    "Aurora",
    "Vertex",
    "Pinnacle",
    "Cascade",
    "Zenith",
    "Helios",
    "Orion",
    "Atlas",
    "Falcon",
    "Summit",
    "Crescent",
    "Harbor",
    "Ironwood",
    "Keystone",
    "Quantum",
    "Nimbus",
    "Polaris",
    "Everest",
    "Sequoia",
    "Redwood",
    "Granite",
    "Cobalt",
    "Saffron",
    "Juniper",
    "Osprey",
    "Tundra",
];
const INDUSTRY: &[&str] =
    &["Analytics", "Health", "Capital", "Logistics", "Software", "Systems", "Labs", "Foods", "Energy", "Media", "Robotics", "Insurance"];
const FREE_MAIL: &[&str] =
    &["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "gmx.de", "orange.fr", "mail.ru", "qq.com", "yandex.ru", "web.de"];

/// The labelled set: leads (custom columns `street`, `city`, `postcode`) and, for each lead,
/// the id of the person it is.
#[derive(Debug, Clone, Default)]
pub struct LabelledSet {
    pub leads: Vec<Lead>,
    pub truth: Vec<u32>,
}

#[derive(Clone)]
struct Company {
    brand: String,
    legal: &'static str,
    domain: String,
}

#[derive(Clone)]
struct Person {
    culture: usize,
    first: String,
    last: String,
    company: usize,
    street: String,
    number: u32,
    city: usize,
    postcode: String,
    phone: Option<String>,
    email: Option<String>,
}

fn ascii_lower(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.below(10) as u8)).collect()
}

/// Generates `people` distinct people and their duplicates (about 0.6 duplicates per
/// person on average; 40% of people have at least one).
pub fn generate(people: usize, seed: u64) -> LabelledSet {
    let mut rng = Rng::new(seed);
    let total_weight: usize = CULTURES.iter().map(|c| c.weight).sum();
    let pick_culture = |rng: &mut Rng| {
        let mut x = rng.below(total_weight);
        for (i, c) in CULTURES.iter().enumerate() {
            if x < c.weight {
                return i;
            }
            x -= c.weight;
        }
        0
    };
    // Companies: one per 6 people, per culture.
    let n_companies = (people / 6).max(4);
    let mut companies: Vec<(usize, Company)> = Vec::with_capacity(n_companies);
    for i in 0..n_companies {
        let c = pick_culture(&mut rng);
        let cu = &CULTURES[c];
        let brand = format!("{} {}", rng.pick(BRANDS), rng.pick(INDUSTRY));
        let tld = rng.pick(cu.tlds);
        let domain = format!("{}{}.{}", ascii_lower(&brand), i, tld);
        companies.push((c, Company { brand, legal: rng.pick(cu.legal), domain }));
    }
    let mut persons: Vec<Person> = Vec::with_capacity(people);
    for _ in 0..people {
        let r = rng.below(100);
        let base = if r < 5 && !persons.is_empty() {
            // Family member: same family name and address, another first name.
            let mut p = persons[rng.below(persons.len())].clone();
            let cu = &CULTURES[p.culture];
            let mut f = rng.pick(cu.first).to_string();
            if f == p.first {
                f = cu.first[(cu.first.iter().position(|x| *x == f).unwrap_or(0) + 1) % cu.first.len()].to_string();
            }
            p.first = f;
            p.company = rng.below(companies.len());
            p.phone = None;
            p.email = None;
            p
        } else if r < 8 && !persons.is_empty() {
            // Namesake: same name, different everything else.
            let other = persons[rng.below(persons.len())].clone();
            let mut p = new_person(&mut rng, other.culture, &companies, pick_culture);
            p.first = other.first;
            p.last = other.last;
            p
        } else {
            let c = pick_culture(&mut rng);
            new_person(&mut rng, c, &companies, pick_culture)
        };
        let mut p = base;
        if p.phone.is_none() && rng.chance(0.7) {
            p.phone = Some(format!("+{} {} {}", CULTURES[p.culture].phone_cc, digits(&mut rng, 3), digits(&mut rng, 6)));
        }
        if p.email.is_none() && rng.chance(0.85) {
            let dom = &companies[p.company].1.domain;
            let (f, l) = (ascii_lower(&p.first), ascii_lower(&p.last));
            p.email = Some(match rng.below(5) {
                0 => format!("{f}.{l}@{dom}"),
                1 => format!("{}{l}@{dom}", f.chars().next().unwrap_or('x')),
                2 => format!("{f}@{dom}"),
                3 => format!("{f}.{l}{}@{}", rng.below(100), rng.pick(FREE_MAIL)),
                _ => format!("{f}{l}@{}", rng.pick(FREE_MAIL)),
            });
        }
        persons.push(p);
    }
    let mut set = LabelledSet::default();
    let mut next_id = 0usize;
    let mut push = |set: &mut LabelledSet, lead: Lead, who: usize| {
        next_id += 1;
        let mut lead = lead;
        lead.lead_id = format!("R{next_id:07}");
        set.leads.push(lead);
        set.truth.push(who as u32);
    };
    let mut pending: Vec<(usize, u64)> = Vec::new();
    for (who, p) in persons.iter().enumerate() {
        let lead = render(p, &companies, &mut rng, false);
        push(&mut set, lead, who);
        let dups = match rng.below(100) {
            0..=26 => 1,
            27..=35 => 2,
            36..=39 => 3,
            _ => 0,
        };
        for _ in 0..dups {
            pending.push((who, rng.next_u64()));
        }
    }
    // Duplicates come later in the file, in a scrambled order.
    pending.sort_by_key(|&(_, k)| k);
    for (who, _) in pending {
        let lead = render(&persons[who], &companies, &mut rng, true);
        push(&mut set, lead, who);
    }
    set
}

fn new_person(rng: &mut Rng, culture: usize, companies: &[(usize, Company)], _pick: impl Fn(&mut Rng) -> usize) -> Person {
    let cu = &CULTURES[culture];
    // Prefer a company of the same culture.
    let mut company = rng.below(companies.len());
    for _ in 0..8 {
        if companies[company].0 == culture {
            break;
        }
        company = rng.below(companies.len());
    }
    let city = rng.below(cu.cities.len());
    Person {
        culture,
        first: rng.pick(cu.first).to_string(),
        last: rng.pick(cu.last).to_string(),
        company,
        street: rng.pick(cu.streets).to_string(),
        number: 1 + rng.below(240) as u32,
        city,
        postcode: format!("{}{}", cu.cities[city].1, digits(rng, 2)),
        phone: None,
        email: None,
    }
}

fn typo(rng: &mut Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 3 {
        return s.to_string();
    }
    let i = 1 + rng.below(c.len() - 2);
    match rng.below(4) {
        0 => c[i] = char::from(b'a' + rng.below(26) as u8),
        1 => {
            c.remove(i);
        }
        2 => c.insert(i, c[i]),
        _ => c.swap(i, i + 1),
    }
    c.into_iter().collect()
}

fn translit(s: &str) -> String {
    let t = deunicode::deunicode(s);
    let mut out = String::new();
    for (i, w) in t.split(' ').filter(|w| !w.is_empty()).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut ch = w.chars();
        if let Some(f) = ch.next() {
            out.extend(f.to_uppercase());
            out.push_str(&ch.as_str().to_lowercase());
        }
    }
    out
}

fn render(p: &Person, companies: &[(usize, Company)], rng: &mut Rng, corrupt: bool) -> Lead {
    let cu = &CULTURES[p.culture];
    let co = &companies[p.company].1;
    let mut first = p.first.clone();
    let mut last = p.last.clone();
    let mut company = Some(format!("{} {}", co.brand, co.legal));
    let mut domain = Some(co.domain.clone());
    let mut email = p.email.clone();
    let mut phone = p.phone.clone();
    let mut country = Some(cu.country.to_string());
    let (long, short, before) = cu.street_type;
    let street_of = |t: &str| if before { format!("{} {t} {}", p.number, p.street) } else { format!("{} {}{t}", p.number, p.street) };
    let mut street = Some(street_of(long));
    let mut city = Some(cu.cities[p.city].0.to_string());
    let mut postcode = Some(p.postcode.clone());
    if rng.chance(0.3) {
        domain = None;
    }
    if corrupt {
        let non_latin = !p.first.is_ascii()
            && deunicode::deunicode(&p.first) != p.first
            && !p.first.chars().any(|c| c.is_alphabetic() && (c as u32) < 0x250);
        if non_latin && rng.chance(0.4) {
            first = translit(&first);
            last = translit(&last);
        }
        let f = crate::text::fold(&first);
        let group = crate::text::canonical_first_name(&f);
        let r = rng.below(100);
        if r < 18 && group != f {
            first = translit(group);
        } else if r < 26 {
            first = format!("{}.", first.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default());
        } else if r < 36 {
            first = typo(rng, &first);
        } else if r < 46 {
            first = deunicode::deunicode(&first);
        } else if r < 49 {
            first = String::new();
        }
        let r = rng.below(100);
        if r < 18 {
            last = typo(rng, &last);
        } else if r < 30 {
            last = deunicode::deunicode(&last);
        } else if r < 36 {
            last = last.to_uppercase();
        } else if r < 40
            && let Some((a, _)) = last.split_once(' ')
        {
            last = a.to_string();
        }
        if rng.chance(0.02) {
            std::mem::swap(&mut first, &mut last);
        }
        email = match rng.below(100) {
            0..=39 => email,
            40..=54 => email.map(|e| {
                if rng.chance(0.5) {
                    e.to_uppercase()
                } else if let Some((l, d)) = e.split_once('@') {
                    if d == "gmail.com" {
                        format!("{}+crm@googlemail.com", l.replace('.', ""))
                    } else {
                        format!("{l}@{}", d.to_uppercase())
                    }
                } else {
                    e
                }
            }),
            55..=79 => {
                let (f, l) = (ascii_lower(&p.first), ascii_lower(&p.last));
                Some(if email.as_deref().is_some_and(|e| e.ends_with(&co.domain)) {
                    format!("{f}{l}{}@{}", rng.below(1000), rng.pick(FREE_MAIL))
                } else {
                    format!("{f}.{l}@{}", co.domain)
                })
            }
            _ => None,
        };
        phone = match rng.below(100) {
            0..=39 => phone.map(|ph| {
                let d: String = ph.chars().filter(char::is_ascii_digit).collect();
                let national = &d[cu.phone_cc.len().min(d.len())..];
                if cu.phone_cc == "1" {
                    format!("({}) {}-{}", &national[..3], &national[3..6], &national[6..])
                } else {
                    format!("0{national}")
                }
            }),
            40..=59 => phone,
            _ => None,
        };
        company = match rng.below(100) {
            0..=19 => company,
            20..=39 => Some(co.brand.clone()),
            40..=54 => Some(format!("{}, {}", co.brand.to_uppercase(), co.legal.trim_end_matches('.'))),
            55..=64 => Some(co.brand.to_lowercase()),
            65..=74 => Some(typo(rng, &co.brand)),
            75..=84 => Some(format!("The {} {}", co.brand, co.legal)),
            _ => None,
        };
        if let Some(d) = domain.take() {
            domain = match rng.below(3) {
                0 => Some(format!("https://www.{d}/about")),
                1 => Some(d),
                _ => None,
            };
        }
        country = match rng.below(10) {
            0..=5 => country,
            6..=7 => Some(cu.country_name.to_string()),
            8 => Some(cu.country.to_lowercase()),
            _ => None,
        };
        street = match rng.below(10) {
            0..=3 => Some(street_of(short)),
            4 => street.map(|s| typo(rng, &s)),
            5 => None,
            _ => street,
        };
        if rng.chance(0.1) {
            city = city.map(|c| deunicode::deunicode(&c));
        } else if rng.chance(0.1) {
            city = None;
        }
        if rng.chance(0.1) {
            postcode = None;
        }
    }
    let opt = |s: String| (!s.trim().is_empty()).then(|| s.into_boxed_str());
    let mut custom = Vec::new();
    for (k, v) in [("street", street), ("city", city), ("postcode", postcode)] {
        if let Some(v) = v {
            custom.push((k.to_string(), v));
        }
    }
    Lead {
        lead_id: String::new(),
        email: email.map(Into::into),
        first_name: opt(first),
        last_name: opt(last),
        company: company.map(Into::into),
        domain: domain.map(Into::into),
        country: country.map(Into::into),
        phone: phone.map(Into::into),
        custom,
        ..Lead::default()
    }
}

/// Precision, recall and F1 of the pairs implied by predicted clusters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PairMetrics {
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub true_positives: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Scores clusters against the truth (`truth[i]` is the person of record `i`): every pair of
/// records in one predicted cluster is a predicted duplicate pair.
pub fn pair_metrics(truth: &[u32], clusters: &[Vec<u32>]) -> PairMetrics {
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut by_person: rustc_hash::FxHashMap<u32, u64> = rustc_hash::FxHashMap::default();
    for &t in truth {
        *by_person.entry(t).or_default() += 1;
    }
    let true_pairs: u64 = by_person.values().map(|&n| pairs(n)).sum();
    let mut predicted = 0;
    let mut tp = 0;
    for c in clusters {
        predicted += pairs(c.len() as u64);
        let mut counts: rustc_hash::FxHashMap<u32, u64> = rustc_hash::FxHashMap::default();
        for &i in c {
            if let Some(&t) = truth.get(i as usize) {
                *counts.entry(t).or_default() += 1;
            }
        }
        tp += counts.values().map(|&n| pairs(n)).sum::<u64>();
    }
    let precision = if predicted == 0 { 1.0 } else { tp as f64 / predicted as f64 };
    let recall = if true_pairs == 0 { 1.0 } else { tp as f64 / true_pairs as f64 };
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    PairMetrics { true_pairs, predicted_pairs: predicted, true_positives: tp, precision, recall, f1 }
}

/// The dedupe configuration for the labelled set: the built-in lead fields plus the address
/// columns as custom fields (shows how any people data is configured).
pub const ADDRESS_CONFIG: &str = crate::config::ADDRESS_CONFIG;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_labelled() {
        let a = generate(300, 7);
        let b = generate(300, 7);
        assert_eq!(a.leads, b.leads);
        assert_eq!(a.truth, b.truth);
        assert!(a.leads.len() > 300 && a.leads.len() < 600);
        let m = pair_metrics(&a.truth, &[]);
        assert!(m.true_pairs > 50);
        assert_eq!(m.recall, 0.0);
    }

    #[test]
    fn metrics_count_pairs() {
        let truth = [0, 0, 0, 1, 1, 2];
        let m = pair_metrics(&truth, &[vec![0, 1], vec![2, 3, 4]]);
        assert_eq!((m.true_pairs, m.predicted_pairs, m.true_positives), (4, 4, 2));
        assert!((m.f1 - 0.5).abs() < 1e-9);
    }
}
