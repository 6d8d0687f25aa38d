#!/usr/bin/env python3
"""awscrt (aws-c-auth) and plain hmac/hashlib as oracles for awsauth's aws-chunked signing.

Run with Debian's /usr/bin/python3, which has python3-awscrt (0.16). For each generated case it
prints one JSON line:
  * the request as awsauth receives it (path, headers in order, date, credentials choice) and the
    upload (mode, decoded length, chunk size, checksum);
  * awscrt's seed signature: aws_sign_request() in header mode with signed_body_value set to the
    streaming literal, after this script added the aws-chunked headers itself (Content-Encoding,
    X-Amz-Decoded-Content-Length, the encoded Content-Length it computes from the S3 framing,
    X-Amz-Trailer);
  * the chunk and trailer signature chain from that seed, and the whole framed body's length and
    SHA-256, computed here with hmac/hashlib (awscrt 0.16's Python API cannot sign chunks: its
    AwsSignatureType has only HTTP_REQUEST_HEADERS and HTTP_REQUEST_QUERY_PARAMS);
  * checksums (awscrt.checksums.crc32/crc32c, hashlib) of the payload.
The payload of `size` bytes is sha256(b"<case>:<i>") for i = 0, 1, ... concatenated and cut.

`--checksums N` instead prints CRC32/CRC32C of slices of one generated buffer (awscrt.checksums).
Exit status 3 when awscrt cannot be imported.
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import json
import random
import sys

try:
    from awscrt import auth, checksums, http
except Exception as exc:  # noqa: BLE001 - the caller decides whether that is a skip
    print(f"chunked_oracle: cannot import awscrt: {exc}", file=sys.stderr)
    sys.exit(3)

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example/token=="
LITERALS = {
    "signed": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "signed-trailer": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "unsigned-trailer": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
}
EMPTY = hashlib.sha256(b"").hexdigest()


def payload(tag, size):
    out = bytearray()
    i = 0
    while len(out) < size:
        out += hashlib.sha256(f"{tag}:{i}".encode()).digest()
        i += 1
    return bytes(out[:size])


def checksum_b64(alg, data):
    if alg == "crc32":
        raw = checksums.crc32(data).to_bytes(4, "big")
    elif alg == "crc32c":
        raw = checksums.crc32c(data).to_bytes(4, "big")
    elif alg == "sha1":
        raw = hashlib.sha1(data).digest()
    else:
        raw = hashlib.sha256(data).digest()
    return base64.b64encode(raw).decode()


def hm(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def frame(mode, alg, data, chunk_size, key, amz_date, scope, seed):
    """The aws-chunked body and its signatures (S3 sigv4-streaming[-trailers].html)."""
    signed = mode != "unsigned-trailer"
    body = bytearray()
    sigs = []
    prev = seed
    pieces = [data[i:i + chunk_size] for i in range(0, len(data), chunk_size)] + [b""]
    for piece in pieces:
        line = f"{len(piece):x}"
        if signed:
            sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, prev, EMPTY,
                             hashlib.sha256(piece).hexdigest()])
            prev = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
            sigs.append(prev)
            line += ";chunk-signature=" + prev
        body += line.encode() + b"\r\n" + piece
        if piece:
            body += b"\r\n"
    trailer_sig = ""
    if mode == "signed":
        body += b"\r\n"
    else:
        name = "x-amz-checksum-" + alg
        value = checksum_b64(alg, data)
        body += f"{name}:{value}\r\n".encode()
        if mode == "signed-trailer":
            sts = "\n".join(["AWS4-HMAC-SHA256-TRAILER", amz_date, scope, prev,
                             hashlib.sha256(f"{name}:{value}\n".encode()).hexdigest()])
            trailer_sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
            body += f"x-amz-trailer-signature:{trailer_sig}\r\n".encode()
        body += b"\r\n"
    return bytes(body), sigs, trailer_sig


def encoded_length(mode, alg, size, chunk_size):
    """The same length from the framing rules alone, without building the body."""
    sig = len(";chunk-signature=") + 64 if mode != "unsigned-trailer" else 0
    n = 0
    full, rest = divmod(size, chunk_size)
    n += full * (len(f"{chunk_size:x}") + sig + 4 + chunk_size)
    if rest:
        n += len(f"{rest:x}") + sig + 4 + rest
    n += 1 + sig + 2
    if mode != "signed":
        n += len("x-amz-checksum-" + alg) + 1 + len(checksum_b64(alg, b"")) + 2
        if mode == "signed-trailer":
            n += len("x-amz-trailer-signature:") + 64 + 2
    return n + 2


def crt_sign(method, path, headers, literal, date, region, token):
    creds = auth.AwsCredentialsProvider.new_static(AKID, SECRET, TOKEN if token else None)
    req = http.HttpRequest(method, path, http.HttpHeaders(headers))
    cfg = auth.AwsSigningConfig(
        algorithm=auth.AwsSigningAlgorithm.V4,
        signature_type=auth.AwsSignatureType.HTTP_REQUEST_HEADERS,
        credentials_provider=creds, region=region, service="s3", date=date,
        use_double_uri_encode=False, should_normalize_uri_path=False,
        signed_body_value=literal,
        signed_body_header_type=auth.AwsSignedBodyHeaderType.X_AMZ_CONTENT_SHA_256)
    signed = auth.aws_sign_request(req, cfg).result(10)
    authz = signed.headers.get("Authorization")
    return authz.rsplit("Signature=", 1)[1], authz


def chunk_cases(seed, count):
    rng = random.Random(seed)
    regions = ["us-east-1", "eu-west-3", "ap-southeast-2"]
    for case in range(count):
        mode = ["signed", "signed-trailer", "unsigned-trailer"][case % 3]
        alg = None if mode == "signed" else ["crc32", "crc32c", "sha1", "sha256"][rng.randrange(4)]
        chunk_size = rng.choice([8192, 16384, 65536, 100000])
        size = rng.choice([0, 1, chunk_size - 1, chunk_size, chunk_size + 1,
                           rng.randrange(0, 4 * chunk_size)])
        region = rng.choice(regions)
        token = rng.random() < 0.3
        date = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
            seconds=rng.randrange(0, 86400 * 365))
        amz_date = date.strftime("%Y%m%dT%H%M%SZ")
        host = f"bucket{case}.s3.{region}.amazonaws.com"
        path = "/" + rng.choice(["key", "dir/obj.bin", "a-b_c.~txt", "photos/2026/x.jpg"])
        user_headers = [("Host", host)]
        if rng.random() < 0.5:
            user_headers.append(("X-Amz-Meta-Note", rng.choice(["v", "two words", "x=y"])))
        if rng.random() < 0.5:
            user_headers.append(("Content-Type", "application/octet-stream"))
        sign_length = rng.random() < 0.7
        data = payload(case, size)
        # The aws-chunked headers as S3 documents them, added here independently of awsauth.
        crt_headers = list(user_headers) + [("Content-Encoding", "aws-chunked")]
        if sign_length:
            crt_headers.append(("Content-Length", str(encoded_length(mode, alg, size, chunk_size))))
        crt_headers.append(("X-Amz-Decoded-Content-Length", str(size)))
        if alg:
            crt_headers.append(("X-Amz-Trailer", "x-amz-checksum-" + alg))
        seed_sig, authz = crt_sign("PUT", path, crt_headers, LITERALS[mode], date, region, token)

        scope = f"{amz_date[:8]}/{region}/s3/aws4_request"
        key = hm(hm(hm(hm(("AWS4" + SECRET).encode(), amz_date[:8]), region), "s3"),
                 "aws4_request")
        body, sigs, trailer_sig = frame(mode, alg, data, chunk_size, key, amz_date, scope,
                                        seed_sig)
        assert len(body) == encoded_length(mode, alg, size, chunk_size)
        print(json.dumps({
            "case": case, "mode": mode, "checksum": alg or "", "chunk_size": chunk_size,
            "size": size, "region": region, "token": token, "amz_date": amz_date,
            "host": host, "path": path, "headers": [[k, v] for k, v in user_headers[1:]],
            "sign_content_length": sign_length, "seed_signature": seed_sig,
            "authorization": authz, "chunk_signatures": sigs,
            "trailer_signature": trailer_sig, "encoded_length": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "checksum_value": checksum_b64(alg, data) if alg else "",
        }))


def checksum_cases(count):
    buf = payload("crc", (1 << 20) + 4096 + 64)
    rng = random.Random(7)
    sizes = list(range(0, 4097)) + [65536, 65537, 1 << 20]
    for i in range(count if count < len(sizes) else len(sizes)):
        size = sizes[i]
        offset = rng.randrange(0, 64)
        piece = buf[offset:offset + size]
        print(json.dumps({"offset": offset, "size": size, "crc32": checksums.crc32(piece),
                          "crc32c": checksums.crc32c(piece)}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--checksums", type=int, default=0)
    args = ap.parse_args()
    if args.checksums:
        checksum_cases(args.checksums)
    else:
        chunk_cases(args.seed, args.count)


if __name__ == "__main__":
    main()
