#!/usr/bin/env python3
"""Record the HTTP requests boto3 sends for a sample of operations per protocol.

Run with both interpreters (the Go test never needs Python):

    /usr/bin/python3 session/testdata/record_boto3.py   # Debian: boto3 1.26.27 / botocore 1.29.27
    python3 session/testdata/record_boto3.py            # PyPI:   boto3 1.43.x

Each call goes to a capture server on 127.0.0.1 (port 0) that records the
method, path, query, headers (minus the volatile ones below), and body, and
answers a canned response so boto3 finishes the call. Output:
session/testdata/boto3-<boto3 version>/<service>-<Operation>.json, holding the
call (service, operation, params) and the request as boto3 sent it.
"""
import base64
import http.server
import json
import os
import re
import sys
import threading
import urllib.parse

import boto3
import botocore
from botocore.config import Config

# Headers that change from run to run or machine to machine.
VOLATILE = {"x-amz-date", "user-agent", "amz-sdk-invocation-id"}
ENDPOINT = "{endpoint}"  # placeholder for the capture server URL in params

CANNED = {
    ("s3", "PutObject"): (200, {"ETag": '"5eb63bbbe01eeed093cb22bb8f5acdc3"'}, b""),
    ("s3", "GetObject"): (206, {"Content-Type": "text/plain", "Content-Range": "bytes 0-4/11"}, b"hello"),
    ("s3", "ListObjectsV2"): (200, {"Content-Type": "application/xml"},
        b'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        b"<Name>bucket</Name><Prefix>dir/</Prefix><KeyCount>0</KeyCount><MaxKeys>10</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"),
    ("s3", "PutBucketTagging"): (204, {}, b""),
    ("dynamodb", "PutItem"): (200, {"Content-Type": "application/x-amz-json-1.0"}, b"{}"),
    ("dynamodb", "Query"): (200, {"Content-Type": "application/x-amz-json-1.0"}, b'{"Count":0,"Items":[],"ScannedCount":0}'),
    ("dynamodb", "TransactWriteItems"): (200, {"Content-Type": "application/x-amz-json-1.0"}, b"{}"),
    ("sqs", "SendMessage"): None,  # protocol-dependent, below
    ("sns", "Publish"): (200, {"Content-Type": "text/xml"},
        b'<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult>'
        b"<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>"),
    ("ec2", "DescribeInstances"): (200, {"Content-Type": "text/xml"},
        b'<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><reservationSet/></DescribeInstancesResponse>'),
    ("lambda", "ListFunctions"): (200, {"Content-Type": "application/json"}, b'{"Functions":[]}'),
    ("sts", "GetCallerIdentity"): (200, {"Content-Type": "text/xml"},
        b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
        b"<Arn>arn:aws:iam::123456789012:user/u</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
        b"<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"),
}

SQS_JSON = (200, {"Content-Type": "application/x-amz-json-1.0"}, b'{"MessageId":"m-1"}')
SQS_QUERY = (200, {"Content-Type": "text/xml"},
    b'<SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><SendMessageResult><MessageId>m-1</MessageId>'
    b"</SendMessageResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SendMessageResponse>")

CALLS = [
    ("s3", "PutObject", {"Bucket": "bucket", "Key": "dir/key one.txt", "Body": "hello world",
                         "ContentType": "text/plain", "Metadata": {"Color": "blue"}}),
    ("s3", "GetObject", {"Bucket": "bucket", "Key": "dir/key one.txt", "Range": "bytes=0-4"}),
    ("s3", "ListObjectsV2", {"Bucket": "bucket", "Prefix": "dir/", "MaxKeys": 10}),
    ("s3", "PutBucketTagging", {"Bucket": "bucket", "Tagging": {"TagSet": [{"Key": "env", "Value": "test"}]}}),
    ("dynamodb", "PutItem", {"TableName": "tbl", "Item": {"pk": {"S": "a"}, "n": {"N": "1"}},
                             "ConditionExpression": "attribute_not_exists(pk)"}),
    ("dynamodb", "Query", {"TableName": "tbl", "KeyConditionExpression": "pk = :v",
                           "ExpressionAttributeValues": {":v": {"S": "a"}}, "Limit": 5}),
    ("dynamodb", "TransactWriteItems", {"TransactItems": [{"Put": {"TableName": "tbl", "Item": {"pk": {"S": "b"}}}}]}),
    ("sqs", "SendMessage", {"QueueUrl": ENDPOINT + "/123456789012/q", "MessageBody": "hi there", "DelaySeconds": 1,
                            "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}}),
    ("sns", "Publish", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "hello", "Subject": "s",
                        "MessageAttributes": {"a": {"DataType": "String", "StringValue": "v"}}}),
    ("ec2", "DescribeInstances", {"InstanceIds": ["i-1", "i-2"],
                                  "Filters": [{"Name": "instance-state-name", "Values": ["running"]}]}),
    ("lambda", "ListFunctions", {"MaxItems": 5}),
    ("sts", "GetCallerIdentity", {}),
]

captured = []


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.headers.get("Expect", "").lower() == "100-continue":
            pass  # http.server answered 100 Continue already (HTTP/1.1)
        captured.append((self.command, self.path, list(self.headers.items()), body))
        status, headers, payload = self.server.canned
        self.send_response(status)
        headers = dict(headers)
        headers.setdefault("x-amzn-RequestId", "r-1")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any


def hide(s, host_port):
    """Replaces the capture server's address (plain or URL-encoded) with HOST."""
    return s.replace(host_port, "HOST").replace(urllib.parse.quote(host_port, safe=""), "HOST")


def normalise(host_port, method, path, headers, body):
    u = path.split("?", 1)
    out_headers = {}
    for k, v in headers:
        lk = k.lower()
        if lk in VOLATILE:
            continue
        if lk == "authorization":
            v = re.sub(r"Signature=[0-9a-f]+", "Signature=SIG", v)
            v = re.sub(r"Credential=([^/]+)/\d{8}/", r"Credential=\1/DATE/", v)
        out_headers[lk] = hide(v, host_port)
    try:
        text = body.decode("utf-8")
        enc = "text"
    except UnicodeDecodeError:
        text = base64.b64encode(body).decode()
        enc = "base64"
    return {"method": method, "path": u[0], "query": u[1] if len(u) > 1 else "",
            "headers": dict(sorted(out_headers.items())), "body": hide(text, host_port),
            "bodyEncoding": enc}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = os.path.join(here, "boto3-" + boto3.__version__)
    os.makedirs(outdir, exist_ok=True)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    host_port = "127.0.0.1:%d" % srv.server_address[1]
    endpoint = "http://" + host_port
    sess = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                                 region_name="us-east-1")
    cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 0}, read_timeout=5)
    for service, op, params in CALLS:
        client = sess.client(service, endpoint_url=endpoint, config=cfg)
        canned = CANNED[(service, op)]
        if canned is None:
            canned = SQS_JSON if client.meta.service_model.protocol == "json" else SQS_QUERY
        srv.canned = canned
        real = json.loads(json.dumps(params).replace(ENDPOINT, endpoint))
        if service == "s3" and "Body" in real:
            real["Body"] = real["Body"].encode()
        captured.clear()
        srv.daemon_threads = True
        method = getattr(client, botocore.xform_name(op))
        try:
            res = method(**real)
            if "Body" in res:
                res["Body"].read()
        except Exception as e:  # the request is what we record
            print("%s %s: %s" % (service, op, e), file=sys.stderr)
        if len(captured) != 1:
            sys.exit("%s %s: captured %d requests" % (service, op, len(captured)))
        rec = {"boto3": boto3.__version__, "botocore": botocore.__version__, "service": service,
               "operation": op, "protocol": client.meta.service_model.protocol, "params": params,
               "request": normalise(host_port, *captured[0]),
               "response": {"status": canned[0], "headers": canned[1], "body": canned[2].decode()}}
        with open(os.path.join(outdir, "%s-%s.json" % (service, op)), "w") as f:
            json.dump(rec, f, indent=2, sort_keys=False)
            f.write("\n")
    srv.shutdown()
    print("wrote", outdir)


if __name__ == "__main__":
    main()
