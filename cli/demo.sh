#!/usr/bin/env bash
# The README's demo: awsauth finding credentials through an assumed role and signing a request
# that a signature-checking server verifies.
#
# With moto installed (python3 -m moto.server), it starts moto_server on a free 127.0.0.1 port,
# creates a user and a role there, turns moto's signature checking on, writes a throw-away
# config with a role_arn + source_profile profile, and runs
#   awsauth creds  (credentials through the role)
#   awsauth curl   (STS GetCallerIdentity, verified by moto)
# Without moto it falls back to the fixed-key signing demo. Nothing leaves 127.0.0.1.
#
# Usage: bash cli/demo.sh            (after bash .ci/bootstrap)
# Environment: AWSAUTH=path/to/awsauth (default: build/cli/awsauth)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
AWSAUTH="${AWSAUTH:-$ROOT/build/cli/awsauth}"
PYTHON="${PYTHON:-python3}"
READY_SECONDS="${AWSAUTH_DEMO_READY_SECONDS:-30}"

if [ ! -x "$AWSAUTH" ]; then
  echo "demo: $AWSAUTH not found; run 'bash .ci/bootstrap' first" >&2
  exit 1
fi

# Never let the demo reach the instance metadata service or pick up the caller's AWS setup.
export AWS_EC2_METADATA_DISABLED=true
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN \
  AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE \
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI \
  AWS_ENDPOINT_URL AWS_CA_BUNDLE HTTPS_PROXY https_proxy HTTP_PROXY http_proxy

fixed_key_demo() {
  # Signs the AWS documentation's example request (IAM ListUsers, from the SigV4 walkthrough)
  # with the documentation's example keys and checks the published signature.
  echo "== moto is not installed: signing the AWS documentation example with its example keys"
  local output expected=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7
  output=$(AWS_ACCESS_KEY_ID=AKIDEXAMPLE \
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
    "$AWSAUTH" sign --method GET \
      --url 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08' \
      --region us-east-1 --service iam \
      -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' \
      --time 20150830T123600Z --format json)
  echo "$output"
  if grep -q "\"signature\": \"$expected\"" <<<"$output"; then
    echo "demo: the signature matches the one published in the AWS documentation ($expected)"
  else
    echo "demo: signature differs from the AWS documentation's $expected" >&2
    return 1
  fi
}

if ! "$PYTHON" -c 'import moto.server, botocore' >/dev/null 2>&1; then
  fixed_key_demo
  exit $?
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/awsauth-demo.XXXXXX")"
MOTO_PID=""
cleanup() {
  if [ -n "$MOTO_PID" ]; then
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$PYTHON" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts moto on a free loopback port; retries if another process took the port meanwhile.
start_moto() {
  local attempt port deadline
  for attempt in 1 2 3; do
    port="$(free_port)"
    "$PYTHON" -m moto.server -H 127.0.0.1 -p "$port" >"$WORK/moto.log" 2>&1 &
    MOTO_PID=$!
    deadline=$((SECONDS + READY_SECONDS))
    while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$MOTO_PID" 2>/dev/null; do
      if "$PYTHON" - "$port" <<'PY' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/moto-api/data.json", timeout=1).read()
PY
        MOTO_URL="http://127.0.0.1:$port"
        return 0
      fi
      sleep 0.2
    done
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
    MOTO_PID=""
    echo "demo: moto did not start on port $port (attempt $attempt)" >&2
  done
  cat "$WORK/moto.log" >&2
  return 1
}

echo "== starting moto_server on 127.0.0.1"
start_moto
echo "   moto is listening at $MOTO_URL"

# Setup runs with moto's signature checking still off, through botocore pointed at moto: a
# user allowed to assume roles, its access key, and a role that trusts the user.
echo "== creating user 'demo-user' and role 'demo-role' in moto"
"$PYTHON" - "$MOTO_URL" "$WORK" <<'PY'
import json, sys
import botocore.session

url, work = sys.argv[1], sys.argv[2]
session = botocore.session.get_session()
iam = session.create_client(
    "iam", region_name="us-east-1", endpoint_url=url,
    aws_access_key_id="setup", aws_secret_access_key="setup")
iam.create_user(UserName="demo-user")
iam.put_user_policy(
    UserName="demo-user", PolicyName="may-assume-roles",
    PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
key = iam.create_access_key(UserName="demo-user")["AccessKey"]
user_arn = iam.get_user(UserName="demo-user")["User"]["Arn"]
# The trust policy names the user itself: moto matches trust principals literally, so an
# account-root principal would not cover the user there as it does on AWS.
role = iam.create_role(
    RoleName="demo-role",
    AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": user_arn},
         "Action": "sts:AssumeRole"}]}))["Role"]
with open(f"{work}/credentials", "w") as f:
    f.write("[demo-user]\n")
    f.write(f"aws_access_key_id = {key['AccessKeyId']}\n")
    f.write(f"aws_secret_access_key = {key['SecretAccessKey']}\n")
with open(f"{work}/config", "w") as f:
    f.write("[profile demo-role]\n")
    f.write(f"role_arn = {role['Arn']}\n")
    f.write("source_profile = demo-user\n")
    f.write("role_session_name = awsauth-demo\n")
    f.write("region = us-east-1\n")
print(f"   user access key {key['AccessKeyId']}, role {role['Arn']}")
PY
chmod 600 "$WORK/credentials" "$WORK/config"

# From here on moto checks every request's SigV4 signature against the keys it issued
# (moto/moto_api: POST /moto-api/reset-auth with the number of unauthenticated requests to
# allow; 0 means none).
"$PYTHON" - "$MOTO_URL" <<'PY'
import sys, urllib.request
req = urllib.request.Request(f"{sys.argv[1]}/moto-api/reset-auth", data=b"0", method="POST",
                             headers={"Content-Type": "text/plain"})
urllib.request.urlopen(req, timeout=5).read()
PY
echo "== moto now verifies every request's signature"

export AWS_CONFIG_FILE="$WORK/config"
export AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials"
export AWS_ENDPOINT_URL_STS="$MOTO_URL"
export AWS_PROFILE=demo-role

echo
echo "\$ awsauth creds --profile demo-role"
"$AWSAUTH" creds --profile demo-role

echo
echo "\$ awsauth curl --profile demo-role --service sts -d 'Action=GetCallerIdentity&Version=2011-06-15' $MOTO_URL/"
"$AWSAUTH" curl --profile demo-role --service sts \
  -d 'Action=GetCallerIdentity&Version=2011-06-15' "$MOTO_URL/" | tee "$WORK/identity.xml"
echo

arn="$(sed -n 's:.*<Arn>\(.*\)</Arn>.*:\1:p' "$WORK/identity.xml" | head -n1)"
if [ -z "$arn" ]; then
  echo "demo: GetCallerIdentity returned no Arn" >&2
  exit 1
fi
echo "== moto verified the signature; the caller is the assumed role:"
echo "   $arn"
