#!/usr/bin/env python3
"""awsauth's SigV4 signer against botocore's and Node aws4's, on W1 and W2, in one run.

Runs, on this machine and in this one invocation:
* awsauth: build/bench/awsauth_bench, every W1/W2 case (the BM_Sign_* cases, the OpenSSL lower
  bounds, and any other case with W1 or W2 in its name);
* botocore (imported by this python3): the signer botocore's own clients pick, S3SigV4Auth for
  W1 (signature version s3v4: X-Amz-Content-SHA256 signed, the path neither normalised nor
  encoded again) and SigV4Auth for W2, timed calling add_auth on the workload's AWSRequest;
* aws4 (npm), installed into a temporary folder with `npm install`, timed by a small Node
  script calling aws4.sign on a fresh request object each time (aws4 mutates the one given).

Each peer signs the request of ../shared/bench/workload.json exactly: same method, URL,
headers, body, date and credentials with the session token. Before any timing the signature
of every peer is compared with the one `awsauth sign` (build/cli/awsauth, the same signer
library the benchmark links) prints for that request; a difference is reported with both
canonical requests and the script exits 1.

The timing runs in rounds, one per repetition, each timing awsauth, botocore and aws4 in turn,
so that the load of a shared machine, which changes over seconds, weighs on all three alike.
Times are CPU time per signature (Google Benchmark's cpu_time; process CPU time for python3
and node), medians over the rounds; wall-clock medians are printed too. The output is
Markdown, meant to be pasted into docs/performance.md. Nothing here reaches AWS; the only
network use is `npm install aws4` from the npm registry, skipped with --no-npm.

Exit status: 0 done; 1 a signature differs; 2 usage; 3 something needed is missing or failed
(the benchmark, the CLI, botocore).
"""
import argparse
import datetime
import difflib
import functools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent

# The workloads timed here; W3 (payload hashing) has no peer to compare.
WORKLOADS = ("W1", "W2")

# The Node side: aws4's signature and canonical request for each workload and, when a target
# time is given, one timed batch after a warm-up: process.hrtime.bigint (wall) and
# process.cpuUsage (CPU, to compare with cpu_time).
NODE_SCRIPT = r"""
'use strict';
const aws4 = require(process.argv[2]);
const cfg = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const creds = cfg.credentials;

function makeRequest(w) {
  // X-Amz-Date given by the caller is the date aws4 signs with (its only fixed-date input).
  const headers = Object.assign({'X-Amz-Date': cfg.date}, w.headers);
  const r = {host: w.host, path: w.path, method: w.method, service: w.service,
             region: w.region, headers: headers};
  if (w.body !== '') r.body = w.body;
  return r;
}

function runBatch(w, loops) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0; i < loops; i++) aws4.sign(makeRequest(w), creds);
  const c = process.cpuUsage(c0);
  const wallNs = Number(process.hrtime.bigint() - t0);
  return {wallNs: wallNs, cpuNs: (c.user + c.system) * 1000};
}

const out = {version: require(process.argv[2] + '/package.json').version, workloads: {}};
const targetNs = cfg.target_seconds * 1e9;
// Warm up on every workload, twice round, before timing any: V8 tiers the hot functions up and
// sizes its heap over the first second or so, which slowed whichever workload came first.
const warmNs = Math.max(targetNs, 0.25e9);
for (let round = 0; round < 2 && targetNs > 0; round++) {
  for (const w of Object.values(cfg.workloads)) {
    const end = process.hrtime.bigint() + BigInt(Math.round(warmNs));
    while (process.hrtime.bigint() < end) runBatch(w, 100);
  }
}
for (const [name, w] of Object.entries(cfg.workloads)) {
  const signed = aws4.sign(makeRequest(w), creds);
  const auth = signed.headers.Authorization;
  const result = {
    signature: auth.slice(auth.lastIndexOf('Signature=') + 10),
    canonical_request: new aws4.RequestSigner(makeRequest(w), creds).canonicalString(),
  };
  if (targetNs > 0) {
    let loops = 1;
    let b = runBatch(w, loops);
    while (b.wallNs < targetNs / 10) { loops *= 2; b = runBatch(w, loops); }
    loops = Math.max(1, Math.round(loops * targetNs / b.wallNs));
    const m = runBatch(w, loops);
    result.cpu_us = m.cpuNs / loops / 1000;
    result.wall_us = m.wallNs / loops / 1000;
  }
  out.workloads[name] = result;
}
process.stdout.write(JSON.stringify(out) + '\n');
"""


