package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/fakecloud/fakecloud/session"
)

// Workload is a named benchmark: the services it needs, a Setup that
// prepares state once and returns the Op the workers repeat.
type Workload struct {
	Name string
	// Services are the botocore service names whose clients the Op uses.
	Services []string
	// Describe says what one operation is.
	Describe string
	// Setup prepares state and returns the Op. Its error makes the workload
	// unavailable (with the error as the reason).
	Setup func(ctx context.Context, env *Env) (Op, error)
	// Unavailable, when set, is why this workload cannot run at all.
	Unavailable string
}

// Workloads returns every workload of `fakecloud bench`, in a stable order.
func Workloads() []Workload {
	return []Workload{
		{Name: "s3-put-4k", Services: []string{"s3"}, Describe: "PutObject of 4 KiB (1000 keys per worker, overwritten)", Setup: s3Put4k},
		{Name: "s3-get-4k", Services: []string{"s3"}, Describe: "GetObject of a 4 KiB object, body read to the end", Setup: s3Get4k},
		{Name: "s3-list-1000", Services: []string{"s3"}, Describe: "ListObjectsV2 of a bucket holding 1000 keys (one page)", Setup: s3List1000},
		{Name: "s3-put-64m-multipart", Services: []string{"s3"}, Describe: "CreateMultipartUpload, 8 UploadPart of 8 MiB, CompleteMultipartUpload", Setup: s3Put64mMultipart},
		{Name: "ddb-put", Services: []string{"dynamodb"}, Describe: "PutItem of a ~100-byte item, new key each time", Setup: ddbPut},
		{Name: "ddb-get", Services: []string{"dynamodb"}, Describe: "GetItem of one of 1000 items", Setup: ddbGet},
		{Name: "ddb-query-100", Services: []string{"dynamodb"}, Describe: "Query returning the 100 items of one partition", Setup: ddbQuery100},
		{Name: "ddb-scan-filter-10k", Services: []string{"dynamodb"}, Describe: "paginated Scan of 10000 items with a FilterExpression keeping 1%", Setup: ddbScanFilter10k},
		{Name: "sqs-send", Services: []string{"sqs"}, Describe: "SendMessage of 256 bytes", Setup: sqsSend},
		{Name: "sqs-roundtrip", Services: []string{"sqs"}, Describe: "SendMessage, ReceiveMessage, DeleteMessage on a queue per worker", Setup: sqsRoundtrip},
		{Name: "sns-fanout-10", Services: []string{"sns", "sqs"}, Describe: "Publish to a topic with 10 SQS subscriptions", Setup: snsFanout10},
	}
}

// Lookup finds a workload by name.
func Lookup(name string) (Workload, bool) {
	for _, w := range Workloads() {
		if w.Name == name {
			return w, true
		}
	}
	return Workload{}, false
}

func call(ctx context.Context, c *session.Client, op string, p session.Params) (*session.Output, error) {
	if c == nil {
		return nil, fmt.Errorf("%s: no client for this service", op)
	}
	return c.Call(ctx, op, p)
}

