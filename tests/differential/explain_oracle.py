#!/usr/bin/env python3
"""botocore as the service side of `awsauth explain`'s recorded error bodies.

Each case is a request as a client signed it and the same request as the service received it
after something broke it (a proxy rewrote a header, a path was encoded differently, the scope
names another region...). The service's canonical request and string to sign are computed by
botocore 1.43 from the received request (S3SigV4Auth for S3, SigV4Auth otherwise, the way moto
verifies signatures) and written into an error body of the shape the service answers:

* S3: <Error><Code>SignatureDoesNotMatch</Code>...<StringToSign>, <CanonicalRequest> and both
  as hex <...Bytes> (one case without the bytes, as forum posts show them);
* query-protocol XML (STS): <ErrorResponse><Error><Code>SignatureDoesNotMatch</Code> whose
  Message carries "The Canonical String for this request should have been '...'";
* JSON (API Gateway, execute-api): {"message": "..."} with the same sentences, and one with
  "__type": "...#InvalidSignatureException".
Two S3 bodies carry no texts at all (RequestTimeTooSkewed, AuthorizationHeaderMalformed):
their shape is S3's documented one and nothing in them is computed.

Usage: explain_oracle.py OUTPUT_DIR   writes one <case>.<xml|json> per case.
The unit tests (tests/unit/signer/explain_test.cpp) read the committed copies in
tests/unit/signer/explain_bodies/; ExplainBotocore.RecordedBodiesAreWhatBotocoreComputes checks
that this script still writes exactly those files.
Exit status 3 when botocore cannot be imported.
"""
import json
import os
import sys
from xml.sax.saxutils import escape

try:
    from botocore.auth import S3SigV4Auth, SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except Exception as exc:  # noqa: BLE001 - any import failure must be loud
    print(f"explain_oracle: cannot import botocore: {exc}", file=sys.stderr)
    sys.exit(3)

AKID = "AKIDEXAMPLE"
# The service's copy of the secret; what it is does not change the canonical request.
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
DATE = "20240102T030405Z"
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
S3_HOST = "examplebucket.s3.amazonaws.com"
API_HOST = "abc123.execute-api.us-west-2.amazonaws.com"

S3_HEADERS = {
    "Host": S3_HOST,
    "Content-Type": "text/plain",
    "X-Amz-Meta-Tags": "a,b",
    "X-Amz-Content-SHA256": EMPTY,
    "X-Amz-Date": DATE,
}


def service_side(method, url, headers, body, region, service, s3):
    req = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
    req.context["timestamp"] = headers["X-Amz-Date"]
    cls = S3SigV4Auth if s3 else SigV4Auth
    auth = cls(Credentials(AKID, SECRET), service, region)
    canonical = auth.canonical_request(req)
    string_to_sign = auth.string_to_sign(req, canonical)
    return canonical, string_to_sign, auth.signature(string_to_sign, req)


def hex_bytes(text):
    return " ".join(f"{b:02x}" for b in text.encode("utf-8"))


def s3_body(canonical, string_to_sign, with_bytes=True):
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>',
        "<Message>The request signature we calculated does not match the signature you "
        "provided. Check your key and signing method.</Message>",
        f"<AWSAccessKeyId>{AKID}</AWSAccessKeyId>",
        f"<StringToSign>{escape(string_to_sign)}</StringToSign>",
        "<SignatureProvided>" + "0" * 64 + "</SignatureProvided>",
        f"<StringToSignBytes>{hex_bytes(string_to_sign) if with_bytes else ''}</StringToSignBytes>",
        f"<CanonicalRequest>{escape(canonical)}</CanonicalRequest>",
        f"<CanonicalRequestBytes>{hex_bytes(canonical) if with_bytes else ''}</CanonicalRequestBytes>",
        "<RequestId>4442587FB7D0A2F9</RequestId><HostId>recorded</HostId></Error>",
    ]
    return "".join(parts)


def mismatch_message(canonical, string_to_sign):
    return ("The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.\n\nThe Canonical String for this request should have "
            f"been\n'{canonical}'\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n")


