#!/usr/bin/env python3
"""Writes a small data set of edge cases for checking the SQL port against leadrank.

    python3 bench/edge_cases.py /tmp/lr-edge
    python3 bench/compare.py /tmp/lr-edge --min-agreement 0 --examples 20

The leads exercise one fact each (the other fields blank): the titles, names, phone numbers,
countries, emails and URLs from leadrank-facts' own unit tests, plus hand-made cases for
every rule's boundaries (windows at exactly T - D days and at T, events after T, a 5-in-60-s
form burst and a 5-in-61-s one, follow-ups at exactly 7 days, contract ends at date(T) and
date(T) + 365/366, booleans, integers, trimming, competitor subdomains, gmail dedupe, names
in the same account, buying committees, re-sent event ids). Standard library only.
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "crates/leadrank-facts/src"
T = datetime(2026, 6, 30, 12, 0, 0, tzinfo=timezone.utc)
LEAD_COLS = ["lead_id", "email", "first_name", "last_name", "title", "company", "domain", "account_id",
             "industry", "employees", "annual_revenue", "country", "phone", "phone_verified", "consent",
             "consent_at", "source", "campaign", "created_at", "tech_stack", "use_case", "budget_owner",
             "timeline_days", "contract_end", "honeypot"]


def ts(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def fn_body(src: str, name: str) -> str:
    m = re.search(r"fn " + name + r"\(\)[^{]*\{(.*?)\n    \}\n", src, re.S)
    return m.group(1) if m else ""


def strings(s: str) -> list[str]:
    return [m.replace('\\"', '"').replace("\\\\", "\\") for m in re.findall(r'"((?:[^"\\]|\\.)*)"', s)]


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/lr-edge")
    out.mkdir(parents=True, exist_ok=True)
    leads: list[dict] = []
    events: list[list[str]] = []
    n = [0]

    def lead(**f) -> str:
        n[0] += 1
        lid = f.pop("lead_id", f"E{n[0]:05d}")
        row = {c: "" for c in LEAD_COLS}
        row["lead_id"] = lid
        row.update({k: v for k, v in f.items()})
        leads.append(row)
        return lid

    ev_n = [0]

    def event(lid: str, typ: str, at: datetime | str, url: str = "", props: str = "", eid: str | None = None):
        ev_n[0] += 1
        events.append([eid or f"x{ev_n[0]:06d}", lid, typ, at if isinstance(at, str) else ts(at), url, props])

    sen = (FACTS / "seniority.rs").read_text()
    names = (FACTS / "names.rs").read_text()
    country = (FACTS / "country.rs").read_text()
    phone = (FACTS / "phone.rs").read_text()
    email = (FACTS / "email.rs").read_text()
    url = (FACTS / "url.rs").read_text()

    # titles from the seniority tests
    m = re.search(r"const TITLES: &\[\(&str, Seniority\)\] = &\[(.*?)\n    \];", sen, re.S)
    for t in re.findall(r'\("((?:[^"\\]|\\.)*)",\s*\w+\)', m.group(1) if m else ""):
        lead(title=t)
    for t in ["Assistant to the Director", "Executive Assistant to the CEO", "Head Hunter", "Lead Generation Specialist",
              "Team Lead, SDR", "Directory Services Engineer", "International Sales", "Sr.Director", "VP Mktg",
              "Dir. of IT", "Leiter Vertrieb", "Responsable Marketing", "Student Success Manager", "student",
              "MBA Student", "Working Student", "Stagiaire", "Product Owner", "Owner", "Chief of Staff",
              "n/a", "-", "Other", "General Manager", "Teamleiter", "Abteilungsleiterin", "Begleiter"]:
        lead(title=t)

    # names from the names tests
    for const in ("REAL", "GIBBERISH"):
        m = re.search(r"const " + const + r": &\[\(&str, &str\)\] = &\[(.*?)\n    \];", names, re.S)
        for a, b in re.findall(r'\("((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"\)', m.group(1) if m else ""):
            lead(first_name=a, last_name=b)

    # countries from the country tests (as the lead's country: target_geo)
    for s in strings(fn_body(country, "common_inputs")) + strings(fn_body(country, "unknown_inputs")):
        lead(country=s)
    for s in ["usa", "U.S.", "u. s. a.", "UnitedStates", "Deutschland", "Holland", "great britain", "GBR", "deu",
              "Sverige", "IRL", "Éire", "Eire", "Republic of Ireland", "Australia", "Canada", "CAN", "fr", "Nederland"]:
        lead(country=s)

    # phones from the phone tests: (raw, default country)
    for fn in ("valid_numbers", "invalid_numbers"):
        body = fn_body(phone, fn)
        for raw, dc in re.findall(r'\("((?:[^"\\]|\\.)*)",\s*(None|Some\("[^"]*"\))', body):
            dc = re.sub(r'Some\("([^"]*)"\)', r"\1", dc).replace("None", "")
            lead(phone=raw, country=dc)
    for raw, dc in [("+65 6512 3456", "SG"), ("6512 3456", "SG"), ("6123 4567", "SG"), ("030 12345678", "DE"),
                    ("+49 30 12345678", ""), ("(415) 392-8841", ""), ("(415) 392-8841", "US"), ("0044 20 7946 0958", "DE"),
                    ("07700 900123", "GB"), ("+44 7700 900123", "GB"), ("0412 345 678", "AU"), ("+61 412 345 678", "Australia"),
                    ("+33 6 12 34 56 78", "France"), ("06 12 34 56 78", "fr"), ("011 44 20 7946 0958", "US"),
                    ("555-CALL-NOW", "US"), ("123abc4567", "DE"), ("1111111", "IN"), ("+1 (555) 123-4567", "US"),
                    ("090-1234-5678", "JP"), ("+81 90 1234 5678", ""), ("0 11 98765 4321", "BR"), ("+55 11 98765 4321", "BR"),
                    ("021 123 4567", "ZA"), ("+27 82 123 4567", "ZA"), ("0803 123 4567", "NG"), ("+234 803 123 4567", "NG")]:
        lead(phone=raw, country=dc)

    # emails from the email tests, and kinds
    for s in strings(fn_body(email, "classify_examples")) + strings(fn_body(email, "invalid_addresses")):
        if "@" in s or s.strip():
            lead(email=s)
    for s in ["someone@gmail.com", "x@sub.mailinator.com", "a@mail.gmail.com", "Bob@Yahoo.Co.UK", "ceo@acme.io",
              "jane@acme.c1", "x@y", "first.last@", "jane at acme.com", "a@@b.com", "@acme.com", "j.d@acme,com",
              "spy@rivalcrm.com", "spy@eu.scoreleads.io", "spy@notrivalcrm.com", "ok@tempmail.net"]:
        lead(email=s)
    lead(domain="www.RivalCRM.com/about", email="a@gmail.com")
    lead(domain="https://eu.scoreleads.io", account_id="acc-x")
    lead(domain="notrivalcrm.com")

    # URLs from the url tests: a page view 1 day before T
    for u in strings(fn_body(url, "normalises_examples"))[0::2] + [
            "https://x.com/Pricing/", "/pricingx", "/jobs/12", "https://x.com/careers?x=1", "acme.com/pricing",
            "pricing", "//cdn.x.com/pricing/a", "/PRICING#top", "https://x.com/pricing//enterprise/", "/careersx",
            "/Jobs", "localhost:3000/pricing"]:
        lid = lead()
        event(lid, "page_view", T - timedelta(days=1), u)

    # field rules
    for v in ["Software", " software ", "SOFTWARE", "Information  Technology", "IT Services", "Healthcare"]:
        lead(industry=v)
    for v in ["199", "200", "2000", "2001", "+200", "0200"]:
        lead(employees=v)
    for v in ["salesforce ; Foo", "HubSpotX", ";;Marketo", "Google Sheets;Snowflake", "segment"]:
        lead(tech_stack=v)
    for v in ["Lead-Scoring", "pipelines", "PIPELINE.", "forecasting", "lead  scoring!", "leadscoring",
              "Attribution/Routing", "pipeline\u00e9", "Forecast"]:
        lead(use_case=v)
    for v in ["YES", "No", "1", "0", "TRUE", "true"]:
        lead(budget_owner=v, consent=v, phone_verified=v)
    for v in ["0", "1", "90", "91", "-5", "+30"]:
        lead(timeline_days=v)
    d0 = T.date()
    for dd in [-1, 0, 1, 365, 366]:
        lead(contract_end=(d0 + timedelta(days=dd)).isoformat())
    lead(contract_end=(d0 + timedelta(days=365)).isoformat() + "T23:59:59Z")
    lead(contract_end=d0.isoformat() + "T00:00:00+05:00")
    lead(honeypot="x")
    lead(title="Student Assistant")

    # event windows
    def one(typ: str, at, url: str = ""):
        lid = lead()
        event(lid, typ, at, url)

    for typ, days in [("demo_request", 90), ("trial_started", 90), ("intent_surge", 30)]:
        one(typ, T - timedelta(days=days))
        one(typ, T - timedelta(days=days, seconds=1))
        one(typ, T)
        one(typ, T + timedelta(seconds=1))
    one("page_view", T - timedelta(days=30), "/pricing")
    one("page_view", T - timedelta(days=30, seconds=1), "/pricing")
    one("page_view", ts(T - timedelta(days=30)).replace("Z", ".999Z"), "/pricing")
    one("page_view", (T - timedelta(days=30) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00"), "/pricing")
    one("page_view", T - timedelta(days=90), "/careers")
    one("page_view", T - timedelta(days=91), "/jobs/1")
    one("email_bounce", T - timedelta(days=400))
    one("email_bounce", T + timedelta(days=1))
    one("demo_request", (T - timedelta(days=3)).date().isoformat())
    # high-intent burst
    lid = lead()
    event(lid, "page_view", T - timedelta(days=7), "/pricing?a=1")
    event(lid, "page_view", T - timedelta(days=6), "/pricing/")
    lid = lead()
    event(lid, "page_view", T - timedelta(days=7), "/pricing")
    event(lid, "page_view", T - timedelta(days=6), "/demo")
    lid = lead()
    event(lid, "page_view", T - timedelta(days=7, seconds=1), "/pricing")
    event(lid, "page_view", T - timedelta(days=6), "/compare/x")
    lid = lead()
    event(lid, "page_view", T - timedelta(days=1), "/security")
    event(lid, "page_view", T - timedelta(days=1), "/securityx")
    # form bursts
    for gaps in ([0, 15, 30, 45, 60], [0, 15, 30, 45, 61], [0, 0, 0, 0, 0], [0, 10, 20, 30]):
        lid = lead()
        for g in gaps:
            event(lid, "form_submit", T - timedelta(days=200) + timedelta(seconds=g))
    lid = lead()
    for g in [0, 10, 20, 30]:
        event(lid, "form_submit", T - timedelta(days=1) + timedelta(seconds=g), eid=f"burst{g}")
    event(lid, "form_submit", T - timedelta(days=1) + timedelta(seconds=30), eid="burst30")  # re-send
    lid = lead()
    for g in [0, 10, 20, 30]:
        event(lid, "form_submit", T - timedelta(seconds=50 - g))
    event(lid, "form_submit", T + timedelta(seconds=5))  # after T
    # follow-ups
    for anchor, typ2, after in [(30, "page_view", 7 * 86400), (30, "page_view", 7 * 86400 + 1), (31, "page_view", 86400),
                                (5, "email_open", 3600), (5, "sales_touch", 3600), (5, "webinar_attended", 0),
                                (5, "email_click", 1), (1, "form_submit", 2 * 86400)]:
        lid = lead()
        a = T - timedelta(days=anchor)
        event(lid, "webinar_attended" if anchor != 5 else "event_attended", a)
        event(lid, typ2, a + timedelta(seconds=after), "/blog" if typ2 == "page_view" else "")
    # buying committees and duplicates
    for acct, members in [("acc-c1", [1, 1]), ("acc-c2", [1, 0]), ("acc-c3", [1, 1, 0])]:
        for i, engaged in enumerate(members):
            lid = lead(account_id=acct, first_name=f"P{i}", last_name="Member")
            if engaged:
                event(lid, "content_download", T - timedelta(days=29))
            else:
                event(lid, "email_open", T - timedelta(days=1))
    for dom in ["committee-a.com", "committee-a.com"]:
        lid = lead(email=f"p{n[0]}@{dom}")
        event(lid, "page_view", T - timedelta(days=2), "/")
    lid = lead(email="eng@committee-b.com")
    event(lid, "page_view", T - timedelta(days=2), "/")
    lid = lead(email="eng2@committee-b.com", account_id="acc-b")  # different key
    event(lid, "page_view", T - timedelta(days=2), "/")
    lid = lead(email="late@committee-c.com")
    event(lid, "page_view", T - timedelta(days=30), "/")
    lid = lead(email="late2@committee-c.com")
    event(lid, "page_view", T - timedelta(days=31), "/")
    lead(email="J.Doe+x@GoogleMail.com")
    lead(email="jdoe@gmail.com")
    lead(email="Same.Person@Acme-Dup.com")
    lead(email="same.person@acme-dup.com")
    lead(email="x@y")
    lead(email="x@y")
    lead(first_name="Ann", last_name="Lee", account_id="acc-d")
    lead(first_name="ann ", last_name=" LEE", account_id="acc-d")
    lead(first_name="Ann", last_name="Lee")
    lead(first_name="Ann", last_name="Lee")
    lead(first_name="Bo", last_name="Chen", email="bo@dupname.com")
    lead(first_name="BO", last_name="CHEN", email="b.chen@dupname.com")

    with open(out / "leads.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=LEAD_COLS)
        w.writeheader()
        w.writerows(leads)
    with open(out / "events.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["event_id", "lead_id", "type", "occurred_at", "url", "properties"])
        w.writerows(events)
    with open(out / "accounts.csv", "w", newline="", encoding="utf-8") as f:
        f.write("account_id,name\n")
    print(f"wrote {len(leads)} leads and {len(events)} events to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