// parallel runs f(i) for i in [0,n) on up to conc goroutines; first error wins.
func parallel(ctx context.Context, n, conc int, f func(i int) error) error {
	if conc < 4 {
		conc = 4
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		err  error
		next int
	)
	for g := 0; g < conc; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := err != nil || i >= n || ctx.Err() != nil
				mu.Unlock()
				if stop {
					return
				}
				if e := f(i); e != nil {
					mu.Lock()
					if err == nil {
						err = e
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// ---- S3 ----

var payload4k = bytes.Repeat([]byte("fakecloud-bench."), 256) // 4096 bytes

func bucket(ctx context.Context, env *Env, name string) (string, error) {
	b := env.Prefix + name
	_, err := call(ctx, env.Client("s3"), "CreateBucket", session.Params{"Bucket": b})
	return b, err
}

func s3Put4k(ctx context.Context, env *Env) (Op, error) {
	b, err := bucket(ctx, env, "put4k")
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		_, err := call(ctx, c.Client("s3"), "PutObject", session.Params{
			"Bucket": b, "Key": "w" + strconv.Itoa(w) + "/k" + strconv.FormatInt(n%1000, 10), "Body": bytes.NewReader(payload4k)})
		return err
	}, nil
}

func s3Get4k(ctx context.Context, env *Env) (Op, error) {
	b, err := bucket(ctx, env, "get4k")
	if err != nil {
		return nil, err
	}
	if _, err := call(ctx, env.Client("s3"), "PutObject", session.Params{"Bucket": b, "Key": "object-4k", "Body": bytes.NewReader(payload4k)}); err != nil {
		return nil, err
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		out, err := call(ctx, c.Client("s3"), "GetObject", session.Params{"Bucket": b, "Key": "object-4k"})
		if err != nil {
			return err
		}
		return readBody(out, len(payload4k))
	}, nil
}

func readBody(out *session.Output, want int) error {
	v, _ := out.Get("Body")
	var n int64
	switch b := v.(type) {
	case io.ReadCloser:
		var err error
		n, err = io.Copy(io.Discard, b)
		b.Close()
		if err != nil {
			return fmt.Errorf("GetObject body: %w", err)
		}
	case io.Reader:
		n, _ = io.Copy(io.Discard, b)
	case []byte:
		n = int64(len(b))
	default:
		return fmt.Errorf("GetObject: no Body (%T)", v)
	}
	if n != int64(want) {
		return fmt.Errorf("GetObject: body of %d bytes, want %d", n, want)
	}
	return nil
}

func s3List1000(ctx context.Context, env *Env) (Op, error) {
	b, err := bucket(ctx, env, "list1000")
	if err != nil {
		return nil, err
	}
	s3 := env.Client("s3")
	err = parallel(ctx, 1000, env.Concurrency, func(i int) error {
		_, err := call(ctx, s3, "PutObject", session.Params{"Bucket": b, "Key": fmt.Sprintf("dir%d/key-%04d", i%10, i), "Body": []byte("v")})
		return err
	})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		out, err := call(ctx, c.Client("s3"), "ListObjectsV2", session.Params{"Bucket": b})
		if err != nil {
			return err
		}
		if k := len(out.List("Contents")); k != 1000 {
			return fmt.Errorf("ListObjectsV2: %d keys, want 1000", k)
		}
		return nil
	}, nil
}

const partSize = 8 << 20

var part8m = bytes.Repeat([]byte("0123456789abcdef"), partSize/16)

func s3Put64mMultipart(ctx context.Context, env *Env) (Op, error) {
	b, err := bucket(ctx, env, "mpu64m")
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		s3 := c.Client("s3")
		key := "mpu-" + strconv.Itoa(w) // overwritten: state stays bounded
		out, err := call(ctx, s3, "CreateMultipartUpload", session.Params{"Bucket": b, "Key": key})
		if err != nil {
			return err
		}
		id := out.String("UploadId")
		parts := make([]any, 0, 8)
		for p := int64(1); p <= 8; p++ {
			po, err := call(ctx, s3, "UploadPart", session.Params{"Bucket": b, "Key": key, "UploadId": id, "PartNumber": p, "Body": bytes.NewReader(part8m)})
			if err != nil {
				return err
			}
			parts = append(parts, map[string]any{"PartNumber": p, "ETag": po.String("ETag")})
		}
		_, err = call(ctx, s3, "CompleteMultipartUpload", session.Params{"Bucket": b, "Key": key, "UploadId": id,
			"MultipartUpload": map[string]any{"Parts": parts}})
		return err
	}, nil
}

// ---- DynamoDB ----

func table(ctx context.Context, env *Env, name string) (string, error) {
	t := env.Prefix + name
	ddb := env.Client("dynamodb")
	_, err := call(ctx, ddb, "CreateTable", session.Params{
		"TableName":            t,
		"BillingMode":          "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}, map[string]any{"AttributeName": "sk", "AttributeType": "N"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}, map[string]any{"AttributeName": "sk", "KeyType": "RANGE"}},
	})
	if err != nil {
		return "", err
	}
	// Real DynamoDB creates tables asynchronously; the emulator is ACTIVE at once.
	if wt, werr := ddb.Waiter("TableExists"); werr == nil {
		err = wt.Wait(ctx, session.Params{"TableName": t}, session.WaiterConfig{Delay: 500e6, MaxAttempts: 120})
	}
	return t, err
}

