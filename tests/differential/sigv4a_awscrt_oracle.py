#!/usr/bin/python3
"""awscrt (aws-c-auth through python3-awscrt) as the SigV4a oracle for awsauth.

Run with Debian's /usr/bin/python3, which has awscrt and cryptography. Two modes:

  generate --seed S --count N
      First line: {"kind": "key", "public_key": X||Y hex} for the example credentials, derived
      here from the SigV4a KDF written out in Python (not awsauth's code) and turned into a
      point by `cryptography`. Then one {"kind": "case", ...} line per generated request: the
      request as awsauth receives it, the signing options, and what awscrt added when it signed
      it with AwsSigningAlgorithm.V4_ASYMMETRIC (the signed request's headers and path).
  verify
      Reads {"string_to_sign", "signature"} lines on stdin and prints {"ok": bool} for each:
      `cryptography` verifies awsauth's signatures with the key derived here.

awscrt does not expose the canonical request or the string to sign, so the test compares the
added headers / query parameters except the signature, and cross-verifies the signatures.
The generated requests stay where aws-c-auth and awsauth canonicalize alike by design: query
components strictly encoded (aws-c-auth does not read '+' as a space), header values with
spaces only (no tabs), no headers either signer leaves out.
Exit status 3 (and a message) when awscrt or cryptography cannot be imported.
"""
import argparse
import datetime
import hashlib
import hmac
import io
import json
import random
import sys
from urllib.parse import quote

try:
    from awscrt.auth import (AwsCredentialsProvider, AwsSignatureType, AwsSignedBodyHeaderType,
                             AwsSignedBodyValue, AwsSigningAlgorithm, AwsSigningConfig,
                             aws_sign_request)
    from awscrt.http import HttpHeaders, HttpRequest
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
except Exception as exc:  # noqa: BLE001 - any import failure must be loud
    print(f"sigv4a_awscrt_oracle: cannot import awscrt/cryptography: {exc}", file=sys.stderr)
    sys.exit(3)

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example/token=="
P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

WORDS = ["a", "photos", "2024", "cat pic.jpg", "x_y-z~", "caf\u00e9", "\u65e5\u672c",
         "data.json", "A-Z", "plus+sign", "a%b", "semi;colon", "eq=al", "at@home", "dollar$",
         "colon:x", "comma,y", "paren(s)", "star*", "tilde~"]
QKEYS = ["Action", "Version", "list-type", "prefix", "max-keys", "k", "a b", "caf\u00e9", "x/y",
         "plus+key", "~t", "Z", "z", "versionId", "\u2603"]
QVALS = ["", "1", "abc", "a b", "a+b", "x/y:z", "\u00fcber", "100%", "=", "*", "tilde~",
         "\u65e5", "A_b-c.d", "us-east-1,us-west-2"]
HNAMES = ["X-Amz-Meta-Note", "x-custom", "Content-Type", "My-Header", "X-Trace", "Accept",
          "amz-sdk-invocation-id", "Range", "x-amz-meta-Caps"]
HVALS = ["v", "  lead", "trail  ", "in   side", "a, b", "\"q  q\"", "UPPER lower",
         "application/json; charset=utf-8", "x"]
REGION_SETS = ["us-east-1", "*", "us-east-1,us-west-2", "eu-west-1,eu-central-1,ap-south-1",
               "us-gov-west-1"]
SERVICES = ["s3", "service", "execute-api", "lambda", "vpc-lattice-svcs-x"]
METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"]


def strict(s):
    return quote(s, safe="-_.~")


def private_scalar(akid, secret):
    """The SigV4a KDF (NIST SP 800-108 counter mode, HMAC-SHA256), independently of awsauth."""
    key = ("AWS4A" + secret).encode()
    for counter in range(1, 255):
        fixed = (b"\x00\x00\x00\x01" + b"AWS4-ECDSA-P256-SHA256" + b"\x00" + akid.encode() +
                 bytes([counter]) + b"\x00\x00\x01\x00")
        k0 = int.from_bytes(hmac.new(key, fixed, hashlib.sha256).digest(), "big")
        if k0 <= P256_N - 2:
            return k0 + 1
    raise RuntimeError("no scalar")


def private_key():
    return ec.derive_private_key(private_scalar(AKID, SECRET), ec.SECP256R1())


def public_key_hex():
    numbers = private_key().public_key().public_numbers()
    return "%064x%064x" % (numbers.x, numbers.y)


