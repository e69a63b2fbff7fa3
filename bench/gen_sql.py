#!/usr/bin/env python3
"""Regenerates the GENERATED sections of bench/default_model.sql from their sources.

The SQL port of the default model needs leadrank-facts' word lists and tables, and the
numbering plans that leadrank's phone check (the `phonenumber` crate, a port of Google's
libphonenumber) uses. Rather than copying them by hand, this script reads them:

* crates/leadrank-facts/src/country/table.rs and country.rs: ISO countries and aliases;
* crates/leadrank-facts/src/seniority.rs: the seniority word lists;
* crates/leadrank-facts/src/names.rs and text.rs: gibberish-name lists and the Latin fold table;
* PhoneNumberMetadata.xml of the `phonenumber` crate (found in ~/.cargo/registry for the
  version in Cargo.lock, or given with --phone-xml): country calling codes, international and
  national prefixes and the per-type number patterns of every region (or, with
  --phone-regions "US CA ...", of some regions only: a smaller SQL file, and numbers of the
  other regions count as invalid).

Run it after any of those change:  python3 bench/gen_sql.py
Standard library only.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
FACTS = ROOT / "crates/leadrank-facts/src"
SQL = BENCH / "default_model.sql"

# The 22 countries `leadrank generate` writes phone numbers for (crates/leadrank-synth/src/phone.rs),
# for --phone-regions when a small SQL file is wanted.
GENERATOR_REGIONS = "US CA GB IE DE FR NL SE AU IN BR JP ES IT SG ZA PL MX NG CH VN CN"
PHONE_TYPES = ["premiumRate", "tollFree", "sharedCost", "voip", "personalNumber", "pager", "uan",
               "voicemail", "fixedLine", "mobile"]


def q(s: str) -> str:
    """A SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


def sql_list(items) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


def rust_strings(body: str) -> list[str]:
    out = []
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', body):
        out.append(m.group(1).replace('\\"', '"').replace("\\\\", "\\"))
    return out


def rust_const(src: str, name: str) -> str:
    m = re.search(r"(?:const|static)\s+" + name + r"\s*:[^=]*=\s*&?\[(.*?)\];", src, re.S)
    if not m:
        sys.exit(f"gen_sql.py: cannot find {name}")
    return m.group(1)


def str_list(src: str, name: str) -> list[str]:
    return rust_strings(rust_const(src, name))


def case_on(key: str, branches: list[tuple[str, str]], default: str | None = None, indent: str = "    ") -> str:
    """CASE key WHEN ... THEN ... END, nested by the key's first character when there are many
    branches (DuckDB compares the WHENs one by one; two levels make a 250-way CASE cheap)."""
    tail = f" ELSE {default}" if default is not None else ""
    if len(branches) <= 16:
        inner = "".join(f"\n{indent}WHEN {q(k)} THEN {v}" for k, v in branches)
        return f"CASE {key}{inner}{tail} END"
    groups: dict[str, list[tuple[str, str]]] = {}
    for k, v in branches:
        groups.setdefault(k[0], []).append((k, v))
    out = f"CASE left({key}, 1)"
    for first, bs in groups.items():
        inner = "".join(f"\n{indent}    WHEN {q(k)} THEN {v}" for k, v in bs)
        out += f"\n{indent}WHEN {q(first)} THEN CASE {key}{inner}{tail} END"
    return out + tail + " END"


# ---------------------------------------------------------------------------------------

