#!/usr/bin/env python3
"""Oracle for the `aws login` (login_session) differential test.

Reads MANIFEST (written by login_differential_test.cpp): the sign-in endpoint and, per case, a
config file, a profile and a copy of the login token cache directory. Resolves each case with
botocore 1.43 (Session(profile=...).get_credentials()) against the same loopback sign-in
service awsauth used, in this one process, then compares the token file botocore left with the
one awsauth left. Writes RESULT: per case what botocore found (keys, account, method, expiry) or
its error, and whether the two cache files are equivalent.

botocore's LoginProvider needs `awscrt.crypto.EC` (the optional `botocore[crt]` extra) for the
DPoP signature. The only awscrt on this machine's package registries is Debian's 0.16.8, whose
awscrt.crypto has Hash and HMAC but no EC (botocore.compat.EC stays None and LoginProvider
raises MissingDependencyException). So EC is supplied here with the same three calls botocore
makes (new_key_from_der_data, get_public_coords, sign of a SHA-256 digest, and
decode_der_signature_to_padded_pair) over the `cryptography` package; everything else --
LoginProvider, LoginCredentialFetcher, _build_dpop_header, the signin client, JSONFileCache --
is botocore's own code, unmodified.

usage: login_oracle.py MANIFEST RESULT
"""
import json
import os
import re
import sys

try:
    import botocore
    import botocore.credentials
    import botocore.session
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric import utils as ec_utils
except Exception as e:  # the test must fail loudly, never skip
    print(f"cannot import botocore or cryptography: {e}", file=sys.stderr)
    sys.exit(3)


class _EcKey:
    """awscrt.crypto.EC's key object, as far as botocore uses it."""

    def __init__(self, key):
        self._key = key

    def get_public_coords(self):
        numbers = self._key.public_key().public_numbers()
        return numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")

    def sign(self, digest):
        # awscrt signs the digest botocore computed (sha256(signing_input).digest()).
        return self._key.sign(digest, ec.ECDSA(ec_utils.Prehashed(hashes.SHA256())))


class _EC:
    @staticmethod
    def new_key_from_der_data(der):
        try:
            key = serialization.load_der_private_key(der, password=None)
        except Exception as e:
            raise ValueError(str(e))
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("not an EC key")
        return _EcKey(key)

    @staticmethod
    def decode_der_signature_to_padded_pair(signature, pad_to):
        r, s = ec_utils.decode_dss_signature(signature)
        return r.to_bytes(pad_to, "big") + s.to_bytes(pad_to, "big")


def resolve(case, endpoint, home):
    os.environ.clear()
    os.environ.update(
        {
            "HOME": home,
            "AWS_CONFIG_FILE": case["config"],
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "no-credentials-file"),
            "AWS_LOGIN_CACHE_DIRECTORY": case["botocore_cache_dir"],
            "AWS_ENDPOINT_URL_SIGNIN": endpoint,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    try:
        creds = botocore.session.Session(profile=case["profile"]).get_credentials()
        if creds is None:
            return {"ok": False, "error": "no credentials"}
        frozen = creds.get_frozen_credentials()
        expiry = getattr(creds, "_expiry_time", None)
        return {
            "ok": True,
            "access_key": frozen.access_key,
            "secret_key": frozen.secret_key,
            "token": frozen.token,
            "account_id": frozen.account_id,
            "method": creds.method,
            "expiry_epoch": int(expiry.timestamp()) if expiry is not None else None,
        }
    except Exception as e:
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def compare_files(ours_path, theirs_path):
    """Equivalent: the same JSON value, except accessToken.expiresAt within 30 s (each client
    refreshed at its own moment: expiresAt is now + expiresIn)."""
    ours, theirs = load(ours_path), load(theirs_path)
    if ours is None or theirs is None:
        return ours is None and theirs is None, "present" if ours else "absent"
    if list(ours.keys()) != list(theirs.keys()):
        return False, f"field order {list(ours.keys())} vs {list(theirs.keys())}"
    # expiresAt as botocore writes it: strftime('%Y-%m-%dT%H:%M:%SZ').
    shape = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    for name, doc in (("awsauth", ours), ("botocore", theirs)):
        when = doc.get("accessToken", {}).get("expiresAt", "")
        if not shape.fullmatch(str(when)):
            return False, f"{name}'s expiresAt {when!r} is not YYYY-MM-DDTHH:MM:SSZ"
    skew = 0
    try:
        from dateutil.parser import parse

        skew = abs(
            (
                parse(ours["accessToken"]["expiresAt"]) - parse(theirs["accessToken"]["expiresAt"])
            ).total_seconds()
        )
        ours["accessToken"]["expiresAt"] = theirs["accessToken"]["expiresAt"] = "X"
    except Exception:
        pass
    if ours != theirs:
        return False, "contents differ"
    if skew > 30:
        return False, f"expiresAt {skew} s apart"
    return True, f"equal (expiresAt {skew:.0f} s apart)"


def main():
    manifest_path, result_path = sys.argv[1], sys.argv[2]
    with open(manifest_path) as f:
        manifest = json.load(f)
    if botocore.__version__ != "1.43.11":
        print(f"expected botocore 1.43.11, found {botocore.__version__}", file=sys.stderr)
        sys.exit(4)
    botocore.credentials.EC = _EC
    results = []
    for case in manifest["cases"]:
        found = resolve(case, manifest["endpoint"], manifest["home"])
        same, why = compare_files(case["awsauth_cache_file"], case["botocore_cache_file"])
        found["files_equivalent"] = same
        found["files_note"] = why
        results.append(found)
    with open(result_path, "w") as f:
        json.dump({"results": results}, f)


if __name__ == "__main__":
    main()