def make_case(rng, i):
    s3 = rng.random() < 0.3
    presign = rng.random() < 0.4
    method = rng.choice(METHODS)
    segments = [strict(rng.choice(WORDS)) for _ in range(rng.randint(0, 4))]
    if not s3 and rng.random() < 0.3:
        # Dot segments and empty segments, which the normalizing signers remove alike.
        segments.insert(rng.randint(0, len(segments)), rng.choice([".", "..", ""]))
    path = "/" + "/".join(segments)
    if rng.random() < 0.2:
        path += "/"
    pairs = []
    for _ in range(rng.randint(0, 4)):
        pairs.append((strict(rng.choice(QKEYS)), strict(rng.choice(QVALS))))
    query = "&".join(k + "=" + v for k, v in pairs)
    headers = [["Host", "example.amazonaws.com"]]
    for _ in range(rng.randint(0, 4)):
        headers.append([rng.choice(HNAMES), rng.choice(HVALS)])
    body = b""
    if not presign and method in ("PUT", "POST", "PATCH") and rng.random() < 0.7:
        body = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    token = rng.random() < 0.4
    omit_token = token and rng.random() < 0.25
    unsigned = rng.random() < 0.2
    add_sha = s3 or (not presign and rng.random() < 0.2)
    t = datetime.datetime(2015, 8, 30, 12, 36, tzinfo=datetime.timezone.utc) + datetime.timedelta(
        seconds=rng.randint(0, 400 * 86400))
    return {
        "kind": "case", "id": i, "method": method, "path": path, "query": query,
        "headers": headers, "body_hex": body.hex(), "region_set": rng.choice(REGION_SETS),
        "service": rng.choice(SERVICES), "s3": s3, "presign": presign,
        "expires": rng.choice([1, 60, 3600, 604800]), "token": token, "omit_token": omit_token,
        "unsigned": unsigned, "add_sha": add_sha, "time": t.strftime("%Y%m%dT%H%M%SZ"),
        "_datetime": t,
    }


def sign_with_awscrt(case):
    target = case["path"] + ("?" + case["query"] if case["query"] else "")
    body = bytes.fromhex(case["body_hex"])
    request = HttpRequest(case["method"], target, HttpHeaders([tuple(h) for h in case["headers"]]),
                          io.BytesIO(body))
    config = AwsSigningConfig(
        algorithm=AwsSigningAlgorithm.V4_ASYMMETRIC,
        signature_type=(AwsSignatureType.HTTP_REQUEST_QUERY_PARAMS if case["presign"]
                        else AwsSignatureType.HTTP_REQUEST_HEADERS),
        credentials_provider=AwsCredentialsProvider.new_static(
            AKID, SECRET, TOKEN if case["token"] else None),
        region=case["region_set"],
        service=case["service"],
        date=case["_datetime"],
        use_double_uri_encode=not case["s3"],
        should_normalize_uri_path=not case["s3"],
        signed_body_value=AwsSignedBodyValue.UNSIGNED_PAYLOAD if case["unsigned"] else None,
        signed_body_header_type=(AwsSignedBodyHeaderType.X_AMZ_CONTENT_SHA_256
                                 if case["add_sha"] else AwsSignedBodyHeaderType.NONE),
        expiration_in_seconds=case["expires"] if case["presign"] else None,
        omit_session_token=case["omit_token"])
    signed = aws_sign_request(request, config).result(timeout=30)
    return signed.path, [[n, v] for n, v in signed.headers]


def generate(seed, count):
    rng = random.Random(seed)
    print(json.dumps({"kind": "key", "public_key": public_key_hex()}))
    for i in range(count):
        case = make_case(rng, i)
        case["awscrt_path"], case["awscrt_headers"] = sign_with_awscrt(case)
        del case["_datetime"]
        print(json.dumps(case))


def verify():
    public = private_key().public_key()
    for line in sys.stdin:
        item = json.loads(line)
        try:
            public.verify(bytes.fromhex(item["signature"]), item["string_to_sign"].encode(),
                          ec.ECDSA(hashes.SHA256()))
            ok = True
        except (InvalidSignature, ValueError):
            ok = False
        print(json.dumps({"ok": ok}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["generate", "verify"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    if args.mode == "generate":
        generate(args.seed, args.count)
    else:
        verify()


if __name__ == "__main__":
    main()