def countries_section() -> str:
    table = (FACTS / "country/table.rs").read_text()
    country = (FACTS / "country.rs").read_text()
    rows = re.findall(r'\("([A-Z]{2})",\s*"([A-Z]{3})",\s*"((?:[^"\\]|\\.)*)",', rust_const(table, "COUNTRIES"))
    aliases = re.findall(r'\("((?:[^"\\]|\\.)*)",\s*"([A-Z]{2})"\)', rust_const(country, "ALIASES"))
    stop = str_list(country, "STOP_WORDS")
    out = ["-- ISO 3166-1 (crates/leadrank-facts/src/country/table.rs) then ALIASES (country.rs), in",
           "-- index order: the first entry to claim a name key wins.",
           "CREATE OR REPLACE TEMP TABLE lr_country_source (ord INTEGER, name VARCHAR, code VARCHAR);",
           "INSERT INTO lr_country_source VALUES"]
    vals = []
    for i, (a2, _a3, name) in enumerate(rows):
        vals.append(f"({i}, {q(name)}, {q(a2)})")
    for j, (name, code) in enumerate(aliases):
        vals.append(f"({len(rows) + j}, {q(name)}, {q(code)})")
    out.append(",\n".join("    " + v for v in vals) + ";")
    out.append("CREATE OR REPLACE TEMP TABLE lr_country_codes (alpha2 VARCHAR, alpha3 VARCHAR);")
    out.append("INSERT INTO lr_country_codes VALUES")
    codes = [f"({q(a2)}, {q(a3)})" for a2, a3, _ in rows] + ["('XK', 'XKX')"]
    out.append(",\n".join("    " + ", ".join(codes[i:i + 8]) for i in range(0, len(codes), 8)) + ";")
    out.append(f"CREATE OR REPLACE TEMP MACRO lr_country_stop_words() AS {sql_list(stop)};")
    return "\n".join(out)


def fold_section() -> str:
    text = (FACTS / "text.rs").read_text()
    pairs = re.findall(r"\('(.)',\s*\"([a-z]+)\"\)", rust_const(text, "FOLD"))
    special = []
    for ch, base in pairs:
        nfd = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if nfd != base:
            special.append((ch, base))
    expr = "x"
    for ch, base in special:
        expr = f"replace({expr}, {q(ch)}, {q(base)})"
    letters = "".join(ch for ch, _ in pairs)
    return "\n".join([
        "-- text::fold_lower: lower case, combining marks dropped, Latin letters folded to ASCII",
        "-- (strip_accents does the letters with a canonical decomposition; the others are listed).",
        f"CREATE OR REPLACE TEMP MACRO lr_fold_special(x) AS {expr};",
        "CREATE OR REPLACE TEMP MACRO lr_fold(x) AS strip_accents(lr_fold_special(lower(x)));",
        "-- The lower-case Latin letters with diacritics that text::fold_latin knows.",
        f"CREATE OR REPLACE TEMP MACRO lr_fold_letters() AS {q(letters)};",
    ])


def seniority_section() -> str:
    src = (FACTS / "seniority.rs").read_text()
    names = ["PLACEHOLDERS", "STRONG_STUDENT", "WEAK_STUDENT", "DEGREES", "STUDENT_STAFF_NOUNS",
             "TRAINEE_STAFF_NOUNS", "SUPPORT_NOUNS", "SUPPORT_HEAD_NOUNS", "PREPOSITIONS_AFTER_SUPPORT",
             "ROLE_WORDS", "C_LEVEL_WORDS", "OWNER_WORDS", "OWNER_EXCLUDE_PREV", "PRESIDENT_WORDS",
             "VP_WORDS", "DIRECTOR_WORDS", "GENERAL_WORDS", "HEAD_WORDS", "MANAGER_WORDS",
             "LEITER_MANAGER_PREFIXES", "LEAD_MANAGER_PREV", "LEAD_TOPICS", "SENIOR_WORDS",
             "STAFF_SENIOR_NEXT", "PARTNER_CLEVEL_PREV", "CJK_STUDENT", "CJK_SUPPORT_SUFFIXES"]
    out = ["-- Word lists of crates/leadrank-facts/src/seniority.rs."]
    for n in names:
        out.append(f"CREATE OR REPLACE TEMP MACRO lr_sen_{n.lower()}() AS {sql_list(str_list(src, n))};")
    terms = re.findall(r'\("([^"]+)",\s*Seniority::(\w+)\)', rust_const(src, "CJK_TERMS"))
    dplus = [t for t, lvl in terms if lvl in ("CLevel", "Vp", "Head", "Director")]
    out.append("-- CJK_TERMS of level director or above.")
    out.append(f"CREATE OR REPLACE TEMP MACRO lr_sen_cjk_director_plus() AS {sql_list(dplus)};")
    return "\n".join(out)


