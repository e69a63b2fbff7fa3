#!/usr/bin/env python3
"""Regenerates free_mail_domains.txt and disposable_domains.txt from the npm packages.

    cd /tmp && npm pack free-email-domains disposable-email-domains
    mkdir fed ded && tar xzf free-email-domains-*.tgz -C fed && tar xzf disposable-email-domains-*.tgz -C ded
    python3 update_lists.py /tmp/fed/package /tmp/ded/package

See README.md for what is removed and why.
"""
import json
import os
import sys

# Public suffixes open to general registration: with the subdomain rule they would mark
# every organisation registered under them as disposable.
PUBLIC_SUFFIXES = {"edu.pl", "my.id", "web.id", "za.com"}


def main(free_dir, disposable_dir):
    here = os.path.dirname(os.path.abspath(__file__))
    load = lambda path: {d.strip().lower() for d in json.load(open(path)) if d.strip()}
    disposable = load(os.path.join(disposable_dir, "index.json"))
    disposable |= load(os.path.join(disposable_dir, "wildcard.json"))
    disposable -= PUBLIC_SUFFIXES

    def is_disposable(domain):  # same rule as email::is_disposable_domain
        labels = domain.split(".")
        return any(".".join(labels[i:]) in disposable for i in range(len(labels) - 1))

    free = {d for d in load(os.path.join(free_dir, "domains.json")) if not is_disposable(d)}
    for name, domains in [("disposable_domains.txt", disposable), ("free_mail_domains.txt", free)]:
        with open(os.path.join(here, name), "w") as f:
            f.write("\n".join(sorted(domains)) + "\n")
        print(name, len(domains))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