def s3_case(path, query="list-type=2&prefix=a", **changes):
    headers = dict(S3_HEADERS)
    headers.update(changes)
    url = f"https://{S3_HOST}{path}" + (f"?{query}" if query else "")
    return service_side("GET", url, headers, b"", "us-east-1", "s3", True)[:2]


def api_case(body, region="us-west-2", service="execute-api"):
    headers = {
        "Host": API_HOST,
        "Content-Type": "application/json",
        "X-Amz-Date": DATE,
    }
    url = f"https://{API_HOST}/prod/items"
    return service_side("POST", url, headers, body, region, service, False)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {}
    # The received request is the signed one: only the key can differ.
    files["s3_same_texts.xml"] = s3_body(*s3_case("/photos/cat.jpg"))
    # Signed with double encoding (/photos/my%2520cat.jpg); S3 encodes the path once.
    files["s3_path_encoded_once.xml"] = s3_body(*s3_case("/photos/my%20cat.jpg"))
    # Signed as /photos/a%2Fb.jpg; a proxy decoded the %2F.
    files["s3_path_slash_decoded.xml"] = s3_body(*s3_case("/photos/a/b.jpg"))
    # Signed with prefix=a+b (a space); the client sent prefix=a%2Bb (a plus).
    files["s3_query_plus.xml"] = s3_body(*s3_case("/photos/cat.jpg", "list-type=2&prefix=a%2Bb"))
    # A proxy re-joined the list header with ", ".
    files["s3_header_whitespace.xml"] = s3_body(
        *s3_case("/photos/cat.jpg", **{"X-Amz-Meta-Tags": "a, b"}))
    # A proxy replaced the signed Content-Type (the text elements only, no hex bytes).
    files["s3_header_changed.xml"] = s3_body(
        *s3_case("/photos/cat.jpg", **{"Content-Type": "application/octet-stream"}),
        with_bytes=False)
    # S3's clock answer and its wrong-region answer: shapes, nothing computed.
    files["s3_request_time_too_skewed.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>RequestTimeTooSkewed</Code>'
        "<Message>The difference between the request time and the current time is too large."
        f"</Message><RequestTime>{DATE}</RequestTime><ServerTime>2024-01-02T04:30:00Z"
        "</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>"
        "<RequestId>5A37448A37622243</RequestId><HostId>recorded</HostId></Error>")
    files["s3_authorization_header_malformed.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AuthorizationHeaderMalformed'
        "</Code><Message>The authorization header is malformed; the region 'us-east-1' is "
        "wrong; expecting 'eu-west-1'</Message><Region>eu-west-1</Region>"
        "<RequestId>7B1C1D0BBC2C5B43</RequestId><HostId>recorded</HostId></Error>")
    # API Gateway: signed for us-east-1; the API is in us-west-2.
    files["api_wrong_region.json"] = json.dumps(
        {"message": mismatch_message(*api_case(b'{"a":1}')[:2])})
    # Signed for service "es"; the endpoint's signing name is execute-api.
    files["api_wrong_service.json"] = json.dumps(
        {"__type": "com.amazon.coral.service#InvalidSignatureException",
         "message": mismatch_message(*api_case(b'{"a":1}')[:2])})
    # The body was changed after signing ({"a":1} signed, {"a":2} received).
    files["api_payload_changed.json"] = json.dumps(
        {"message": mismatch_message(*api_case(b'{"a":2}')[:2])})
    # STS (query protocol), received as signed.
    sts_headers = {
        "Host": "sts.us-east-1.amazonaws.com",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Amz-Date": DATE,
    }
    cr, sts, _ = service_side("POST", "https://sts.us-east-1.amazonaws.com/", sts_headers,
                              b"Action=GetCallerIdentity&Version=2011-06-15", "us-east-1",
                              "sts", False)
    files["sts_same_texts.xml"] = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n'
        "    <Type>Sender</Type>\n    <Code>SignatureDoesNotMatch</Code>\n    <Message>"
        + escape(mismatch_message(cr, sts)) + "</Message>\n  </Error>\n"
        "  <RequestId>9f3b1c2e-recorded</RequestId>\n</ErrorResponse>\n")
    for name, text in sorted(files.items()):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)


if __name__ == "__main__":
    main()