def names_section() -> str:
    src = (FACTS / "names.rs").read_text()
    text = (FACTS / "text.rs").read_text()
    placeholders = str_list(src, "PLACEHOLDERS")
    walks3 = str_list(src, "THREE_KEY_WALKS")
    columns = str_list(src, "COLUMN_WALKS")
    rows = re.findall(r'\("([a-z]+)",\s*(\d+)\)', rust_const(src, "ROWS"))
    clusters = str_list(src, "CLUSTERS")
    windows = []
    for row, n in rows:
        n = int(n)
        for s in range(0, len(row) - n + 1):
            w = row[s:s + n]
            if w not in windows:
                windows.append(w)
    units = list(walks3)
    for row, _ in rows:
        for s in range(0, len(row) - 2):
            if row[s:s + 3] not in units:
                units.append(row[s:s + 3])
    consonants = [c for c in "bcdfghjklmnpqrstvwxz"]
    out = ["-- Lists of crates/leadrank-facts/src/names.rs (gibberish names).",
           f"CREATE OR REPLACE TEMP MACRO lr_gib_placeholders() AS {sql_list(placeholders)};",
           f"CREATE OR REPLACE TEMP MACRO lr_gib_three_key_walks() AS {sql_list(walks3)};",
           "-- Keyboard walks: every window of ROWS, and COLUMN_WALKS.",
           f"CREATE OR REPLACE TEMP MACRO lr_gib_row_walk_re() AS {q('(?:' + '|'.join(windows) + ')')};",
           f"CREATE OR REPLACE TEMP MACRO lr_gib_column_walk_re() AS {q('(?:' + '|'.join(columns) + ')')};",
           "-- A three-key walk (or three keys of a row) repeated: asdasd, jkljkl.",
           "CREATE OR REPLACE TEMP MACRO lr_gib_repeat_walk_re() AS "
           + q("(?:" + "|".join(f"(?:{u}){{2,}}" for u in units) + ")") + ";",
           "-- Consonant sounds of more than one letter: CLUSTERS, then doubled consonants.",
           "CREATE OR REPLACE TEMP MACRO lr_gib_units_re() AS "
           + q("(?:" + "|".join(clusters + [c + c for c in consonants]) + ")") + ";"]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------
# Phone numbering plans

def find_phone_xml(given: str | None) -> Path:
    if given:
        return Path(given)
    home = os.path.expanduser("~/.cargo/registry/src")
    found = sorted(glob.glob(f"{home}/*/phonenumber-*/assets/PhoneNumberMetadata.xml"))
    lock = (ROOT / "Cargo.lock").read_text() if (ROOT / "Cargo.lock").exists() else ""
    m = re.search(r'name = "phonenumber"\nversion = "([^"]+)"', lock)
    if m:
        exact = [f for f in found if f"phonenumber-{m.group(1)}/" in f]
        if exact:
            return Path(exact[0])
    if not found:
        sys.exit("gen_sql.py: PhoneNumberMetadata.xml not found; pass --phone-xml")
    return Path(found[-1])


def clean(p: str | None) -> str | None:
    return re.sub(r"\s+", "", p) if p else None


