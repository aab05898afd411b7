// AWS SDK for JavaScript v3 against a running fakecloud (FAKECLOUD_ENDPOINT).
// Services fakecloud does not serve yet (per /_fakecloud/health) are skipped
// by name. Run by interop/run.sh: node --test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectsV2Command, DeleteObjectCommand, DeleteBucketCommand, NoSuchKey,
} from '@aws-sdk/client-s3';
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand,
  DeleteQueueCommand, GetQueueUrlCommand, QueueDoesNotExist,
} from '@aws-sdk/client-sqs';
import { DynamoDBClient, CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand, TransactWriteCommand, TransactGetCommand,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand, DeleteTopicCommand, GetTopicAttributesCommand,
  NotFoundException,
} from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import {
  KMSClient, CreateKeyCommand, EncryptCommand, DecryptCommand, GenerateDataKeyCommand, SignCommand, GetPublicKeyCommand,
  VerifyCommand, InvalidCiphertextException,
} from '@aws-sdk/client-kms';
import {
  SecretsManagerClient, CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, DeleteSecretCommand,
  RestoreSecretCommand, InvalidRequestException,
} from '@aws-sdk/client-secrets-manager';
import {
  SSMClient, PutParameterCommand, GetParameterCommand, GetParametersByPathCommand, ParameterAlreadyExists,
  paginateGetParametersByPath,
} from '@aws-sdk/client-ssm';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';

const endpoint = process.env.FAKECLOUD_ENDPOINT;
assert.ok(endpoint, 'FAKECLOUD_ENDPOINT is not set');
const health = await (await fetch(`${endpoint}/_fakecloud/health`)).json();
const base = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
const skip = (svc) => (health.services.includes(svc) ? false : `fakecloud does not serve ${svc} yet`);
const uniq = (p) => `${p}-${randomBytes(6).toString('hex')}`;
const md5 = (b) => createHash('md5').update(b).digest('hex');

test('health is ok', () => {
  assert.equal(health.status, 'ok');
});

test('s3 put/get/head/list/delete with default checksums', { skip: skip('s3') }, async () => {
  const s3 = new S3Client({ ...base, forcePathStyle: true });
  const Bucket = uniq('js-s3');
  await s3.send(new CreateBucketCommand({ Bucket }));
  const body = 'hello from the JS SDK\n';
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'a/b.txt', Body: body, ContentType: 'text/plain' }));
  assert.equal(put.ETag, `"${md5(body)}"`);
  const get = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/b.txt' }));
  assert.equal(await get.Body.transformToString(), body);
  assert.equal(get.ContentType, 'text/plain');
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'a/b.txt' }));
  assert.equal(head.ETag, put.ETag);
  const list = await s3.send(new ListObjectsV2Command({ Bucket }));
  assert.deepEqual(list.Contents.map((o) => o.Key), ['a/b.txt']);
  assert.equal(list.KeyCount, 1);
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: 'missing' })), (e) => e instanceof NoSuchKey && e.$metadata.httpStatusCode === 404);
  await s3.send(new DeleteObjectCommand({ Bucket, Key: 'a/b.txt' }));
  await s3.send(new DeleteBucketCommand({ Bucket }));
});

test('s3 large object round trip', { skip: skip('s3') }, async () => {
  const s3 = new S3Client({ ...base, forcePathStyle: true });
  const Bucket = uniq('js-big');
  await s3.send(new CreateBucketCommand({ Bucket }));
  const data = randomBytes(6 * 1024 * 1024);
  await s3.send(new PutObjectCommand({ Bucket, Key: 'big.bin', Body: data }));
  const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin' }))).Body.transformToByteArray());
  assert.equal(md5(got), md5(data));
});

test('sqs send/receive/delete with MD5 checks', { skip: skip('sqs') }, async () => {
  const sqs = new SQSClient(base);
  const QueueName = uniq('js-q');
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName }));
  const sent = await sqs.send(new SendMessageCommand({
    QueueUrl, MessageBody: 'hi js', MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
  }));
  assert.equal(sent.MD5OfMessageBody, md5('hi js'));
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
  assert.equal(r.Messages.length, 1);
  assert.equal(r.Messages[0].Body, 'hi js');
  assert.equal(r.Messages[0].MessageAttributes.kind.StringValue, 'greeting');
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: r.Messages[0].ReceiptHandle }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName })), (e) => e instanceof QueueDoesNotExist);
});

