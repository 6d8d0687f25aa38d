#!/usr/bin/env python3
"""Oracle for the `awsauth creds` differential test.

Generates N cases (fixed seed) of config file, credentials file, environment and --profile under
ROOT, resolves each with botocore (Session(profile=...).get_credentials()) in this one process,
and writes ROOT/manifest.json: for each case the environment and profile to give awsauth and
what botocore found (keys and method) or that it failed.

Only syntax on which botocore's configparser and the cross-SDK parser vectors agree is
generated: no `value # comment`, no `key : value`, no section or key repeated in one file, no
names with spaces (those are tested against the shared vectors instead). Nor are the documented
differences generated: both AWS_SESSION_TOKEN and AWS_SECURITY_TOKEN with different values, a
secret without a key in the environment, empty key values.

usage: creds_oracle.py ROOT SEED COUNT
"""
import json
import os
import random
import sys

try:
    import botocore.session
except Exception as e:  # the test must fail loudly, never skip
    print(f"cannot import botocore: {e}", file=sys.stderr)
    sys.exit(3)

PROFILES = ["default", "dev", "prod"]


def script(path, body):
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body + "\n")
    os.chmod(path, 0o755)
    return path


def process_command(rng, case_dir, tag):
    kind = rng.choice(["ok", "ok", "ok_token", "ok_exp", "fail", "bad_version", "bad_json"])
    akid = f"AKIDPROC{tag.upper()}"
    bodies = {
        "ok": f"""echo '{{"Version": 1, "AccessKeyId": "{akid}", "SecretAccessKey": "ps-{tag}"}}'""",
        "ok_token": f"""echo '{{"Version": 1, "AccessKeyId": "{akid}", "SecretAccessKey": "ps", "SessionToken": "pt-{tag}"}}'""",
        "ok_exp": f"""echo '{{"Version": 1, "AccessKeyId": "{akid}", "SecretAccessKey": "ps", "SessionToken": "pt", "Expiration": "2099-01-01T00:00:00Z"}}'""",
        "fail": "echo 'helper failed' >&2; exit 2",
        "bad_version": f"""echo '{{"Version": 2, "AccessKeyId": "{akid}", "SecretAccessKey": "ps"}}'""",
        "bad_json": "echo 'not json'",
    }
    path = script(os.path.join(case_dir, f"helper-{tag}.sh"), bodies[kind])
    if rng.random() < 0.3:
        return f"sh '{path}' --flag \"two words\""
    return path


def section_lines(rng, case_dir, tag, allow_process):
    """Properties of one profile section, as lines."""
    lines = []
    if rng.random() < 0.3:
        lines.append("# a comment line")
    if rng.random() < 0.4:
        lines.append(rng.choice(["region = us-west-2", "region=eu-central-1", "output = json"]))
    keys = rng.choice(["full", "full", "token", "legacy_token", "key_only", "secret_only", "none"])
    upper = rng.random() < 0.15
    k = lambda name: name.upper() if upper else name
    akid = f"AKID{tag.upper()}"
    if keys in ("full", "token", "legacy_token", "key_only"):
        lines.append(f"{k('aws_access_key_id')} = {akid}")
    if keys in ("full", "token", "legacy_token", "secret_only"):
        lines.append(f"{k('aws_secret_access_key')}={'sk-' + tag}")
    if keys == "token":
        lines.append(f"aws_session_token = tok-{tag}")
    if keys == "legacy_token":
        lines.append(f"aws_security_token = legacy-{tag}")
    if allow_process and rng.random() < 0.3:
        lines.append("credential_process = " + process_command(rng, case_dir, tag))
    rng.shuffle(lines)
    return lines