def lengths(spec: str | None) -> list[int]:
    out = []
    if not spec:
        return out
    for part in spec.split(","):
        part = part.strip()
        if part.startswith("["):
            a, b = part[1:-1].split("-")
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def phone_section(xml_path: Path, regions: list[str]) -> str:
    root = ET.parse(xml_path).getroot()
    terr = {}
    order = []  # (code, region, element) in file order; "001" is a non-geographic code
    for t in root.iter("territory"):
        if t.get("id") != "001":
            terr[t.get("id")] = t
        order.append((t.get("countryCode"), t.get("id"), t))
    embedded = [(c, r, t) for c, r, t in order if r in regions or (r == "001" and len(regions) > 200)]
    codes = sorted({c for c, _, _ in order}, key=lambda c: (len(c), c))
    out = [f"-- Numbering plans from {xml_path.parent.parent.name}/assets/PhoneNumberMetadata.xml",
           "-- (libphonenumber metadata, Apache-2.0), for the regions " + " ".join(regions) + ".",
           "-- Every country calling code, shortest first (codes are prefix-free).",
           "CREATE OR REPLACE TEMP MACRO lr_phone_cc_re() AS " + q("^(" + "|".join(codes) + ")") + ";",
           "-- The calling code of a region.",
           "CREATE OR REPLACE TEMP MACRO lr_phone_region_cc(region) AS "
           + case_on("region", [(r, q(c)) for c, r, _ in order if r != "001"]) + ";"]

    # the region whose metadata parse() uses for a number when the lead's country is unknown
    # (parser::parse with validator::source_for): the code's only region, or, for a code shared
    # by several regions, its main region when the number (leading zeros dropped) is valid there.
    regions_of: dict[str, list[str]] = {}
    for c, r, _ in order:
        if r != "001":
            regions_of.setdefault(c, []).append(r)
    mains = []
    for c, rs in sorted(regions_of.items()):
        main = next((r for r in rs if terr[r].get("mainCountryForCode") == "true"), rs[0])
        if main in regions:
            mains.append((c, q(main)))
    out.append("-- The region parse() takes a number's national prefix from when the lead has no known")
    out.append("-- country (validator::source_for): the calling code's only region; for a code shared by")
    out.append("-- several regions, the main one (used when the number is valid for the code).")
    out.append("CREATE OR REPLACE TEMP MACRO lr_phone_cc_region(cc) AS " + case_on("cc", mains) + ";")
    out.append("CREATE OR REPLACE TEMP MACRO lr_phone_cc_shared(cc) AS cc IN ("
               + ", ".join(q(c) for c, rs in sorted(regions_of.items()) if len(rs) > 1) + ");")

    # international (IDD) prefix: the digits after it, when it starts the number and the
    # next digit is not 0; else NULL.
    idds = []
    for r in regions:
        idd = clean(terr[r].get("internationalPrefix"))
        if idd:
            idds.append((r, f"nullif(regexp_extract(d, {q('^(?:' + idd + ')([1-9][0-9]*)$')}, 1), '')"))
    out.append("-- The digits after the region's international (IDD) prefix, when the number starts with")
    out.append("-- it and the next digit is not 0 (helper::international_prefix); else NULL.")
    out.append("CREATE OR REPLACE TEMP MACRO lr_phone_after_idd(region, d) AS " + case_on("region", idds) + ";")

    # national prefix stripping (helper::national_number)
    strips = []
    for r in regions:
        t = terr[r]
        np_ = t.get("nationalPrefix")
        npp = clean(t.get("nationalPrefixForParsing"))
        tr = t.get("nationalPrefixTransformRule")
        general = clean(t.find("generalDesc").findtext("nationalNumberPattern"))
        if not npp:
            if np_:
                strips.append((r, f"CASE WHEN starts_with(n, {q(np_)}) THEN substr(n, {len(np_) + 1}) ELSE n END"))
            continue
        anchored = "^(?:" + npp + ")"
        ngroups = len(re.findall(r"\((?!\?)", npp))
        if not tr or ngroups == 0:
            strips.append((r, f"regexp_replace(n, {q(anchored)}, '')"))
        else:
            rule = re.sub(r"\$(\d)", r"\\\1", tr)
            strips.append((r,
                f"CASE WHEN NOT regexp_matches(n, {q(anchored)}) THEN n"
                f" WHEN regexp_extract(n, {q(anchored)}, {ngroups}) = '' THEN regexp_replace(n, {q(anchored)}, '')"
                f" WHEN regexp_matches(n, {q('^(?:' + general + ')')})"
                f" AND NOT regexp_matches(regexp_replace(n, {q(anchored)}, {q(rule)}), {q('^(?:' + general + ')')}) THEN n"
                f" ELSE regexp_replace(n, {q(anchored)}, {q(rule)}) END"))
    out.append("-- The national number with the national prefix removed the way the phonenumber crate")
    out.append("-- does it (helper::national_number): national_prefix_for_parsing with its transform rule,")
    out.append("-- or else the national prefix. (parser::parse then removes the national prefix once more.)")
    out.append("CREATE OR REPLACE TEMP MACRO lr_phone_strip_np1(region, n) AS " + case_on("region", strips, "n") + ";")
    out.append("CREATE OR REPLACE TEMP MACRO lr_phone_np(region) AS "
               + case_on("region", [(r, q(terr[r].get("nationalPrefix"))) for r in regions if terr[r].get("nationalPrefix")]) + ";")

    # validity of a national significant number for a calling code
    def desc_expr(d) -> str | None:
        if d is None:
            return None
        pat = clean(d.findtext("nationalNumberPattern"))
        if not pat:
            return None
        pl = d.find("possibleLengths")
        lens = lengths(pl.get("national")) if pl is not None else []
        m = f"regexp_matches(n, {q('^(?:' + pat + ')')})"
        if lens:
            return f"(length(n) IN ({', '.join(map(str, lens))}) AND {m})"
        return m

    by_cc: dict[str, list[tuple[str, ET.Element]]] = {}
    for c, r, t in embedded:
        by_cc.setdefault(c, []).append((r, t))
    valid = []
    for c, regs in by_cc.items():
        alts = []
        for r, t in regs:
            general = desc_expr(t.find("generalDesc"))
            types = [e for e in (desc_expr(t.find(k)) for k in PHONE_TYPES) if e]
            alts.append(f"/* {r} */ ({general} AND ({' OR '.join(types)}))")
        valid.append((c, " OR ".join(alts)))
    out.append("-- validator::is_valid: the national number matches the region's general pattern and one")
    out.append("-- of its number types (pattern matched from the first digit, length among the type's")
    out.append("-- possible lengths). A code shared by several regions accepts a number valid in any.")
    out.append("CREATE OR REPLACE TEMP MACRO lr_phone_nsn_valid(cc, n) AS " + case_on("cc", valid, "false") + ";")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------

