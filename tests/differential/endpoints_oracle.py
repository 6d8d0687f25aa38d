#!/usr/bin/env python3
"""Oracle for endpoints_botocore_test: where botocore sends a call.

Reads a JSON list of cases on stdin, each {"service": "sts"|"sso"|"sso-oidc"|"signin",
"region": ..., "env": {...}, "config": "<config file text>", "profile": name or null}, and
prints one JSON object per case: {"url": <endpoint URL without the operation path>,
"signing_region": <region of the SigV4 scope, STS only>} or {"error": <message>}.

Each case gets a fresh botocore Session over its own config file and environment; the request
is stopped in `before-send`, so nothing leaves the machine.
"""
import json
import os
import sys
import tempfile
import urllib.parse

import botocore.loaders
import botocore.session
from botocore.awsrequest import AWSResponse

# The operation each service is asked for, and its path, cut off the URL botocore builds.
OPERATIONS = {
    "sts": ("get_caller_identity", {}, "/"),
    "sso": ("get_role_credentials",
            {"roleName": "r", "accountId": "123456789012", "accessToken": "t"},
            "/federation/credentials"),
    "sso-oidc": ("create_token",
                 {"clientId": "c", "clientSecret": "s", "grantType": "refresh_token"},
                 "/token"),
    "signin": ("create_o_auth2_token",
               {"tokenInput": {"clientId": "c", "grantType": "refresh_token",
                               "refreshToken": "r"}},
               "/v1/token"),
}


class Stop(Exception):
    pass


def resolve(case, workdir, loader):
    config = os.path.join(workdir, "config")
    with open(config, "w") as f:
        f.write(case.get("config", ""))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_CONFIG_FILE": config,
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(workdir, "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    env.update(case.get("env", {}))
    os.environ.clear()
    os.environ.update(env)

    session = botocore.session.Session(profile=case.get("profile"))
    session.register_component("data_loader", loader)  # models parsed once, not per case
    service = case["service"]
    client = session.create_client(
        service, region_name=case["region"], aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret")
    seen = {}

    def before_send(request, **kwargs):
        seen["url"] = request.url
        seen["auth"] = request.headers.get("Authorization", b"")
        raise Stop()

    client.meta.events.register("before-send", before_send)
    name, params, path = OPERATIONS[service]
    try:
        getattr(client, name)(**params)
    except Stop:
        pass
    parts = urllib.parse.urlsplit(seen["url"])
    base = parts.path
    if base.endswith(path):
        base = base[: len(base) - len(path)]
    out = {"url": urllib.parse.urlunsplit((parts.scheme, parts.netloc, base, "", ""))}
    auth = seen["auth"]
    if isinstance(auth, bytes):
        auth = auth.decode()
    if "Credential=" in auth:
        out["signing_region"] = auth.split("Credential=")[1].split("/")[2]
    return out


def main():
    cases = json.load(sys.stdin)
    saved = dict(os.environ)
    loader = botocore.loaders.create_loader()
    with tempfile.TemporaryDirectory() as workdir:
        for case in cases:
            try:
                result = resolve(case, workdir, loader)
            except Exception as e:  # botocore's own error: the test expects one too
                result = {"error": f"{type(e).__name__}: {e}"}
            print(json.dumps(result))
    os.environ.clear()
    os.environ.update(saved)


if __name__ == "__main__":
    main()
