"""Segment's official Python library (segment-analytics-python, module segment.analytics)
sending a scenario to leadrank's Segment intake: python3 send.py HOST WRITE_KEY TAG BASE_EPOCH.

An anonymous visitor browses (page, track), then identifies with a userId and joins an
account (group); a reference person sends the same events with the userId from the start.
Exits non-zero if the library reports an error."""

import sys
from datetime import datetime, timedelta, timezone

from segment.analytics import Client

host, write_key, tag, base = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
errors = []
client = Client(write_key, host=host, on_error=lambda e, batch: errors.append(repr(e)), max_retries=1, sync_mode=False)
t0 = datetime.fromtimestamp(base, tz=timezone.utc)


def at(hours):
    return t0 - timedelta(hours=hours)


def history(**who):
    client.page(name="Pricing", properties={"url": "https://example.com/pricing", "path": "/pricing"}, timestamp=at(30), **who)
    client.page(name="Enterprise", properties={"url": "https://example.com/pricing/enterprise"}, timestamp=at(29), **who)
    client.track(event="Demo Requested", properties={"plan": "enterprise"}, timestamp=at(28), **who)
    client.track(event="Feature Used", properties={"feature": "export"}, timestamp=at(27), **who)


def traits(who):
    # Each person at a company of their own, so that neither counts in the other's score.
    return {
        "email": f"ada@{who}.example.org",
        "firstName": who,
        "title": "VP Engineering",
        "company": {"name": f"{who} Inc", "employee_count": 1200},
        "website": f"https://www.{who}.example.org",
    }


client.identify(user_id=f"{tag}-ref", traits=traits(f"{tag}-ref"), timestamp=at(26))
client.flush()
history(user_id=f"{tag}-ref")
history(anonymous_id=f"{tag}-anon")
client.flush()
client.identify(user_id=f"{tag}-user", anonymous_id=f"{tag}-anon", traits=traits(f"{tag}-user"), timestamp=at(26))
client.group(user_id=f"{tag}-user", group_id=f"{tag}-acct", traits={"name": f"{tag}-user Inc", "website": f"{tag}-user.example.org"})
client.flush()
client.join()
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print("sent")
