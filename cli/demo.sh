#!/usr/bin/env bash
# The README's demo: signs the AWS documentation's example request (IAM ListUsers, from the
# SigV4 walkthrough in the AWS General Reference) with the documentation's example keys, and
# shows the canonical request, the string to sign and the Authorization header.
# Run from anywhere after `bash .ci/bootstrap`.
set -euo pipefail
cd "$(dirname "$0")/.."

awsauth=./build/cli/awsauth
if [ ! -x "$awsauth" ]; then
  echo "demo: $awsauth not found; run 'bash .ci/bootstrap' first" >&2
  exit 1
fi

# Documented example credentials (not real keys); any session token in the caller's
# environment is dropped so the output matches the documentation.
output=$(env -u AWS_SESSION_TOKEN -u AWS_PROFILE \
  AWS_ACCESS_KEY_ID=AKIDEXAMPLE \
  AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
  "$awsauth" sign --method GET \
    --url 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08' \
    --region us-east-1 --service iam \
    -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' \
    --time 20150830T123600Z --format json)

echo "$ awsauth sign --method GET --url 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08' \\"
echo "    --region us-east-1 --service iam -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' \\"
echo "    --time 20150830T123600Z --format json"
echo "$output"

# The signature the AWS documentation publishes for this request.
expected=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7
if grep -q "\"signature\": \"$expected\"" <<<"$output"; then
  echo
  echo "demo: the signature matches the one published in the AWS documentation ($expected)"
else
  echo "demo: signature differs from the AWS documentation's $expected" >&2
  exit 1
fi