def replace_section(sql: str, name: str, body: str) -> str:
    start = f"-- BEGIN GENERATED {name} (bench/gen_sql.py; do not edit)"
    end = f"-- END GENERATED {name}"
    pat = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pat.search(sql):
        sys.exit(f"gen_sql.py: markers for {name} not found in {SQL}")
    return pat.sub(lambda _: f"{start}\n{body}\n{end}", sql)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phone-xml", help="PhoneNumberMetadata.xml of the phonenumber crate leadrank uses")
    ap.add_argument("--phone-regions", default="all",
                    help=f"regions whose numbering plans to embed (default: all; e.g. \"{GENERATOR_REGIONS}\")")
    args = ap.parse_args()
    sql = SQL.read_text(encoding="utf-8")
    sql = replace_section(sql, "fold", fold_section())
    sql = replace_section(sql, "countries", countries_section())
    sql = replace_section(sql, "seniority", seniority_section())
    sql = replace_section(sql, "names", names_section())
    xml_path = find_phone_xml(args.phone_xml)
    regions = args.phone_regions.split()
    if regions == ["all"]:
        regions = [t.get("id") for t in ET.parse(xml_path).getroot().iter("territory") if t.get("id") != "001"]
    sql = replace_section(sql, "phone", phone_section(xml_path, regions))
    SQL.write_text(sql, encoding="utf-8")
    print(f"updated {SQL} (phone plans from {xml_path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
