"""botocore's side of the SSO differential test.

Usage: sso_oracle.py CASES.json RESULTS.json

For each case: set exactly its environment (HOME with its config file and token cache, the
fake IAM Identity Center on loopback through AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC),
build a botocore Session for the case's profile and record the credentials it resolves (keys,
expiry, method), or the error. All cases run in this one process.
"""
import json
import os
import sys

try:
    import botocore.credentials
    import botocore.session
    import botocore.tokens
except Exception as exc:  # the test must fail loudly, never skip
    print(f"cannot import botocore: {exc}", file=sys.stderr)
    sys.exit(3)


def main():
    cases_path, results_path = sys.argv[1], sys.argv[2]
    with open(cases_path) as f:
        cases = json.load(f)
    keep = {k: os.environ[k] for k in ("PATH",) if k in os.environ}
    results = {}
    for case in cases:
        os.environ.clear()
        os.environ.update(keep)
        os.environ.update(case["env"])
        # botocore computes the token cache directory from HOME once, when it is imported; a
        # process started with this case's HOME would use this one.
        cache_dir = os.path.join(case["env"]["HOME"], ".aws", "sso", "cache")
        botocore.credentials.SSOProvider._SSO_TOKEN_CACHE_DIR = cache_dir
        botocore.tokens.SSOTokenProvider._SSO_TOKEN_CACHE_DIR = cache_dir
        try:
            session = botocore.session.Session(profile=case["profile"])
            credentials = session.get_credentials()
            if credentials is None:
                results[case["id"]] = {"error": "no credentials"}
                continue
            frozen = credentials.get_frozen_credentials()
            expiry = getattr(credentials, "_expiry_time", None)
            results[case["id"]] = {
                "access_key_id": frozen.access_key,
                "secret_access_key": frozen.secret_key,
                "session_token": frozen.token or "",
                "expiration": expiry.strftime("%Y-%m-%dT%H:%M:%SZ") if expiry else "",
                "method": credentials.method,
            }
        except Exception as exc:  # recorded: awsauth must fail on the same cases
            results[case["id"]] = {"error": f"{type(exc).__name__}: {exc}"}
    with open(results_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
