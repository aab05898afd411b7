"""boto3 against a running fakecloud (stdlib unittest only).

Run by interop/run.sh under two interpreters: the machine's python3 (boto3
1.43: SQS over JSON, S3 flexible checksums on by default) and Debian's
/usr/bin/python3 (boto3 1.26: SQS over query, MD5 checksums). The endpoint
comes from FAKECLOUD_ENDPOINT; services fakecloud does not serve yet (per
/_fakecloud/health) are skipped with a message naming them.
"""

import hashlib
import json
import os
import tempfile
import unittest
import urllib.request
import uuid

import boto3
import botocore
from botocore.config import Config
from boto3.s3.transfer import TransferConfig

ENDPOINT = os.environ.get("FAKECLOUD_ENDPOINT", "")
_health = None


def health():
    global _health
    if _health is None:
        with urllib.request.urlopen(ENDPOINT + "/_fakecloud/health", timeout=10) as r:
            _health = json.load(r)
    return _health


def needs(service):
    def deco(cls):
        orig = cls.setUpClass

        @classmethod
        def setUpClass(klass):
            if service not in health().get("services", []):
                raise unittest.SkipTest("fakecloud does not serve %s yet" % service)
            orig.__func__(klass)

        cls.setUpClass = setUpClass
        return cls
    return deco


def known_gap(gap_id, when=lambda: True):
    """Marks a test that fails on a documented gap (a section of
    interop/KNOWN_GAPS.md): its failure is reported as a skip naming the gap,
    or as a failure when INTEROP_STRICT=1. No test uses it now (every gap
    found so far is fixed); it stays for the next one."""
    def deco(fn):
        def wrapper(self):
            try:
                fn(self)
            except Exception as e:  # noqa: BLE001 - any failure of the gap
                if os.environ.get("INTEROP_STRICT") == "1" or not when():
                    raise
                raise unittest.SkipTest("known gap %s (KNOWN_GAPS.md): %s" % (gap_id, e))
        wrapper.__name__ = fn.__name__
        wrapper.__doc__ = fn.__doc__
        return wrapper
    return deco


def session():
    return boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test",
                                 region_name="us-east-1")


def client(name, **kw):
    return session().client(name, endpoint_url=ENDPOINT, **kw)


def resource(name, **kw):
    return session().resource(name, endpoint_url=ENDPOINT, **kw)


