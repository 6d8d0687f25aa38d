#!/usr/bin/env python3
"""botocore as the SigV4 oracle for awsauth's differential test.

Generates requests from a fixed seed, signs every one with botocore 1.43 in this one process,
and prints one JSON object per line: the request as awsauth receives it (wire URL, headers in
order, body as hex, flags) plus botocore's canonical request and signature.

How each request reaches botocore mirrors how botocore's own clients build requests:
* Paths: S3 paths are sent as botocore's S3 serializer sends keys (quote(key, safe='/~'));
  non-S3 paths may also carry raw sub-delimiters, '.'/'..' and empty segments (botocore
  normalizes and encodes those again).
* Header-mode queries: botocore signs the query string verbatim, so it gets the strict
  RFC 3986 encoding its serializers produce; awsauth gets a wire variant of the same
  parameters ('+' or %20 for spaces, lowercase or needless escapes) and must canonicalize it
  to the same bytes. Presign: botocore parses the query itself (parse_qs), so both get the
  same wire variant; repeated keys are left out there because botocore's presigner keeps only
  one value per key.
* Presigned requests carry no body (botocore's presigner moves a body into the query).
Exit status 3 (and a message) when botocore cannot be imported: the test must fail, not skip.
"""
import argparse
import datetime
import json
import random
import sys
from urllib.parse import quote

try:
    import botocore
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.config import Config
    from botocore.credentials import Credentials
except Exception as exc:  # noqa: BLE001 - any import failure must be loud
    print(f"signer_oracle: cannot import botocore: {exc}", file=sys.stderr)
    sys.exit(3)

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example/token=="

WORDS = ["a", "photos", "2024", "cat pic.jpg", "x_y-z~", "caf\u00e9", "\u65e5\u672c",
         "\u2713ok", "data.json", "A-Z", "plus+sign", "a%b", "q?x", "hash#tag", "semi;colon",
         "eq=al", "at@home", "dollar$", "colon:x", "comma,y", "bang!", "paren(s)", "star*",
         "quote'x", "tilde~", "space  run"]
RAW_SUBDELIMS = "$@:=!,;'()*"
QKEYS = ["Action", "Version", "list-type", "prefix", "max-keys", "k", "empty", "a b",
         "caf\u00e9", "x/y", "plus+key", "~t", "Z", "z", "versionId", "\u2603"]
QVALS = ["", "1", "abc", "a b", "a+b", "x/y:z", "\u00fcber", "100%", "=", "&amp", "*",
         "tilde~", "\u65e5", "A_b-c.d"]
HNAMES = ["X-Amz-Meta-Note", "x-custom", "Content-Type", "My-Header", "X-Trace", "Accept",
          "amz-sdk-invocation-id", "Range", "x-amz-meta-Caps", "Content-Length"]
IGNORED = ["User-Agent", "X-Amzn-Trace-Id", "Expect", "Connection", "Transfer-Encoding",
           "Keep-Alive", "TE", "Upgrade", "Trailer", "Proxy-Authorization"]
HVALS = ["v", "  lead", "trail  ", "in   side", "\tTab\t sep ", "", "   ", "a, b", "\"q  q\"",
         "UPPER lower", "application/json; charset=utf-8"]
REGIONS = ["us-east-1", "eu-west-3", "ap-southeast-2", "us-gov-west-1"]
SERVICES = ["iam", "sts", "execute-api", "dynamodb", "lambda", "ec2"]
METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"]


def strict(s):
    return quote(s, safe="-_.~")


def wire_variant(s, rng):
    """A query component as a client might really send it, decoding to the same text."""
    out = []
    for ch in s:
        r = rng.random()
        if ch == " ":
            out.append("+" if r < 0.5 else "%20")
        elif ch.isascii() and (ch.isalnum() or ch in "-_.~"):
            out.append(ch if r < 0.85 else "%%%02x" % ord(ch))
        else:
            enc = quote(ch, safe="")
            out.append(enc.lower() if r < 0.3 else enc)
    return "".join(out)


def make_path(rng, s3):
    segs = []
    for _ in range(rng.randint(0, 5)):
        r = rng.random()
        if not s3 and r < 0.12:
            segs.append(rng.choice([".", "..", ""]))
        elif s3 and r < 0.08:
            segs.append(rng.choice([".", ".."]))  # S3 keys may hold them; signed as given
        else:
            segs.append(rng.choice(WORDS))
    raw = "/" + "/".join(segs)
    if segs and rng.random() < 0.3:
        raw += "/"
    if s3:
        return quote(raw, safe="/~")
    out = []
    for ch in raw:
        if ch in RAW_SUBDELIMS and rng.random() < 0.5:
            out.append(ch)
        elif ch == "/" or (ch.isascii() and (ch.isalnum() or ch in "-_.~")):
            out.append(ch)
        else:
            out.append(quote(ch, safe=""))
    return "".join(out)


