#!/usr/bin/env python3
"""botocore as the ISO-8601 oracle for awsauth's differential test.

Reads one timestamp per line on stdin and prints, per line, one JSON object: how botocore
1.43's botocore.utils.parse_timestamp (dateutil underneath, what its credential providers call
on an Expiration) reads it:
  {"result": "instant", "us": <microseconds since the epoch, UTC>}  an aware datetime
  {"result": "naive"}   parsed, but without an offset (botocore then treats it as local time)
  {"result": "error"}   rejected
Exit status 3 (and a message) when botocore cannot be imported: the test must fail, not skip.
"""
import datetime
import json
import sys

try:
    from botocore.utils import parse_timestamp
except ImportError as e:
    print(f"iso8601_oracle: cannot import botocore: {e}", file=sys.stderr)
    sys.exit(3)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

for line in sys.stdin.read().split("\n")[:-1]:
    try:
        value = parse_timestamp(line)
        offset = value.utcoffset()  # raises for an offset of a day or more
    except Exception:  # dateutil raises ValueError, OverflowError, ...
        print(json.dumps({"result": "error"}))
        continue
    if offset is None:
        print(json.dumps({"result": "naive"}))
        continue
    delta = value - EPOCH
    us = (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds
    print(json.dumps({"result": "instant", "us": us}))
