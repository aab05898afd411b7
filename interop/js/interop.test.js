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
import { DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

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