def make_case(rng, i):
    s3 = rng.random() < 0.45
    presign = rng.random() < 0.35
    case = {
        "id": i,
        "s3": s3,
        "presign": presign,
        "token": rng.random() < 0.5,
        "unsigned": rng.random() < 0.3 and not (presign and not s3),
        "method": rng.choice(METHODS),
        "region": rng.choice(REGIONS),
        "service": "s3" if s3 else rng.choice(SERVICES),
        "expires": rng.choice([1, 60, 3600, 86400, 604800]),
    }
    t = datetime.datetime(2015, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 16 * 365 * 86400))
    case["time"] = t.strftime("%Y%m%dT%H%M%SZ")
    host = ("bucket.s3.%s.amazonaws.com" % case["region"]) if s3 else \
        ("%s.%s.amazonaws.com" % (case["service"], case["region"]))
    port = rng.choice(["", "", "", ":443", ":8443"])
    scheme = "https"
    path = make_path(rng, s3)
    params = []
    for _ in range(rng.randint(0, 5)):
        k = rng.choice(QKEYS)
        params.append((k, rng.choice(QVALS), rng.random() < 0.1))  # (key, value, no '=')
    if presign:
        seen, unique = set(), []
        for p in params:
            if p[0] not in seen:
                seen.add(p[0])
                unique.append(p)
        params = unique
    elif params and rng.random() < 0.4:
        params.append((params[0][0], rng.choice(QVALS), False))  # a repeated key
    def render(enc):
        return "&".join(enc(k) if (bare and v == "") else enc(k) + "=" + enc(v) for k, v, bare in params)
    awsauth_query = render(lambda s: wire_variant(s, rng))
    botocore_query = awsauth_query if presign else render(strict)
    headers = []
    if rng.random() < 0.3:
        headers.append(["Host", host + ("" if port in ("", ":443") else port)])
    for _ in range(rng.randint(0, 5)):
        name = rng.choice(HNAMES + IGNORED[:3] if rng.random() < 0.8 else IGNORED)
        if rng.random() < 0.3:
            name = name.upper() if rng.random() < 0.5 else name.lower()
        headers.append([name, rng.choice(HVALS)])
        if rng.random() < 0.2:
            headers.append([name.lower(), rng.choice(HVALS)])  # repeated header
    if rng.random() < 0.08:
        # A caller's payload hash: botocore signs it as the payload hash unless it sets its own.
        headers.append([rng.choice(["X-Amz-Content-SHA256", "x-amz-content-sha256"]),
                        rng.choice(["UNSIGNED-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"])])
    if presign:
        headers = [h for h in headers if not (h[0].lower() == "content-type" and
                   h[1] == "application/x-www-form-urlencoded; charset=utf-8")]
    body = b"" if presign or rng.random() < 0.4 else bytes(
        rng.randrange(256) for _ in range(rng.randint(1, 300)))
    case["headers"] = headers
    case["body_hex"] = body.hex()
    base = f"{scheme}://{host}{port}{path}"
    case["url"] = base + ("?" + awsauth_query if awsauth_query else "")
    case["botocore_url"] = base + ("?" + botocore_query if botocore_query else "")
    return case, body


def sign_with_botocore(case, body):
    creds = Credentials(AKID, SECRET, TOKEN if case["token"] else None)
    fixed = datetime.datetime.strptime(case["time"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda: fixed
    req = AWSRequest(method=case["method"], url=case["botocore_url"], data=body)
    for name, value in case["headers"]:
        req.headers[name] = value
    s3, presign = case["s3"], case["presign"]
    if presign:
        cls = botocore.auth.S3SigV4QueryAuth if s3 else botocore.auth.SigV4QueryAuth
        auth = cls(creds, case["service"], case["region"], expires=case["expires"])
    else:
        cls = botocore.auth.S3SigV4Auth if s3 else botocore.auth.SigV4Auth
        auth = cls(creds, case["service"], case["region"])
    if case["unsigned"]:
        req.context["payload_signing_enabled"] = False
        if s3:
            req.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    captured = []
    original = auth.string_to_sign
    auth.string_to_sign = lambda r, cr: (captured.append(cr), original(r, cr))[1]
    auth.add_auth(req)
    if presign:
        sig = req.url.rsplit("X-Amz-Signature=", 1)[1]
    else:
        sig = req.headers["Authorization"].rsplit("Signature=", 1)[1]
    return sig, captured[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    for i in range(args.count):
        case, body = make_case(rng, i)
        sig, cr = sign_with_botocore(case, body)
        case["botocore_signature"] = sig
        case["botocore_canonical_request"] = cr
        out.write(json.dumps(case) + "\n")
    print(f"signer_oracle: botocore {botocore.__version__} signed {args.count} requests",
          file=sys.stderr)


if __name__ == "__main__":
    main()
