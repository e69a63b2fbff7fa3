"""Schemathesis hooks for .ci/schemathesis.sh: model and routing files are sent as TOML text,
CSV imports as CSV text."""

import schemathesis


@schemathesis.serializer("application/toml")
def toml_text(ctx, value):
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


@schemathesis.serializer("text/csv")
def csv_text(ctx, value):
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")