def make_file(rng, case_dir, kind):
    """Text of a config or credentials file, or None for no file."""
    if rng.random() < 0.25:
        return None
    out = []
    if rng.random() < 0.2:
        out.append("; leading comment")
    names = rng.sample(PROFILES, rng.choice([0, 1, 2, 2, 3, 3]))
    for name in names:
        if kind == "config" and name != "default":
            header = f"[profile {name}]"
        else:
            header = f"[{name}]"
        out.append(header)
        out.extend(section_lines(rng, case_dir, f"{kind[:3]}{name}", allow_process=True))
        if rng.random() < 0.3:
            out.append("")
    if rng.random() < 0.03:
        out.insert(rng.randint(1, len(out)) if out else 0, "this line is not a property")
    return "\n".join(out) + ("\n" if rng.random() < 0.8 else "")


def make_case(rng, root, index):
    case_dir = os.path.join(root, f"case{index:04d}")
    home = os.path.join(case_dir, "home")
    os.makedirs(os.path.join(home, ".aws"))
    env = {"HOME": home}

    for kind, var, default in (("config", "AWS_CONFIG_FILE", ".aws/config"),
                               ("credentials", "AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")):
        text = make_file(rng, case_dir, kind)
        relative = default
        if rng.random() < 0.2:
            relative = f"custom/{kind}.ini"
            env[var] = "~/" + relative if rng.random() < 0.5 else os.path.join(home, relative)
        elif rng.random() < 0.05:
            env[var] = ""  # botocore: the path "", so no such file (not the default path)
        if text is not None:
            path = os.path.join(home, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)

    env_keys = rng.choice(["none", "none", "full", "token", "legacy", "key_only", "empty"])
    if env_keys in ("full", "token", "legacy", "key_only"):
        env["AWS_ACCESS_KEY_ID"] = "AKIDENV"
    if env_keys in ("full", "token", "legacy"):
        env["AWS_SECRET_ACCESS_KEY"] = "env-secret"
    if env_keys == "token":
        env["AWS_SESSION_TOKEN"] = "env-token"
    if env_keys == "legacy":
        env["AWS_SECURITY_TOKEN"] = "env-legacy-token"
    if env_keys == "empty":
        env["AWS_ACCESS_KEY_ID"] = ""
        env["AWS_SECRET_ACCESS_KEY"] = ""

    def pick():
        draw = rng.random()
        if draw < 0.1:
            return "missing"
        return rng.choice(PROFILES)

    def pick_env():
        # An empty AWS_PROFILE / AWS_DEFAULT_PROFILE names the profile "" in botocore (missing).
        return "" if rng.random() < 0.05 else pick()
    profile = None
    how = rng.choice(["none", "none", "explicit", "aws_profile", "aws_default_profile", "both"])
    if how == "explicit":
        profile = pick()
    if how in ("aws_profile", "both"):
        env["AWS_PROFILE"] = pick_env()
    if how in ("aws_default_profile", "both"):
        env["AWS_DEFAULT_PROFILE"] = pick_env()
    if how == "explicit" and rng.random() < 0.3:
        env["AWS_PROFILE"] = pick()
    return {"id": index, "dir": case_dir, "env": env, "profile": profile}


def resolve(case):
    os.environ.clear()
    os.environ.update(case["env"])
    os.environ["PATH"] = PATH
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    try:
        session = botocore.session.Session(profile=case["profile"])
        creds = session.get_credentials()
        if creds is None:
            return {"ok": False, "error": "no credentials"}
        frozen = creds.get_frozen_credentials()
        return {"ok": True, "access_key": frozen.access_key, "secret_key": frozen.secret_key,
                "token": frozen.token or "", "method": creds.method}
    except Exception as e:
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


PATH = os.environ.get("PATH", "/usr/bin:/bin")


def main():
    root, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    cases = [make_case(rng, root, i) for i in range(count)]
    for case in cases:
        case["expected"] = resolve(case)
    with open(os.path.join(root, "manifest.json"), "w") as f:
        json.dump({"path": PATH, "cases": cases}, f, indent=1)
    ok = sum(1 for c in cases if c["expected"]["ok"])
    print(f"{len(cases)} cases, botocore found credentials in {ok}", file=sys.stderr)


if __name__ == "__main__":
    main()