test('dynamodb document client put/get/query', { skip: skip('dynamodb') }, async () => {
  const ddb = new DynamoDBClient(base);
  const doc = DynamoDBDocumentClient.from(ddb);
  const TableName = uniq('js-t');
  await ddb.send(new CreateTableCommand({
    TableName, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
  for (const sk of [3, 1, 2]) {
    await doc.send(new PutCommand({ TableName, Item: { pk: 'a', sk, tags: new Set(['x', 'y']), nested: { list: [1, 'two'] } } }));
  }
  const got = await doc.send(new GetCommand({ TableName, Key: { pk: 'a', sk: 2 } }));
  assert.deepEqual(got.Item.nested, { list: [1, 'two'] });
  assert.deepEqual([...got.Item.tags].sort(), ['x', 'y']);
  const q = await doc.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': 'a', ':s': 1 } }));
  assert.deepEqual(q.Items.map((i) => i.sk), [2, 3]);
  await ddb.send(new DeleteTableCommand({ TableName }));
});

test('sns publish to sqs: envelope and raw delivery', { skip: skip('sns') || skip('sqs') }, async () => {
  const sns = new SNSClient(base);
  const sqs = new SQSClient(base);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniq('js-topic') }));
  const queue = async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniq('js-sub') }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { QueueUrl, arn: Attributes.QueueArn };
  };
  const env = await queue();
  const raw = await queue();
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: env.arn }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: raw.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const { MessageId } = await sns.send(new PublishCommand({
    TopicArn, Message: 'hi js sns', MessageAttributes: { kind: { DataType: 'String', StringValue: 'k' } },
  }));
  const one = async (QueueUrl) => {
    for (let i = 0; i < 5; i++) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      if (r.Messages?.length) return r.Messages[0];
    }
    assert.fail(`nothing delivered to ${QueueUrl}`);
  };
  const n = JSON.parse((await one(env.QueueUrl)).Body);
  assert.equal(n.Type, 'Notification');
  assert.equal(n.MessageId, MessageId);
  assert.equal(n.TopicArn, TopicArn);
  assert.equal(n.Message, 'hi js sns');
  assert.deepEqual(n.MessageAttributes.kind, { Type: 'String', Value: 'k' });
  const r = await one(raw.QueueUrl);
  assert.equal(r.Body, 'hi js sns');
  assert.equal(r.MessageAttributes.kind.StringValue, 'k');
  await sns.send(new DeleteTopicCommand({ TopicArn }));
  await assert.rejects(sns.send(new GetTopicAttributesCommand({ TopicArn })), (e) => e instanceof NotFoundException);
});

test('kms encrypt/decrypt, data keys, ECDSA sign verified by node:crypto', { skip: skip('kms') }, async () => {
  const kms = new KMSClient(base);
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const ctx = { app: 'js' };
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('js secret'), EncryptionContext: ctx }));
  const dec = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: ctx }));
  assert.equal(Buffer.from(dec.Plaintext).toString(), 'js secret');
  assert.equal(dec.KeyId, KeyMetadata.Arn);
  await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { app: 'other' } })), (e) => e instanceof InvalidCiphertextException);
  const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata.KeyId, KeySpec: 'AES_256' }));
  assert.equal(dk.Plaintext.length, 32);
  const back = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
  assert.deepEqual(Buffer.from(back.Plaintext), Buffer.from(dk.Plaintext));

  const sk = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata;
  const msg = Buffer.from('signed in KMS');
  const { Signature } = await kms.send(new SignCommand({ KeyId: sk.KeyId, Message: msg, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }));
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: sk.KeyId }));
  const pub = createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' });
  assert.ok(cryptoVerify('sha256', msg, pub, Buffer.from(Signature)), 'node:crypto rejects the KMS signature');
  const v = await kms.send(new VerifyCommand({ KeyId: sk.KeyId, Message: msg, MessageType: 'RAW', Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
  assert.equal(v.SignatureValid, true);
});

test('secrets manager versions, delete and restore', { skip: skip('secretsmanager') }, async () => {
  const sm = new SecretsManagerClient(base);
  const Name = uniq('js/secret');
  const v1 = (await sm.send(new CreateSecretCommand({ Name, SecretString: 'one' }))).VersionId;
  await sm.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'two' }));
  const cur = await sm.send(new GetSecretValueCommand({ SecretId: Name }));
  assert.equal(cur.SecretString, 'two');
  assert.deepEqual(cur.VersionStages, ['AWSCURRENT']);
  const prev = await sm.send(new GetSecretValueCommand({ SecretId: Name, VersionStage: 'AWSPREVIOUS' }));
  assert.equal(prev.VersionId, v1);
  await sm.send(new DeleteSecretCommand({ SecretId: Name, RecoveryWindowInDays: 7 }));
  await assert.rejects(sm.send(new GetSecretValueCommand({ SecretId: Name })), (e) => e instanceof InvalidRequestException);
  await sm.send(new RestoreSecretCommand({ SecretId: Name }));
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: Name }))).SecretString, 'two');
});