class SetupError(Exception):
    """Something the comparison needs is missing or failed: exit 3."""


def run(cmd, timeout, **kwargs):
    """subprocess.run with a timeout always, turning a hang or a missing program into a reason."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        raise SetupError(f"{cmd[0]}: no answer within {timeout} s") from None
    except OSError as exc:
        raise SetupError(f"{cmd[0]}: {exc}") from None


def load_workloads(path):
    """The W1 and W2 requests of workload.json, in the shape every peer is given."""
    spec = json.loads(Path(path).read_text())
    out = {}
    for name in WORKLOADS:
        w = spec[name]
        url = urlsplit(w["url"])
        out[name] = {
            "method": w["method"],
            "url": w["url"],
            "host": url.hostname,
            "path": url.path + ("?" + url.query if url.query else ""),
            "service": w["service"],
            "region": w["region"],
            "headers": w["input_headers"],
            "body": w.get("body", ""),
        }
    credentials = {"access_key": spec["access_key"], "secret_key": spec["secret_key"],
                   "session_token": spec["session_token"]}
    return spec["date"], credentials, out


# --- awsauth -------------------------------------------------------------------------------

def awsauth_signature(cli, date, credentials, w):
    """What `awsauth sign` prints for the workload's request (signature, canonical request)."""
    cmd = [str(cli), "sign", "--method", w["method"], "--url", w["url"], "--region",
           w["region"], "--service", w["service"], "--time", date, "--format", "json"]
    for name, value in w["headers"].items():
        cmd += ["-H", f"{name}: {value}"]
    if w["body"]:
        cmd += ["--data", w["body"]]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "AWS_ACCESS_KEY_ID": credentials["access_key"],
           "AWS_SECRET_ACCESS_KEY": credentials["secret_key"],
           "AWS_SESSION_TOKEN": credentials["session_token"]}
    proc = run(cmd, timeout=30, env=env)
    if proc.returncode != 0:
        raise SetupError(f"awsauth sign failed (exit {proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def run_awsauth_bench(bench, min_time):
    """One run of every W1/W2 case of the benchmark: name -> (cpu µs, wall µs)."""
    cmd = [str(bench), r"--benchmark_filter=_W[12](_|$)", "--benchmark_format=json",
           f"--benchmark_min_time={min_time}"]
    proc = run(cmd, timeout=300)
    if proc.returncode != 0:
        raise SetupError(f"{bench} failed (exit {proc.returncode}): {proc.stderr.strip()}")
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}
    out = {}
    for b in json.loads(proc.stdout)["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration":
            continue
        if b.get("error_occurred"):
            raise SetupError(f"{b['name']}: {b.get('error_message', 'error')}")
        k = scale[b["time_unit"]]
        out[b.get("run_name", b["name"])] = (b["cpu_time"] * k, b["real_time"] * k)
    return out


def workload_of(case):
    m = re.search(r"_(W\d+)(?:_|$)", case)
    return m.group(1) if m else None


# --- botocore ------------------------------------------------------------------------------

def botocore_signer(date, credentials, w):
    """The signer botocore's clients use for the service, and the request it signs in place."""
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    fixed = datetime.datetime.strptime(date, "%Y%m%dT%H%M%SZ")
    # add_auth reads the time from here (botocore's own tests freeze it the same way).
    botocore.auth.get_current_datetime = lambda: fixed
    creds = Credentials(credentials["access_key"], credentials["secret_key"],
                        credentials["session_token"])
    # Signature version s3v4 for S3, v4 otherwise: botocore.auth.AUTH_TYPE_MAPS.
    cls = botocore.auth.S3SigV4Auth if w["service"] == "s3" else botocore.auth.SigV4Auth
    auth = cls(creds, w["service"], w["region"])
    request = AWSRequest(method=w["method"], url=w["url"], data=w["body"].encode() or None,
                         headers=dict(w["headers"]))
    return auth, request


def botocore_signature(auth, request):
    """Signs once, keeping the canonical request add_auth built (after signing, the request
    holds an Authorization header that a second canonical_request call would sign too)."""
    built = []

    def keep_canonical_request(r):
        built.append(type(auth).canonical_request(auth, r))
        return built[-1]

    auth.canonical_request = keep_canonical_request
    try:
        auth.add_auth(request)
    finally:
        del auth.canonical_request
    signature = request.headers["Authorization"].rsplit("Signature=", 1)[1]
    return {"signature": signature, "canonical_request": built[0]}


def time_per_call(fn, target_seconds):
    """CPU and wall µs per call over one loop calibrated to last about target_seconds.

    Unlike timeit, the garbage collector stays on: the peers' collectors run in their timings.
    """
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= target_seconds / 10:
            break
        loops *= 2
    loops = max(1, round(loops * target_seconds / elapsed))
    c0, w0 = time.process_time_ns(), time.perf_counter_ns()
    for _ in range(loops):
        fn()
    wall = time.perf_counter_ns() - w0
    cpu = time.process_time_ns() - c0
    return cpu / loops / 1000, wall / loops / 1000


# --- aws4 ----------------------------------------------------------------------------------

def install_aws4(folder, spec):
    """aws4 installed into folder: (its path, None), or (None, why not)."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return None, "not available (node or npm not on PATH)"
    try:
        proc = run([npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund",
                    "--no-package-lock", "--ignore-scripts", "--loglevel=error",
                    "--fetch-retries=1", "--fetch-timeout=30000", spec],
                   timeout=180)
    except SetupError as exc:
        return None, f"not available (npm install failed): {exc}"
    module = Path(folder) / "node_modules" / "aws4"
    if proc.returncode != 0 or not (module / "aws4.js").exists():
        lines = proc.stderr.strip().splitlines() or ["no output"]
        detail = next((ln for ln in lines if ln.startswith("npm error code")), lines[0])
        return None, f"not available (npm install failed): {detail}"
    return module, None


def aws4_results(module, folder, date, credentials, workloads, target_seconds):
    """aws4's signatures, and one timed batch per workload unless target_seconds is 0."""
    config = {
        "date": date,
        "credentials": {"accessKeyId": credentials["access_key"],
                        "secretAccessKey": credentials["secret_key"],
                        "sessionToken": credentials["session_token"]},
        "workloads": workloads,
        "target_seconds": target_seconds,
    }
    script = Path(folder) / "time_aws4.js"
    script.write_text(NODE_SCRIPT)
    budget = 60 + len(workloads) * target_seconds * 20
    proc = run(["node", str(script), str(module)], timeout=budget, input=json.dumps(config))
    if proc.returncode != 0:
        raise SetupError(f"node timing aws4 failed (exit {proc.returncode}): "
                         f"{proc.stderr.strip()}")
    return json.loads(proc.stdout)


# --- the report ----------------------------------------------------------------------------

def cpu_model():
    """The model name of /proc/cpuinfo, with its clock when given."""
    fields = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            name, _, value = line.partition(":")
            fields.setdefault(name.strip(), value.strip())
    except OSError:
        pass
    model = fields.get("model name") or platform.processor() or "unknown CPU"
    mhz = fields.get("cpu MHz")
    return f"{model} at {float(mhz):.0f} MHz" if mhz else model


def tool_version(cmd):
    try:
        proc = run(cmd, timeout=10)
    except SetupError:
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def loadavg():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def fmt(us):
    return "—" if us is None else (f"{us:.2f}" if us < 10 else f"{us:.1f}")


def ratio(a, b):
    return "—" if a is None or b is None else f"{a / b:.1f}x"


def check_signatures(reference, peers):
    """Compares every peer's signature with awsauth's; prints what differs. True when equal."""
    ok = True
    for name, ours in reference.items():
        for peer, results in peers.items():
            theirs = results.get(name)
            if theirs is None or theirs["signature"] == ours["signature"]:
                continue
            ok = False
            print(f"SIGNATURE MISMATCH on {name}: awsauth {ours['signature']}, "
                  f"{peer} {theirs['signature']}", file=sys.stderr)
            diff = difflib.unified_diff(
                ours["canonical_request"].split("\n"), theirs["canonical_request"].split("\n"),
                "awsauth canonical request", f"{peer} canonical request", lineterm="")
            print("\n".join(diff), file=sys.stderr)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", default=str(REPO / "build/bench/awsauth_bench"),
                    help="the awsauth_bench executable (default: %(default)s)")
    ap.add_argument("--cli", default=None,
                    help="the awsauth command (default: cli/awsauth in the benchmark's build)")
    ap.add_argument("--workload", default=str(REPO.parent / "shared/bench/workload.json"),
                    help="the workload definitions (default: %(default)s)")
    ap.add_argument("--repetitions", type=int, default=5,
                    help="rounds, each timing every signer once; medians reported (default: 5)")
    ap.add_argument("--quick", action="store_true",
                    help="a short run (3 rounds of short loops), to check that it works")
    ap.add_argument("--no-npm", action="store_true",
                    help="leave aws4 out: no npm install, so no network at all")
    ap.add_argument("--aws4", default="aws4",
                    help="the npm package spec to install (default: %(default)s, the latest)")
    args = ap.parse_args()
    rounds = 3 if args.quick else args.repetitions
    if rounds < 1:
        ap.error("--repetitions must be at least 1")
    target = 0.03 if args.quick else 0.3  # seconds per batch, per peer and workload
    min_time = 0.05 if args.quick else 0.5  # the benchmark's, per case
    bench = Path(args.bench)
    cli = Path(args.cli) if args.cli else bench.parent.parent / "cli" / "awsauth"

    try:
        import botocore
    except Exception as exc:  # noqa: BLE001 - the comparison needs it: fail, do not skip
        print(f"compare_peers: cannot import botocore with {sys.executable}: {exc}",
              file=sys.stderr)
        return 3

    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = loadavg()
    try:
        date, credentials, workloads = load_workloads(args.workload)
    except (OSError, ValueError, KeyError) as exc:
        print(f"compare_peers: cannot read the workloads from {args.workload}: {exc!r}",
              file=sys.stderr)
        return 3
    samples = {}  # (signer or benchmark case, workload) -> [(cpu µs, wall µs) per round]

    def keep(key, cpu_wall):
        samples.setdefault(key, []).append(cpu_wall)

    with tempfile.TemporaryDirectory(prefix="awsauth-peers-") as scratch:
        try:
            reference = {n: awsauth_signature(cli, date, credentials, w)
                         for n, w in workloads.items()}
            signers = {n: botocore_signer(date, credentials, w) for n, w in workloads.items()}
            peers = {"botocore": {n: botocore_signature(*s) for n, s in signers.items()}}
            aws4_version, aws4_note, module = None, "not run (--no-npm)", None
            if not args.no_npm:
                module, aws4_note = install_aws4(scratch, args.aws4)
                if module is None:
                    print(f"aws4: {aws4_note}", file=sys.stderr)
                else:
                    first = aws4_results(module, scratch, date, credentials, workloads, 0)
                    peers["aws4"] = first["workloads"]
                    aws4_version = first["version"]
            # No timing unless every signer signs the same request.
            if not check_signatures(reference, peers):
                print("compare_peers: the signatures differ (above); nothing was timed",
                      file=sys.stderr)
                return 1

            for r in range(rounds):
                # Every other round the peers take the workloads in reverse order: in a warm
                # node the workload timed first still came out slower.
                order = list(WORKLOADS) if r % 2 == 0 else list(reversed(WORKLOADS))
                for case, cpu_wall in run_awsauth_bench(bench, min_time).items():
                    keep(case, cpu_wall)
                for name in order:
                    auth, request = signers[name]
                    # add_auth replaces what it added last time: the same work on each call.
                    keep(("botocore", name),
                         time_per_call(functools.partial(auth.add_auth, request), target))
                if module is not None:
                    timed = aws4_results(module, scratch, date, credentials,
                                         {n: workloads[n] for n in order}, target)
                    for name, t in timed["workloads"].items():
                        keep(("aws4", name), (t["cpu_us"], t["wall_us"]))
        except SetupError as exc:
            print(f"compare_peers: {exc}", file=sys.stderr)
            return 3

    medians = {key: {"cpu_us": statistics.median(c for c, _ in runs),
                     "wall_us": statistics.median(w for _, w in runs)}
               for key, runs in samples.items()}
    main_case, lower_case, extra = {}, {}, []
    for case in sorted(k for k in medians if isinstance(k, str)):
        w = workload_of(case)
        if w is None:
            continue
        if "LowerBound" in case and w not in lower_case:
            lower_case[w] = case
        elif case.startswith("BM_Sign_") and w not in main_case:
            main_case[w] = case
        else:
            extra.append(case)
    missing = [w for w in WORKLOADS if w not in main_case]
    if missing:
        print(f"compare_peers: no BM_Sign_ case for {', '.join(missing)} in {bench}",
              file=sys.stderr)
        return 3

    commit = tool_version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    versions = [(tool_version([str(cli), "--version"]) or "awsauth (version unknown)") +
                (f" (commit {commit})" if commit else ""),
                f"botocore {botocore.__version__} (python {platform.python_version()})",
                f"aws4 {aws4_version} (node {tool_version(['node', '--version'])})"
                if aws4_version else f"aws4 {aws4_note}"]

    def table(key, title):
        print(f"{title}, µs per signature (median of {rounds} rounds):")
        print()
        print("| workload | awsauth | lower bound | botocore | aws4 | awsauth / lower bound "
              "| botocore / awsauth | aws4 / awsauth |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for w in WORKLOADS:
            a = medians[main_case[w]][key]
            lb = medians[lower_case[w]][key] if w in lower_case else None
            b = medians[("botocore", w)][key]
            n = medians[("aws4", w)][key] if ("aws4", w) in medians else None
            print(f"| {w} | {fmt(a)} | {fmt(lb)} | {fmt(b)} | {fmt(n)} | {ratio(a, lb)} "
                  f"| {ratio(b, a)} | {ratio(n, a)} |")
        print()

    print(f"Date: {started.strftime('%Y-%m-%d %H:%M UTC')}; machine: {platform.machine()}, "
          f"{cpu_model()}, nproc {len(os.sched_getaffinity(0))}; "
          f"load average {load_before} at the start, {loadavg()} at the end.")
    print(f"Versions: {'; '.join(versions)}.")
    print()
    table("cpu_us", "CPU time")
    table("wall_us", "Wall-clock time")
    print("awsauth cases: " + ", ".join(
        f"`{main_case[w]}`" + (f" (lower bound `{lower_case[w]}`)" if w in lower_case else "")
        for w in WORKLOADS) + ".")
    if extra:
        print()
        print("Other awsauth cases on W1/W2, µs (median of the rounds):")
        print()
        print("| case | CPU | wall |")
        print("| --- | ---: | ---: |")
        for c in extra:
            print(f"| `{c}` | {fmt(medians[c]['cpu_us'])} | {fmt(medians[c]['wall_us'])} |")
        print()
    checked = " and ".join(f"{peer}'s" for peer in peers)
    print(f"Signatures: {checked} equal awsauth's (`awsauth sign`) on "
          f"{' and '.join(WORKLOADS)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
