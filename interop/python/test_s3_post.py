"""boto3's generate_presigned_post against a running fakecloud (stdlib only).

The form boto3 signs is posted as a hand-built multipart/form-data body
through urllib (requests is not installed for every interpreter run.sh
uses), fields first and the file last, as a browser sends it. GetObject and
GetObjectTagging then check what S3 stored: body, Content-Type, metadata,
tags, checksum, server-side encryption.
"""

import base64
import hashlib
import unittest
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET

from botocore.config import Config

from test_interop import client, needs

TAGGING = ("<Tagging><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag>"
           "<Tag><Key>stage</Key><Value>test</Value></Tag></TagSet></Tagging>")


def post_form(url, fields, filename, data, content_type="application/octet-stream"):
    """POSTs fields then the file; returns (status, headers, body)."""
    boundary = "----fakecloud" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                      % (boundary, name, value)).encode("utf-8"))
    parts.append(("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                  "Content-Type: %s\r\n\r\n" % (boundary, filename, content_type)).encode("utf-8"))
    parts.append(data)
    parts.append(("\r\n--%s--\r\n" % boundary).encode("utf-8"))
    req = urllib.request.Request(url, data=b"".join(parts), method="POST",
                                 headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def error_code(body):
    return ET.fromstring(body).findtext("Code")


@needs("s3")
class TestS3PresignedPost(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Path style: the form's URL is <endpoint>/<bucket>, which reaches
        # fakecloud at 127.0.0.1 without wildcard DNS.
        cls.s3 = client("s3", config=Config(s3={"addressing_style": "path"}))
        cls.bucket = "py-post-" + uuid.uuid4().hex[:12]
        cls.s3.create_bucket(Bucket=cls.bucket)

    def test_post_upload_stores_object_with_fields(self):
        data = b"posted through a browser form\n" * 100
        sha = base64.b64encode(hashlib.sha256(data).digest()).decode()
        fields = {"Content-Type": "text/plain", "x-amz-meta-owner": "alice", "success_action_status": "201",
                  "tagging": TAGGING, "x-amz-checksum-sha256": sha, "x-amz-server-side-encryption": "AES256"}
        conds = [{"Content-Type": "text/plain"}, {"x-amz-meta-owner": "alice"}, {"success_action_status": "201"},
                 {"tagging": TAGGING}, {"x-amz-checksum-sha256": sha}, {"x-amz-server-side-encryption": "AES256"},
                 ["content-length-range", 1, 1 << 20]]
        pp = self.s3.generate_presigned_post(self.bucket, "uploads/${filename}", Fields=fields, Conditions=conds,
                                             ExpiresIn=600)
        status, headers, body = post_form(pp["url"], pp["fields"], "notes.txt", data)
        self.assertEqual(status, 201, body)
        etag = '"%s"' % hashlib.md5(data).hexdigest()
        self.assertEqual(headers["ETag"], etag)
        self.assertEqual(headers["x-amz-server-side-encryption"], "AES256")
        doc = ET.fromstring(body)
        self.assertEqual(doc.tag, "PostResponse")
        self.assertEqual(doc.findtext("Bucket"), self.bucket)
        self.assertEqual(doc.findtext("Key"), "uploads/notes.txt")
        self.assertEqual(doc.findtext("ETag"), etag)

        got = self.s3.get_object(Bucket=self.bucket, Key="uploads/notes.txt", ChecksumMode="ENABLED")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got["ContentType"], "text/plain")
        self.assertEqual(got["Metadata"], {"owner": "alice"})
        self.assertEqual(got["ETag"], etag)
        self.assertEqual(got["ChecksumSHA256"], sha)
        self.assertEqual(got["ServerSideEncryption"], "AES256")
        tags = self.s3.get_object_tagging(Bucket=self.bucket, Key="uploads/notes.txt")["TagSet"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("stage", "test"), ("team", "blue")])

    def test_post_default_answer_is_204(self):
        pp = self.s3.generate_presigned_post(self.bucket, "plain.bin")
        status, headers, body = post_form(pp["url"], pp["fields"], "plain.bin", b"\x00\x01\x02")
        self.assertEqual(status, 204, body)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="plain.bin")["Body"].read(), b"\x00\x01\x02")

    def test_post_refusals(self):
        pp = self.s3.generate_presigned_post(self.bucket, "limited", Conditions=[["content-length-range", 1, 4]])
        status, _, body = post_form(pp["url"], pp["fields"], "limited", b"too large")
        self.assertEqual((status, error_code(body)), (400, "EntityTooLarge"), body)

        pp = self.s3.generate_presigned_post(self.bucket, "typed", Fields={"Content-Type": "image/png"},
                                             Conditions=[["starts-with", "$Content-Type", "image/"]])
        fields = dict(pp["fields"], **{"Content-Type": "text/html"})
        status, _, body = post_form(pp["url"], fields, "typed", b"<html>")
        self.assertEqual((status, error_code(body)), (403, "AccessDenied"), body)

        wrong = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
        pp = self.s3.generate_presigned_post(self.bucket, "summed", Fields={"x-amz-checksum-sha256": wrong},
                                             Conditions=[{"x-amz-checksum-sha256": wrong}])
        status, _, body = post_form(pp["url"], pp["fields"], "summed", b"data")
        self.assertEqual((status, error_code(body)), (400, "BadDigest"), body)
        for key in ("limited", "typed", "summed"):
            with self.assertRaises(self.s3.exceptions.ClientError) as cm:
                self.s3.head_object(Bucket=self.bucket, Key=key)
            self.assertEqual(cm.exception.response["Error"]["Code"], "404")


if __name__ == "__main__":
    unittest.main()