var filler = strings.Repeat("x", 64)

func item(pk string, sk int64) map[string]any {
	return map[string]any{
		"pk":   map[string]any{"S": pk},
		"sk":   map[string]any{"N": strconv.FormatInt(sk, 10)},
		"data": map[string]any{"S": filler},
		"n":    map[string]any{"N": strconv.FormatInt(sk%100, 10)},
	}
}

func ddbPut(ctx context.Context, env *Env) (Op, error) {
	t, err := table(ctx, env, "put")
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		_, err := call(ctx, c.Client("dynamodb"), "PutItem", session.Params{"TableName": t, "Item": item("w"+strconv.Itoa(w), n)})
		return err
	}, nil
}

func putItems(ctx context.Context, env *Env, t string, count int, pk func(i int) string) error {
	ddb := env.Client("dynamodb")
	return parallel(ctx, count, env.Concurrency, func(i int) error {
		_, err := call(ctx, ddb, "PutItem", session.Params{"TableName": t, "Item": item(pk(i), int64(i))})
		return err
	})
}

func ddbGet(ctx context.Context, env *Env) (Op, error) {
	t, err := table(ctx, env, "get")
	if err != nil {
		return nil, err
	}
	if err := putItems(ctx, env, t, 1000, func(i int) string { return "p" + strconv.Itoa(i) }); err != nil {
		return nil, err
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		i := (int64(w)*7919 + n*104729) % 1000
		out, err := call(ctx, c.Client("dynamodb"), "GetItem", session.Params{"TableName": t, "Key": map[string]any{
			"pk": map[string]any{"S": "p" + strconv.FormatInt(i, 10)}, "sk": map[string]any{"N": strconv.FormatInt(i, 10)}}})
		if err != nil {
			return err
		}
		if out.Map("Item") == nil {
			return errors.New("GetItem: no Item")
		}
		return nil
	}, nil
}

func ddbQuery100(ctx context.Context, env *Env) (Op, error) {
	t, err := table(ctx, env, "query")
	if err != nil {
		return nil, err
	}
	if err := putItems(ctx, env, t, 100, func(int) string { return "q" }); err != nil {
		return nil, err
	}
	if err := putItems(ctx, env, t, 100, func(int) string { return "other" }); err != nil {
		return nil, err
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		out, err := call(ctx, c.Client("dynamodb"), "Query", session.Params{"TableName": t,
			"KeyConditionExpression":    "pk = :p",
			"ExpressionAttributeValues": map[string]any{":p": map[string]any{"S": "q"}}})
		if err != nil {
			return err
		}
		if k := out.Int("Count"); k != 100 {
			return fmt.Errorf("Query: Count %d, want 100", k)
		}
		return nil
	}, nil
}

func ddbScanFilter10k(ctx context.Context, env *Env) (Op, error) {
	t, err := table(ctx, env, "scan")
	if err != nil {
		return nil, err
	}
	if err := putItems(ctx, env, t, 10000, func(i int) string { return "s" + strconv.Itoa(i%500) }); err != nil {
		return nil, err
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		ddb := c.Client("dynamodb")
		p := session.Params{"TableName": t, "FilterExpression": "n = :n",
			"ExpressionAttributeValues": map[string]any{":n": map[string]any{"N": "7"}}}
		var matched, scanned int64
		for page := 0; page < 1000; page++ {
			out, err := call(ctx, ddb, "Scan", p)
			if err != nil {
				return err
			}
			matched += out.Int("Count")
			scanned += out.Int("ScannedCount")
			lek := out.Map("LastEvaluatedKey")
			if len(lek) == 0 {
				break
			}
			p["ExclusiveStartKey"] = lek
		}
		if matched != 100 || scanned != 10000 {
			return fmt.Errorf("Scan: matched %d of %d, want 100 of 10000", matched, scanned)
		}
		return nil
	}, nil
}

