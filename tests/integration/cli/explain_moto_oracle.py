#!/usr/bin/env python3
"""What moto computed when it rejected a request, which moto 5.2 does not say.

moto checks a SigV4 signature (moto/iam/access_control.py, IAMRequestBase) by rebuilding the
request with botocore from the headers named in SignedHeaders, the region and service of the
Credential scope and the X-Amz-Date, and comparing signatures; its SignatureDoesNotMatch body
carries only the code and a message. This script repeats that computation with botocore for a
request as it reached moto and prints the canonical request and string to sign, as JSON, so the
test can add them to moto's real body the way AWS services do ("The Canonical String for this
request should have been ...").

Usage: explain_moto_oracle.py REQUEST_JSON   ({"method", "url", "headers": [[n, v]...],
"body_hex"}). Exit status 3 when botocore cannot be imported.
"""
import json
import sys

try:
    from botocore.auth import S3SigV4Auth, SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except Exception as exc:  # noqa: BLE001
    print(f"explain_moto_oracle: cannot import botocore: {exc}", file=sys.stderr)
    sys.exit(3)


def between(text, first, second):
    return text.partition(first)[2].partition(second)[0]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        request = json.load(f)
    headers = {name: value for name, value in request["headers"]}
    auth_header = next(v for k, v in headers.items() if k.lower() == "authorization")
    signed = between(auth_header, "SignedHeaders=", ",").split(";")
    scope = between(auth_header, "Credential=", ",").split("/")
    region, service = scope[2], scope[3]
    kept = {k: v for k, v in headers.items() if k.lower() in signed}
    req = AWSRequest(method=request["method"], url=request["url"],
                     data=bytes.fromhex(request["body_hex"]), headers=kept)
    req.context["timestamp"] = next(v for k, v in kept.items() if k.lower() == "x-amz-date")
    cls = S3SigV4Auth if service == "s3" else SigV4Auth
    auth = cls(Credentials(scope[0], "not-needed-for-the-texts"), service, region)
    canonical = auth.canonical_request(req)
    print(json.dumps({"canonical_request": canonical,
                      "string_to_sign": auth.string_to_sign(req, canonical)}))


if __name__ == "__main__":
    main()