def uniq(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


class TestHealth(unittest.TestCase):
    def test_health_is_ok(self):
        self.assertTrue(ENDPOINT, "FAKECLOUD_ENDPOINT is not set")
        self.assertEqual(health()["status"], "ok")


@needs("s3")
class TestS3(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s3 = client("s3", config=Config(s3={"addressing_style": "path"}))
        cls.bucket = uniq("py-s3")
        cls.s3.create_bucket(Bucket=cls.bucket)

    def test_put_get_head_object(self):
        body = b"hello from boto3 %s\n" % boto3.__version__.encode()
        put = self.s3.put_object(Bucket=self.bucket, Key="a/b.txt", Body=body,
                                 ContentType="text/plain", Metadata={"who": "py"})
        self.assertEqual(put["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
        got = self.s3.get_object(Bucket=self.bucket, Key="a/b.txt")
        self.assertEqual(got["Body"].read(), body)
        self.assertEqual(got["ContentType"], "text/plain")
        head = self.s3.head_object(Bucket=self.bucket, Key="a/b.txt")
        self.assertEqual(head["ETag"], put["ETag"])
        rng = self.s3.get_object(Bucket=self.bucket, Key="a/b.txt", Range="bytes=0-4")
        self.assertEqual(rng["Body"].read(), b"hello")
        self.assertEqual(rng["ContentRange"], "bytes 0-4/%d" % len(body))

    def test_user_metadata_keys_are_lowercase(self):
        self.s3.put_object(Bucket=self.bucket, Key="meta", Body=b"m", Metadata={"who": "py"})
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="meta")["Metadata"], {"who": "py"})
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="meta")["Metadata"], {"who": "py"})

    def test_missing_key_is_no_such_key(self):
        with self.assertRaises(self.s3.exceptions.NoSuchKey):
            self.s3.get_object(Bucket=self.bucket, Key="nope")

    def test_list_objects_v2_paginator(self):
        b = uniq("py-list")
        self.s3.create_bucket(Bucket=b)
        for i in range(7):
            self.s3.put_object(Bucket=b, Key="k%02d" % i, Body=b"x")
        pages = list(self.s3.get_paginator("list_objects_v2").paginate(Bucket=b, PaginationConfig={"PageSize": 3}))
        self.assertEqual([len(p.get("Contents", [])) for p in pages], [3, 3, 1])
        keys = [o["Key"] for p in pages for o in p["Contents"]]
        self.assertEqual(keys, ["k%02d" % i for i in range(7)])

    def test_transfer_manager_multipart_upload_and_download(self):
        cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
        data = os.urandom(11 * 1024 * 1024)
        with tempfile.TemporaryDirectory() as d:
            src, dst = os.path.join(d, "src.bin"), os.path.join(d, "dst.bin")
            with open(src, "wb") as f:
                f.write(data)
            self.s3.upload_file(src, self.bucket, "big.bin", Config=cfg)
            head = self.s3.head_object(Bucket=self.bucket, Key="big.bin")
            self.assertTrue(head["ETag"].endswith('-3"'), head["ETag"])
            self.s3.download_file(self.bucket, "big.bin", dst, Config=cfg)
            with open(dst, "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(), hashlib.sha256(data).hexdigest())

    def test_resource_bucket_objects(self):
        s3r = resource("s3", config=Config(s3={"addressing_style": "path"}))
        b = s3r.Bucket(uniq("py-res"))
        b.create()
        b.put_object(Key="r1", Body=b"one")
        b.Object("r2").put(Body=b"two")
        self.assertEqual(sorted(o.key for o in b.objects.all()), ["r1", "r2"])
        self.assertEqual(b.Object("r2").get()["Body"].read(), b"two")
        b.objects.all().delete()
        b.delete()
        self.assertNotIn(b.name, [x.name for x in s3r.buckets.all()])

    def test_presigned_url(self):
        self.s3.put_object(Bucket=self.bucket, Key="p.txt", Body=b"presigned")
        url = self.s3.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": "p.txt"})
        with urllib.request.urlopen(url, timeout=10) as r:
            self.assertEqual(r.read(), b"presigned")


@needs("sqs")
class TestSQS(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sqs = client("sqs")

    def test_send_receive_delete(self):
        url = self.sqs.create_queue(QueueName=uniq("py-q"))["QueueUrl"]
        body = "hello from boto3 " + boto3.__version__
        sent = self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes={
            "kind": {"DataType": "String", "StringValue": "greeting"}})
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5(body.encode()).hexdigest())
        r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
                                     WaitTimeSeconds=1)
        self.assertEqual(len(r["Messages"]), 1)
        m = r["Messages"][0]
        self.assertEqual(m["Body"], body)
        self.assertEqual(m["MessageAttributes"]["kind"]["StringValue"], "greeting")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "0")
        self.sqs.delete_queue(QueueUrl=url)

    def test_missing_queue_error(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sqs.get_queue_url(QueueName=uniq("py-missing"))
        # boto3 1.43 (JSON) and 1.26 (query) both see the legacy query code.
        self.assertEqual(cm.exception.response["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")

    def test_resource_queue(self):
        sqsr = resource("sqs")
        q = sqsr.create_queue(QueueName=uniq("py-res"))
        q.send_messages(Entries=[{"Id": str(i), "MessageBody": "m%d" % i} for i in range(3)])
        got = []
        for _ in range(5):
            for m in q.receive_messages(MaxNumberOfMessages=10, WaitTimeSeconds=1):
                got.append(m.body)
                m.delete()
            if len(got) == 3:
                break
        self.assertEqual(sorted(got), ["m0", "m1", "m2"])
        q.delete()


@needs("dynamodb")
class TestDynamoDB(unittest.TestCase):
    def test_table_resource_batch_writer_query(self):
        from boto3.dynamodb.conditions import Attr, Key
        ddb = resource("dynamodb")
        table = ddb.create_table(
            TableName=uniq("py-t"), BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        table.wait_until_exists()
        with table.batch_writer() as bw:  # 30 items: two BatchWriteItem calls of 25 and 5
            for i in range(30):
                bw.put_item(Item={"pk": "p%d" % (i % 2), "sk": i, "tags": {"a", "b"}, "doc": {"n": i, "l": [1, "x"]}})
        self.assertEqual(table.scan(Select="COUNT")["Count"], 30)
        item = table.get_item(Key={"pk": "p1", "sk": 7})["Item"]
        self.assertEqual(item["tags"], {"a", "b"})
        self.assertEqual(item["doc"]["l"], [1, "x"])
        q = table.query(KeyConditionExpression=Key("pk").eq("p0") & Key("sk").between(10, 16),
                        ScanIndexForward=False)
        self.assertEqual([int(i["sk"]) for i in q["Items"]], [16, 14, 12, 10])
        table.update_item(Key={"pk": "p0", "sk": 0}, UpdateExpression="SET doc.n = doc.n + :one",
                          ExpressionAttributeValues={":one": 5})
        self.assertEqual(table.get_item(Key={"pk": "p0", "sk": 0})["Item"]["doc"]["n"], 5)
        with self.assertRaises(ddb.meta.client.exceptions.ConditionalCheckFailedException):
            table.put_item(Item={"pk": "p0", "sk": 0}, ConditionExpression=Attr("pk").not_exists())
        table.delete()


@needs("sts")
class TestSTS(unittest.TestCase):
    def test_get_caller_identity(self):
        ident = client("sts").get_caller_identity()
        self.assertEqual(ident["Account"], "000000000000")
        self.assertTrue(ident["Arn"].startswith("arn:aws:"), ident["Arn"])


class TestS3FileObj(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if "s3" not in health().get("services", []):
            raise unittest.SkipTest("fakecloud does not serve s3 yet")
        cls.s3 = client("s3", config=Config(s3={"addressing_style": "path"}))
        cls.bucket = uniq("py-fileobj")
        cls.s3.create_bucket(Bucket=cls.bucket)

    def test_upload_fileobj_download_fileobj(self):
        import io
        cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
        for size in (1234, 6 * 1024 * 1024):  # a single PUT and a two-part upload
            data = os.urandom(size)
            self.s3.upload_fileobj(io.BytesIO(data), self.bucket, "obj-%d" % size, Config=cfg,
                                   ExtraArgs={"ContentType": "application/x-test", "Metadata": {"n": str(size)}})
            out = io.BytesIO()
            self.s3.download_fileobj(self.bucket, "obj-%d" % size, out, Config=cfg)
            self.assertEqual(hashlib.sha256(out.getvalue()).hexdigest(), hashlib.sha256(data).hexdigest())
            head = self.s3.head_object(Bucket=self.bucket, Key="obj-%d" % size)
            self.assertEqual(head["ContentLength"], size)
            self.assertEqual(head["ContentType"], "application/x-test")
            self.assertEqual(head["Metadata"], {"n": str(size)})


@needs("sns")
class TestSNS(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if "sqs" not in health().get("services", []):
            raise unittest.SkipTest("fakecloud does not serve sqs yet")
        cls.sns, cls.sqs = client("sns"), client("sqs")

    def queue(self):
        url = self.sqs.create_queue(QueueName=uniq("py-sub"))["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def receive_one(self, url):
        for _ in range(5):
            msgs = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1, MessageAttributeNames=["All"]).get("Messages", [])
            if msgs:
                return msgs[0]
        self.fail("nothing delivered to %s" % url)

    def test_publish_to_sqs_envelope_and_raw(self):
        arn = self.sns.create_topic(Name=uniq("py-topic"))["TopicArn"]
        self.assertTrue(arn.startswith("arn:aws:sns:us-east-1:"), arn)
        env_url, env_arn = self.queue()
        raw_url, raw_arn = self.queue()
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=env_arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=raw_arn, Attributes={"RawMessageDelivery": "true"})
        subs = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        self.assertEqual(sorted(s["Endpoint"] for s in subs), sorted([env_arn, raw_arn]))
        mid = self.sns.publish(TopicArn=arn, Message="hello py", Subject="subj", MessageAttributes={
            "kind": {"DataType": "String", "StringValue": "k1"}})["MessageId"]
        env = json.loads(self.receive_one(env_url)["Body"])
        self.assertEqual((env["Type"], env["MessageId"], env["TopicArn"], env["Message"], env["Subject"]),
                         ("Notification", mid, arn, "hello py", "subj"))
        self.assertEqual(env["MessageAttributes"]["kind"], {"Type": "String", "Value": "k1"})
        for k in ("Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL"):
            self.assertTrue(env.get(k), k)
        raw = self.receive_one(raw_url)
        self.assertEqual(raw["Body"], "hello py")
        self.assertEqual(raw["MessageAttributes"]["kind"]["StringValue"], "k1")
        self.sns.unsubscribe(SubscriptionArn=sub)
        self.assertEqual(len(self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]), 1)
        self.sns.delete_topic(TopicArn=arn)
        with self.assertRaises(self.sns.exceptions.NotFoundException):
            self.sns.get_topic_attributes(TopicArn=arn)

    def test_topic_resource(self):
        sns = resource("sns")
        topic = sns.create_topic(Name=uniq("py-res-topic"))
        url, qarn = self.queue()
        sub = topic.subscribe(Protocol="sqs", Endpoint=qarn, Attributes={"RawMessageDelivery": "true"})
        self.assertEqual(sub.attributes["RawMessageDelivery"], "true")
        topic.set_attributes(AttributeName="DisplayName", AttributeValue="Py Topic")
        topic.reload()
        self.assertEqual(topic.attributes["DisplayName"], "Py Topic")
        self.assertEqual([s.arn for s in topic.subscriptions.all()], [sub.arn])
        topic.publish(Message="via resource")
        self.assertEqual(self.receive_one(url)["Body"], "via resource")
        topic.delete()


@needs("kms")
class TestKMS(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.kms = client("kms")

    def test_encrypt_decrypt_data_keys(self):
        key = self.kms.create_key(Description="py")["KeyMetadata"]
        alias = "alias/" + uniq("py-key")
        self.kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
        ct = self.kms.encrypt(KeyId=alias, Plaintext=b"secret", EncryptionContext={"a": "b"})["CiphertextBlob"]
        dec = self.kms.decrypt(CiphertextBlob=ct, EncryptionContext={"a": "b"})
        self.assertEqual((dec["Plaintext"], dec["KeyId"]), (b"secret", key["Arn"]))
        with self.assertRaises(self.kms.exceptions.InvalidCiphertextException):
            self.kms.decrypt(CiphertextBlob=ct, EncryptionContext={"a": "c"})
        dk = self.kms.generate_data_key(KeyId=alias, KeySpec="AES_256")
        self.assertEqual(len(dk["Plaintext"]), 32)
        self.assertEqual(self.kms.decrypt(CiphertextBlob=dk["CiphertextBlob"])["Plaintext"], dk["Plaintext"])
        self.assertIn(alias, [a["AliasName"] for a in self.kms.list_aliases(KeyId=key["KeyId"])["Aliases"]])
        self.kms.disable_key(KeyId=key["KeyId"])
        with self.assertRaises(self.kms.exceptions.DisabledException):
            self.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")

    def test_sign_verify(self):
        key = self.kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
        sig = self.kms.sign(KeyId=key["KeyId"], Message=b"msg", MessageType="RAW", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
        self.assertTrue(self.kms.verify(KeyId=key["KeyId"], Message=b"msg", MessageType="RAW", Signature=sig,
                                        SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"])
        with self.assertRaises(self.kms.exceptions.KMSInvalidSignatureException):
            self.kms.verify(KeyId=key["KeyId"], Message=b"other", MessageType="RAW", Signature=sig, SigningAlgorithm="ECDSA_SHA_256")
        der = self.kms.get_public_key(KeyId=key["KeyId"])["PublicKey"]
        try:  # where the cryptography package is installed, check the signature outside KMS too
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec
        except ImportError:
            self.assertEqual(der[0], 0x30)  # a DER SEQUENCE (SubjectPublicKeyInfo)
            return
        serialization.load_der_public_key(der).verify(sig, b"msg", ec.ECDSA(hashes.SHA256()))


@needs("secretsmanager")
class TestSecretsManager(unittest.TestCase):
    def test_stages_delete_restore(self):
        sm = client("secretsmanager")
        name = uniq("py/secret")
        v1 = sm.create_secret(Name=name, SecretString="one")["VersionId"]
        v2 = sm.put_secret_value(SecretId=name, SecretString="two")["VersionId"]
        self.assertEqual(sm.get_secret_value(SecretId=name)["SecretString"], "two")
        prev = sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")
        self.assertEqual((prev["SecretString"], prev["VersionId"]), ("one", v1))
        v3 = sm.put_secret_value(SecretId=name, SecretString="three", VersionStages=["AWSPENDING"])["VersionId"]
        sm.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=v3, RemoveFromVersionId=v2)
        sm.update_secret_version_stage(SecretId=name, VersionStage="AWSPENDING", RemoveFromVersionId=v3)
        cur = sm.get_secret_value(SecretId=name)
        self.assertEqual((cur["SecretString"], cur["VersionId"]), ("three", v3))
        self.assertEqual(sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["VersionId"], v2)
        sm.rotate_secret(SecretId=name, RotationLambdaARN="arn:aws:lambda:us-east-1:000000000000:function:rot",
                         RotationRules={"AutomaticallyAfterDays": 7}, RotateImmediately=False)
        d = sm.describe_secret(SecretId=name)
        self.assertTrue(d["RotationEnabled"])
        self.assertEqual(d["VersionIdsToStages"], {v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"]})
        sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
        with self.assertRaises(sm.exceptions.InvalidRequestException):
            sm.get_secret_value(SecretId=name)
        sm.restore_secret(SecretId=name)
        self.assertEqual(sm.get_secret_value(SecretId=name)["SecretString"], "three")
        sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        with self.assertRaises(sm.exceptions.ResourceNotFoundException):
            sm.describe_secret(SecretId=name)


@needs("ssm")
class TestSSM(unittest.TestCase):
    def test_parameters(self):
        ssm = client("ssm")
        root = "/" + uniq("py-app")
        ssm.put_parameter(Name=root + "/db/host", Value="h1", Type="String")
        ssm.put_parameter(Name=root + "/db/pass", Value="pw", Type="SecureString")
        ssm.put_parameter(Name=root + "/list", Value="a,b", Type="StringList")
        with self.assertRaises(ssm.exceptions.ParameterAlreadyExists):
            ssm.put_parameter(Name=root + "/db/host", Value="h2", Type="String")
        self.assertEqual(ssm.put_parameter(Name=root + "/db/host", Value="h2", Overwrite=True)["Version"], 2)
        self.assertNotEqual(ssm.get_parameter(Name=root + "/db/pass")["Parameter"]["Value"], "pw")
        self.assertEqual(ssm.get_parameter(Name=root + "/db/pass", WithDecryption=True)["Parameter"]["Value"], "pw")
        self.assertEqual(ssm.get_parameter(Name=root + "/db/host:1")["Parameter"]["Value"], "h1")
        pages = ssm.get_paginator("get_parameters_by_path").paginate(Path=root, Recursive=True, WithDecryption=True,
                                                                   PaginationConfig={"PageSize": 1})
        got = {p["Name"][len(root):]: p["Value"] for page in pages for p in page["Parameters"]}
        self.assertEqual(got, {"/db/host": "h2", "/db/pass": "pw", "/list": "a,b"})
        shallow = ssm.get_parameters_by_path(Path=root)["Parameters"]
        self.assertEqual([p["Name"] for p in shallow], [root + "/list"])
        ssm.delete_parameter(Name=root + "/list")
        with self.assertRaises(ssm.exceptions.ParameterNotFound):
            ssm.get_parameter(Name=root + "/list")


@needs("dynamodb")
class TestDynamoDBTransactionsAndStreams(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ddb = client("dynamodb")

    def table(self, **kw):
        name = uniq("py-tx")
        self.ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], **kw)
        return name

    def test_transaction_cancellation_reasons(self):
        t = self.table()
        self.ddb.put_item(TableName=t, Item={"pk": {"S": "a"}, "n": {"N": "1"}})
        with self.assertRaises(self.ddb.exceptions.TransactionCanceledException) as cm:
            self.ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": t, "Item": {"pk": {"S": "b"}}}},
                {"ConditionCheck": {"TableName": t, "Key": {"pk": {"S": "a"}}, "ConditionExpression": "n > :z",
                                    "ExpressionAttributeValues": {":z": {"N": "5"}},
                                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}])
        reasons = cm.exception.response["CancellationReasons"]
        self.assertEqual([r["Code"] for r in reasons], ["None", "ConditionalCheckFailed"])
        self.assertEqual(reasons[1]["Item"], {"pk": {"S": "a"}, "n": {"N": "1"}})
        self.assertNotIn("Item", self.ddb.get_item(TableName=t, Key={"pk": {"S": "b"}}))
        # PutItem's ReturnValuesOnConditionCheckFailure is newer (2023) than boto3 1.26's model.
        with_old = "ReturnValuesOnConditionCheckFailure" in \
            self.ddb.meta.service_model.operation_model("PutItem").input_shape.members
        kw = {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"} if with_old else {}
        with self.assertRaises(self.ddb.exceptions.ConditionalCheckFailedException) as cm:
            self.ddb.put_item(TableName=t, Item={"pk": {"S": "a"}}, ConditionExpression="attribute_not_exists(pk)", **kw)
        if with_old:
            self.assertEqual(cm.exception.response["Item"], {"pk": {"S": "a"}, "n": {"N": "1"}})
        else:
            self.assertNotIn("Item", cm.exception.response)

    def test_table_resource_conditions(self):
        from boto3.dynamodb.conditions import Attr, Key
        table = resource("dynamodb").Table(self.table())
        for i in range(6):
            table.put_item(Item={"pk": "k%d" % i, "n": i, "tags": ["a"] if i % 2 else ["b"]})
        table.update_item(Key={"pk": "k1"}, UpdateExpression="SET n = n + :d, tags = list_append(tags, :t)",
                          ConditionExpression=Attr("n").eq(1), ExpressionAttributeValues={":d": 10, ":t": ["c"]})
        item = table.get_item(Key={"pk": "k1"})["Item"]
        self.assertEqual((item["n"], item["tags"]), (11, ["a", "c"]))
        scan = table.scan(FilterExpression=Attr("n").between(2, 11) & Attr("tags").contains("a"))
        self.assertEqual(sorted(i["pk"] for i in scan["Items"]), ["k1", "k3", "k5"])
        self.assertEqual(table.query(KeyConditionExpression=Key("pk").eq("k4"))["Items"][0]["n"], 4)
        with self.assertRaises(table.meta.client.exceptions.ConditionalCheckFailedException):
            table.delete_item(Key={"pk": "k2"}, ConditionExpression=Attr("n").gt(100))

    def test_stream_records(self):
        t = self.table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        self.ddb.put_item(TableName=t, Item={"pk": {"S": "s"}, "v": {"N": "1"}})
        self.ddb.put_item(TableName=t, Item={"pk": {"S": "s"}, "v": {"N": "2"}})
        self.ddb.delete_item(TableName=t, Key={"pk": {"S": "s"}})
        streams = client("dynamodbstreams")
        arn = self.ddb.describe_table(TableName=t)["Table"]["LatestStreamArn"]
        self.assertEqual([s["StreamArn"] for s in streams.list_streams(TableName=t)["Streams"]], [arn])
        shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
        recs = []
        for sh in shards:
            it = streams.get_shard_iterator(StreamArn=arn, ShardId=sh["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            for _ in range(10):
                out = streams.get_records(ShardIterator=it)
                recs += out["Records"]
                if not out["Records"] or not out.get("NextShardIterator"):
                    break
                it = out["NextShardIterator"]
        self.assertEqual([r["eventName"] for r in recs], ["INSERT", "MODIFY", "REMOVE"])
        self.assertEqual(recs[1]["dynamodb"]["OldImage"]["v"], {"N": "1"})
        self.assertEqual(recs[1]["dynamodb"]["NewImage"]["v"], {"N": "2"})


@needs("sts")
class TestSTSAssumeRole(unittest.TestCase):
    def test_assumed_role_credentials_work(self):
        out = client("sts").assume_role(RoleArn="arn:aws:iam::111122223333:role/py-role", RoleSessionName="py")
        c = out["Credentials"]
        self.assertTrue(c["AccessKeyId"].startswith("ASIA"))
        sess = boto3.session.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                                     aws_session_token=c["SessionToken"], region_name="us-east-1")
        ident = sess.client("sts", endpoint_url=ENDPOINT).get_caller_identity()
        self.assertEqual(ident["Account"], "111122223333")
        self.assertEqual(ident["Arn"], "arn:aws:sts::111122223333:assumed-role/py-role/py")


if __name__ == "__main__":
    unittest.main()
