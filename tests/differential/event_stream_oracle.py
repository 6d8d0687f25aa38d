#!/usr/bin/env python3
"""Independent oracles for awsauth's event stream framing and signing.

Reads one JSON object per line on stdin, each a signed event stream awsauth produced:
  {"id", "secret", "region", "service", "seed" (hex signature of the initial request),
   "messages": [{"time_ms", "headers": [[name, type code, value]], "payload_hex",
                 "inner_hex" (awsauth's encoding), "outer_hex" (awsauth's signed frame)}],
   "end": {"time_ms", "outer_hex"}, "cuts": [byte offsets where the body is split]}

and prints one JSON object per stream:
  {"id", "inner_hex": [...], "outer_hex": [... the end frame last], "signatures": [...],
   "botocore_messages": n, "botocore_errors": [...]}

Two oracles:
* This script's own encoder and signer (struct, binascii.crc32 = zlib's CRC32, hashlib, hmac),
  written from the event stream and SigV4 event-signing descriptions (the Transcribe streaming
  documentation, smithy-rs aws-sigv4 event_stream.rs): the message's own time gives the
  `:date` header (whole seconds, in ms), the x-amz-date line and the day of the scope and key.
  The test compares its bytes and signatures with awsauth's.
* botocore's decoder (botocore/eventstream.py EventStreamBuffer): awsauth's body, fed in the
  given pieces, must decode into as many messages, each outer message with `:chunk-signature`
  and `:date` as this script computed them and awsauth's inner message as payload, and each
  inner message must decode into the headers and payload described. Mismatches are reported in
  botocore_errors.

Exit status 3 (and a message) when botocore cannot be imported: the test must fail, not skip.
"""
import binascii
import hashlib
import hmac
import json
import struct
import sys
import time

try:
    from botocore.eventstream import EventStreamBuffer
except Exception as exc:  # noqa: BLE001 - any import failure must be loud
    print(f"event_stream_oracle: cannot import botocore: {exc}", file=sys.stderr)
    sys.exit(3)


def encode_value(kind, value):
    if kind in (0, 1):
        return b""
    if kind == 2:
        return struct.pack(">b", value)
    if kind == 3:
        return struct.pack(">h", value)
    if kind == 4:
        return struct.pack(">i", value)
    if kind in (5, 8):
        return struct.pack(">q", value)
    if kind == 6:
        raw = bytes.fromhex(value)
        return struct.pack(">H", len(raw)) + raw
    if kind == 7:
        raw = value.encode("utf-8")
        return struct.pack(">H", len(raw)) + raw
    if kind == 9:
        raw = bytes.fromhex(value)
        assert len(raw) == 16
        return raw
    raise ValueError(f"unknown header type {kind}")


def encode_header(name, kind, value):
    raw = name.encode("utf-8")
    return struct.pack(">B", len(raw)) + raw + struct.pack(">B", kind) + encode_value(kind, value)


def frame(headers, payload):
    total = 12 + len(headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers))
    message = prelude + struct.pack(">I", binascii.crc32(prelude) & 0xFFFFFFFF)
    message += headers + payload
    return message + struct.pack(">I", binascii.crc32(message) & 0xFFFFFFFF)


def hmac_sha256(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret, day, region, service):
    key = hmac_sha256(("AWS4" + secret).encode("utf-8"), day)
    key = hmac_sha256(key, region)
    key = hmac_sha256(key, service)
    return hmac_sha256(key, "aws4_request")


def sign(stream, previous, inner, time_ms):
    seconds = time_ms // 1000  # floor: whole seconds, before 1970 too
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(seconds))
    day = amz_date[:8]
    scope = f"{day}/{stream['region']}/{stream['service']}/aws4_request"
    date_header = encode_header(":date", 8, seconds * 1000)
    string_to_sign = "\n".join([
        "AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, previous,
        hashlib.sha256(date_header).hexdigest(), hashlib.sha256(inner).hexdigest()])
    key = signing_key(stream["secret"], day, stream["region"], stream["service"])
    signature = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).digest()
    outer = frame(encode_header(":chunk-signature", 6, signature.hex()) + date_header, inner)
    return signature, seconds * 1000, outer


def expected_value(kind, value):
    """What botocore's decoder gives for a described value."""
    if kind == 0:
        return True
    if kind == 1:
        return False
    if kind in (6, 9):
        return bytes.fromhex(value)
    return value


def botocore_messages(body, cuts):
    buffer = EventStreamBuffer()
    messages = []
    start = 0
    for cut in list(cuts) + [len(body)]:
        buffer.add_data(body[start:cut])
        start = cut
        messages.extend(buffer)
    return messages


def check_stream(stream, signatures, dates):
    errors = []
    body = b"".join(bytes.fromhex(m["outer_hex"]) for m in stream["messages"])
    body += bytes.fromhex(stream["end"]["outer_hex"])
    try:
        decoded = botocore_messages(body, stream["cuts"])
    except Exception as exc:  # noqa: BLE001 - a decode failure is the finding
        return 0, [f"botocore could not decode awsauth's body: {exc!r}"]
    inners = [bytes.fromhex(m["inner_hex"]) for m in stream["messages"]] + [b""]
    if len(decoded) != len(inners):
        errors.append(f"botocore decoded {len(decoded)} messages, awsauth sent {len(inners)}")
    for i, (outer, inner) in enumerate(zip(decoded, inners)):
        want = {":chunk-signature": signatures[i], ":date": dates[i]}
        if outer.headers != want:
            errors.append(f"message {i}: outer headers {outer.headers!r}, expected {want!r}")
        if outer.payload != inner:
            errors.append(f"message {i}: outer payload is not awsauth's inner message")
        if i == len(stream["messages"]):
            continue
        described = stream["messages"][i]
        try:
            inner_decoded = botocore_messages(inner, [])
        except Exception as exc:  # noqa: BLE001
            errors.append(f"message {i}: botocore could not decode the inner message: {exc!r}")
            continue
        if len(inner_decoded) != 1:
            errors.append(f"message {i}: inner decodes into {len(inner_decoded)} messages")
            continue
        want_headers = {n: expected_value(k, v) for n, k, v in described["headers"]}
        if inner_decoded[0].headers != want_headers:
            errors.append(f"message {i}: inner headers {inner_decoded[0].headers!r}, "
                          f"expected {want_headers!r}")
        if inner_decoded[0].payload != bytes.fromhex(described["payload_hex"]):
            errors.append(f"message {i}: inner payload differs")
    return len(decoded), errors


def main():
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        stream = json.loads(line.decode("utf-8"))
        previous = stream["seed"]
        inner_hex, outer_hex, signatures, dates = [], [], [], []
        for m in stream["messages"]:
            headers = b"".join(encode_header(n, k, v) for n, k, v in m["headers"])
            inner = frame(headers, bytes.fromhex(m["payload_hex"]))
            signature, date_ms, outer = sign(stream, previous, inner, m["time_ms"])
            previous = signature.hex()
            inner_hex.append(inner.hex())
            outer_hex.append(outer.hex())
            signatures.append(signature)
            dates.append(date_ms)
        signature, date_ms, outer = sign(stream, previous, b"", stream["end"]["time_ms"])
        outer_hex.append(outer.hex())
        signatures.append(signature)
        dates.append(date_ms)
        count, errors = check_stream(stream, signatures, dates)
        print(json.dumps({"id": stream["id"], "inner_hex": inner_hex, "outer_hex": outer_hex,
                          "signatures": [s.hex() for s in signatures],
                          "botocore_messages": count, "botocore_errors": errors}))


if __name__ == "__main__":
    main()
