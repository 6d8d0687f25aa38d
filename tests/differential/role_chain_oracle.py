"""botocore's side of the role-chain differential test.

Usage: role_chain_oracle.py CASES.json RESULTS.json

For each case: set exactly its environment (HOME, config/credentials files, STS endpoint on
the loopback moto_server, region, optional keys), build a botocore Session (with the explicit
profile when the case has one), and record the ARN that STS GetCallerIdentity reports for the
resolved credentials, or the error. All cases run in this one process.
"""
import json
import os
import sys

try:
    import botocore.session
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
        try:
            session = botocore.session.Session(profile=case.get("profile"))
            if session.get_credentials() is None:
                results[case["id"]] = {"error": "no credentials"}
                continue
            sts = session.create_client("sts", region_name="us-east-1")
            results[case["id"]] = {"arn": sts.get_caller_identity()["Arn"]}
        except Exception as exc:  # recorded: awsauth must fail on the same cases
            results[case["id"]] = {"error": f"{type(exc).__name__}: {exc}"}
    with open(results_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