// ---- SQS ----

var message256 = strings.Repeat("m", 256)

func queue(ctx context.Context, c *session.Client, name string) (string, error) {
	out, err := call(ctx, c, "CreateQueue", session.Params{"QueueName": name})
	if err != nil {
		return "", err
	}
	return out.String("QueueUrl"), nil
}

func sqsSend(ctx context.Context, env *Env) (Op, error) {
	q, err := queue(ctx, env.Client("sqs"), env.Prefix+"send")
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		_, err := call(ctx, c.Client("sqs"), "SendMessage", session.Params{"QueueUrl": q, "MessageBody": message256})
		return err
	}, nil
}

func sqsRoundtrip(ctx context.Context, env *Env) (Op, error) {
	queues := make([]string, env.Concurrency)
	for i := range queues {
		q, err := queue(ctx, env.Client("sqs"), env.Prefix+"rt-"+strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		queues[i] = q
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		sqs := c.Client("sqs")
		q := queues[w%len(queues)]
		if _, err := call(ctx, sqs, "SendMessage", session.Params{"QueueUrl": q, "MessageBody": message256}); err != nil {
			return err
		}
		out, err := call(ctx, sqs, "ReceiveMessage", session.Params{"QueueUrl": q, "MaxNumberOfMessages": 1, "WaitTimeSeconds": 1})
		if err != nil {
			return err
		}
		msgs := out.List("Messages")
		if len(msgs) == 0 {
			return errors.New("ReceiveMessage: no message")
		}
		m, _ := msgs[0].(map[string]any)
		rh, _ := m["ReceiptHandle"].(string)
		_, err = call(ctx, sqs, "DeleteMessage", session.Params{"QueueUrl": q, "ReceiptHandle": rh})
		return err
	}, nil
}

// ---- SNS ----

func snsFanout10(ctx context.Context, env *Env) (Op, error) {
	sns, sqs := env.Client("sns"), env.Client("sqs")
	out, err := call(ctx, sns, "CreateTopic", session.Params{"Name": env.Prefix + "fanout"})
	if err != nil {
		return nil, err
	}
	topic := out.String("TopicArn")
	var queues []string
	for i := 0; i < 10; i++ {
		q, err := queue(ctx, sqs, env.Prefix+"fan-"+strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		a, err := call(ctx, sqs, "GetQueueAttributes", session.Params{"QueueUrl": q, "AttributeNames": []any{"QueueArn"}})
		if err != nil {
			return nil, err
		}
		arn := a.String("Attributes.QueueArn")
		if arn == "" {
			return nil, errors.New("GetQueueAttributes: no QueueArn")
		}
		if _, err := call(ctx, sns, "Subscribe", session.Params{"TopicArn": topic, "Protocol": "sqs", "Endpoint": arn,
			"Attributes": map[string]any{"RawMessageDelivery": "true"}}); err != nil {
			return nil, err
		}
		queues = append(queues, q)
	}
	// Fan-out must really happen, else Publish alone would be measured.
	if _, err := call(ctx, sns, "Publish", session.Params{"TopicArn": topic, "Message": "probe"}); err != nil {
		return nil, err
	}
	for _, q := range queues {
		r, err := call(ctx, sqs, "ReceiveMessage", session.Params{"QueueUrl": q, "WaitTimeSeconds": 5})
		if err != nil {
			return nil, err
		}
		if len(r.List("Messages")) == 0 {
			return nil, fmt.Errorf("Publish was not delivered to subscribed queue %s", q)
		}
		if _, err := call(ctx, sqs, "PurgeQueue", session.Params{"QueueUrl": q}); err != nil {
			return nil, err
		}
	}
	return func(ctx context.Context, c Clients, w int, n int64) error {
		_, err := call(ctx, c.Client("sns"), "Publish", session.Params{"TopicArn": topic, "Message": message256})
		return err
	}, nil
}
