#!/usr/bin/env python3
"""Prints the SigV4 signature every consumer program must print: botocore (the reference the
differential tests use) signing the same fixed request with the AWS documentation's example
keys at the same fixed time. .ci/consumers runs it and compares; the value is also written in
tests/consumers/README.md."""
import datetime

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

fixed = datetime.datetime(2015, 8, 30, 12, 36, 0)
botocore.auth.get_current_datetime = lambda: fixed
request = AWSRequest(method="GET",
                     url="https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")
botocore.auth.SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                        "iam", "us-east-1").add_auth(request)
assert request.headers["X-Amz-Date"] == "20150830T123600Z"
print(request.headers["Authorization"].rsplit("Signature=", 1)[1])