test('ssm parameters: SecureString, overwrite, by-path paginator', { skip: skip('ssm') }, async () => {
  const ssm = new SSMClient(base);
  const root = `/${uniq('js-app')}`;
  await ssm.send(new PutParameterCommand({ Name: `${root}/a`, Value: 'va', Type: 'String' }));
  await ssm.send(new PutParameterCommand({ Name: `${root}/s/b`, Value: 'vb', Type: 'SecureString' }));
  await assert.rejects(ssm.send(new PutParameterCommand({ Name: `${root}/a`, Value: 'x', Type: 'String' })), (e) => e instanceof ParameterAlreadyExists);
  const p = (await ssm.send(new GetParameterCommand({ Name: `${root}/s/b`, WithDecryption: true }))).Parameter;
  assert.equal(p.Value, 'vb');
  assert.equal(p.Type, 'SecureString');
  const got = {};
  for await (const page of paginateGetParametersByPath({ client: ssm, pageSize: 1 }, { Path: root, Recursive: true, WithDecryption: true })) {
    for (const x of page.Parameters) got[x.Name.slice(root.length)] = x.Value;
  }
  assert.deepEqual(got, { '/a': 'va', '/s/b': 'vb' });
  const shallow = await ssm.send(new GetParametersByPathCommand({ Path: root }));
  assert.deepEqual(shallow.Parameters.map((x) => x.Name), [`${root}/a`]);
});

test('lib-dynamodb transactions: applied, cancelled with reasons, condition failure item', { skip: skip('dynamodb') }, async () => {
  const ddb = new DynamoDBClient(base);
  const doc = DynamoDBDocumentClient.from(ddb);
  const TableName = uniq('js-tx');
  await ddb.send(new CreateTableCommand({
    TableName, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  await doc.send(new TransactWriteCommand({ TransactItems: [
    { Put: { TableName, Item: { pk: 'a', n: 10 } } },
    { Put: { TableName, Item: { pk: 'b', n: 1 } } },
  ] }));
  await doc.send(new TransactWriteCommand({ TransactItems: [
    { Update: { TableName, Key: { pk: 'a' }, UpdateExpression: 'SET n = n - :d', ConditionExpression: 'n >= :d', ExpressionAttributeValues: { ':d': 4 } } },
    { Update: { TableName, Key: { pk: 'b' }, UpdateExpression: 'SET n = n + :d', ExpressionAttributeValues: { ':d': 4 } } },
  ] }));
  const tg = await doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName, Key: { pk: 'a' } } }, { Get: { TableName, Key: { pk: 'b' } } }] }));
  assert.deepEqual(tg.Responses.map((r) => r.Item.n), [6, 5]);
  await assert.rejects(doc.send(new TransactWriteCommand({ TransactItems: [
    { Put: { TableName, Item: { pk: 'c' } } },
    { ConditionCheck: { TableName, Key: { pk: 'a' }, ConditionExpression: 'n > :big', ExpressionAttributeValues: { ':big': 100 }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
  ] })), (e) => {
    assert.ok(e instanceof TransactionCanceledException, `${e.name}: ${e.message}`);
    assert.deepEqual(e.CancellationReasons.map((r) => r.Code), ['None', 'ConditionalCheckFailed']);
    assert.deepEqual(e.CancellationReasons[1].Item.n, { N: '6' });
    return true;
  });
  assert.equal((await doc.send(new GetCommand({ TableName, Key: { pk: 'c' } }))).Item, undefined);
  await assert.rejects(doc.send(new PutCommand({ TableName, Item: { pk: 'a' }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
    (e) => e instanceof ConditionalCheckFailedException && e.Item?.n?.N === '6');
  await ddb.send(new DeleteTableCommand({ TableName }));
});
