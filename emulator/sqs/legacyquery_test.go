package sqs_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
)

// These tests post the exact form bodies boto3 1.26.27 / botocore 1.29.27
// (Debian) sends for SQS, which speaks the query protocol with the legacy
// SQS model, captured from its before-send event. The replies must use that
// model's flattened lists and maps, or those clients see no messages,
// attributes or tags. The emulator's default codec lookup is used, as
// `fakecloud serve` does.

// legacy is an emulator served with the default codecs.
type legacy struct {
	t   *testing.T
	url string
	hc  *http.Client
}

func newLegacy(t *testing.T) *legacy {
	t.Helper()
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 1, Services: []string{"sqs"},
		Clock: wiretest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))})
	return &legacy{t: t, url: ts.URL, hc: &http.Client{Timeout: 30 * time.Second}}
}

// xmlDoc is a response flattened to slash-separated element paths with
// their text, in document order.
type xmlDoc struct {
	status int
	raw    string
	paths  []string
	texts  []string
	ns     string
}

func (d *xmlDoc) values(path string) []string {
	var out []string
	for i, p := range d.paths {
		if p == path {
			out = append(out, d.texts[i])
		}
	}
	return out
}

func (d *xmlDoc) has(prefix string) bool {
	for _, p := range d.paths {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}

// post sends body (with QUEUE replaced by the escaped queue URL and each
// old=new pair of repl applied) as boto3 does.
func (l *legacy) post(body string, repl ...string) *xmlDoc {
	l.t.Helper()
	body = strings.NewReplacer(repl...).Replace(body)
	req, err := http.NewRequest("POST", l.url+"/", strings.NewReader(body))
	if err != nil {
		l.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("User-Agent", "Boto3/1.26.27 Python/3.11 Linux botocore/1.29.27")
	resp, err := l.hc.Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		l.t.Fatal(err)
	}
	d := &xmlDoc{status: resp.StatusCode, raw: string(raw)}
	dec := xml.NewDecoder(strings.NewReader(d.raw))
	var stack []string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			l.t.Fatalf("response is not XML: %v\n%s", err, raw)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				d.ns = tk.Name.Space
			}
			stack = append(stack, tk.Name.Local)
			text.Reset()
		case xml.CharData:
			text.Write(tk)
		case xml.EndElement:
			d.paths = append(d.paths, strings.Join(stack, "/"))
			d.texts = append(d.texts, strings.TrimSpace(text.String()))
			text.Reset()
			stack = stack[:len(stack)-1]
		}
	}
	return d
}

func (l *legacy) ok(d *xmlDoc) {
	l.t.Helper()
	if d.status != 200 {
		l.t.Fatalf("status %d:\n%s", d.status, d.raw)
	}
	if d.ns != "http://queue.amazonaws.com/doc/2012-11-05/" {
		l.t.Errorf("xmlns = %q, want SQS's http://queue.amazonaws.com/doc/2012-11-05/", d.ns)
	}
}

func wantValues(t *testing.T, d *xmlDoc, path string, want ...string) {
	t.Helper()
	got := d.values(path)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s = %q, want %q\n%s", path, got, want, d.raw)
	}
}

func (l *legacy) createQueue() string {
	l.t.Helper()
	d := l.post("Action=CreateQueue&Version=2012-11-05&QueueName=q1&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=30&Tag.1.Key=team&Tag.1.Value=a")
	l.ok(d)
	q := d.values("CreateQueueResponse/CreateQueueResult/QueueUrl")
	if len(q) != 1 || !strings.HasSuffix(q[0], "/q1") {
		l.t.Fatalf("QueueUrl = %q\n%s", q, d.raw)
	}
	return url.QueryEscape(q[0])
}

func TestQueryClientBatchSendReceiveUseFlattenedLegacyShapes(t *testing.T) {
	l := newLegacy(t)
	q := l.createQueue()

	d := l.post("Action=SendMessageBatch&Version=2012-11-05&QueueUrl=QUEUE&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=hello&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=color&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=red&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=world&SendMessageBatchRequestEntry.2.DelaySeconds=0", "QUEUE", q)
	l.ok(d)
	const smb = "SendMessageBatchResponse/SendMessageBatchResult/SendMessageBatchResultEntry/"
	wantValues(t, d, smb+"Id", "a", "b")
	wantValues(t, d, smb+"MD5OfMessageBody", "5d41402abc4b2a76b9719d911017c592", "7d793037a0760186574b0282f2f435e7")
	wantValues(t, d, smb+"MD5OfMessageAttributes", "20ca9041878c8c65d5a4bf6eaf446c21")
	if d.has("SendMessageBatchResponse/SendMessageBatchResult/Successful") {
		t.Errorf("JSON-era <Successful> element in a query reply:\n%s", d.raw)
	}

	d = l.post("Action=ReceiveMessage&Version=2012-11-05&QueueUrl=QUEUE&MaxNumberOfMessages=10&AttributeName.1=All&MessageAttributeName.1=All&WaitTimeSeconds=0", "QUEUE", q)
	l.ok(d)
	const msg = "ReceiveMessageResponse/ReceiveMessageResult/Message/"
	wantValues(t, d, msg+"Body", "hello", "world")
	wantValues(t, d, msg+"MessageAttribute/Name", "color")
	wantValues(t, d, msg+"MessageAttribute/Value/StringValue", "red")
	wantValues(t, d, msg+"MessageAttribute/Value/DataType", "String")
	names := d.values(msg + "Attribute/Name")
	if !strings.Contains(strings.Join(names, ","), "SenderId") || !strings.Contains(strings.Join(names, ","), "ApproximateReceiveCount") {
		t.Errorf("message Attribute names = %q, want SenderId and ApproximateReceiveCount\n%s", names, d.raw)
	}
	if d.has("ReceiveMessageResponse/ReceiveMessageResult/Messages") {
		t.Errorf("JSON-era <Messages> element in a query reply:\n%s", d.raw)
	}
	handles := d.values(msg + "ReceiptHandle")
	if len(handles) != 2 {
		t.Fatalf("ReceiptHandle = %q", handles)
	}
	h0, h1 := url.QueryEscape(handles[0]), url.QueryEscape(handles[1])

	d = l.post("Action=ChangeMessageVisibilityBatch&Version=2012-11-05&QueueUrl=QUEUE&ChangeMessageVisibilityBatchRequestEntry.1.Id=x0&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=H0&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=5&ChangeMessageVisibilityBatchRequestEntry.2.Id=x1&ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle=H1&ChangeMessageVisibilityBatchRequestEntry.2.VisibilityTimeout=5",
		"QUEUE", q, "H0", h0, "H1", h1)
	l.ok(d)
	wantValues(t, d, "ChangeMessageVisibilityBatchResponse/ChangeMessageVisibilityBatchResult/ChangeMessageVisibilityBatchResultEntry/Id", "x0", "x1")

	d = l.post("Action=DeleteMessageBatch&Version=2012-11-05&QueueUrl=QUEUE&DeleteMessageBatchRequestEntry.1.Id=d0&DeleteMessageBatchRequestEntry.1.ReceiptHandle=H0&DeleteMessageBatchRequestEntry.2.Id=d1&DeleteMessageBatchRequestEntry.2.ReceiptHandle=H1",
		"QUEUE", q, "H0", h0, "H1", h1)
	l.ok(d)
	wantValues(t, d, "DeleteMessageBatchResponse/DeleteMessageBatchResult/DeleteMessageBatchResultEntry/Id", "d0", "d1")

	// A bad receipt handle is a flattened BatchResultErrorEntry.
	d = l.post("Action=DeleteMessageBatch&Version=2012-11-05&QueueUrl=QUEUE&DeleteMessageBatchRequestEntry.1.Id=bad&DeleteMessageBatchRequestEntry.1.ReceiptHandle=nonsense", "QUEUE", q)
	l.ok(d)
	wantValues(t, d, "DeleteMessageBatchResponse/DeleteMessageBatchResult/BatchResultErrorEntry/Id", "bad")
	wantValues(t, d, "DeleteMessageBatchResponse/DeleteMessageBatchResult/BatchResultErrorEntry/Code", "ReceiptHandleIsInvalid")

	d = l.post("Action=ReceiveMessage&Version=2012-11-05&QueueUrl=QUEUE&MaxNumberOfMessages=10&WaitTimeSeconds=0", "QUEUE", q)
	l.ok(d)
	if d.has("ReceiveMessageResponse/ReceiveMessageResult/Message") {
		t.Errorf("deleted messages received again:\n%s", d.raw)
	}
}

func TestQueryClientQueueAttributesAndTagsUseFlattenedMaps(t *testing.T) {
	l := newLegacy(t)
	q := l.createQueue()

	d := l.post("Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=QUEUE&AttributeName.1=VisibilityTimeout&AttributeName.2=QueueArn", "QUEUE", q)
	l.ok(d)
	const attr = "GetQueueAttributesResponse/GetQueueAttributesResult/Attribute/"
	wantValues(t, d, attr+"Name", "QueueArn", "VisibilityTimeout")
	wantValues(t, d, attr+"Value", "arn:aws:sqs:us-east-1:000000000000:q1", "30")
	if d.has("GetQueueAttributesResponse/GetQueueAttributesResult/Attributes") {
		t.Errorf("JSON-era <Attributes> element in a query reply:\n%s", d.raw)
	}

	l.ok(l.post("Action=SetQueueAttributes&Version=2012-11-05&QueueUrl=QUEUE&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=45&Attribute.2.Name=DelaySeconds&Attribute.2.Value=1", "QUEUE", q))
	d = l.post("Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=QUEUE&AttributeName.1=DelaySeconds&AttributeName.2=VisibilityTimeout", "QUEUE", q)
	l.ok(d)
	wantValues(t, d, attr+"Name", "DelaySeconds", "VisibilityTimeout")
	wantValues(t, d, attr+"Value", "1", "45")

	l.ok(l.post("Action=TagQueue&Version=2012-11-05&QueueUrl=QUEUE&Tag.1.Key=env&Tag.1.Value=test&Tag.2.Key=k2&Tag.2.Value=v2", "QUEUE", q))
	d = l.post("Action=ListQueueTags&Version=2012-11-05&QueueUrl=QUEUE", "QUEUE", q)
	l.ok(d)
	wantValues(t, d, "ListQueueTagsResponse/ListQueueTagsResult/Tag/Key", "env", "k2", "team")
	wantValues(t, d, "ListQueueTagsResponse/ListQueueTagsResult/Tag/Value", "test", "v2", "a")

	l.ok(l.post("Action=UntagQueue&Version=2012-11-05&QueueUrl=QUEUE&TagKey.1=k2&TagKey.2=team", "QUEUE", q))
	d = l.post("Action=ListQueueTags&Version=2012-11-05&QueueUrl=QUEUE", "QUEUE", q)
	wantValues(t, d, "ListQueueTagsResponse/ListQueueTagsResult/Tag/Key", "env")

	d = l.post("Action=ListQueues&Version=2012-11-05&QueueNamePrefix=q")
	l.ok(d)
	u, _ := url.QueryUnescape(q)
	wantValues(t, d, "ListQueuesResponse/ListQueuesResult/QueueUrl", u)
}

func TestQueryClientErrorsKeepLegacyCodes(t *testing.T) {
	l := newLegacy(t)
	q := l.createQueue()
	for _, c := range []struct {
		name, body string
		status     int
		code       string
	}{
		{"no entries", "Action=SendMessageBatch&Version=2012-11-05&QueueUrl=QUEUE", 400, "AWS.SimpleQueueService.EmptyBatchRequest"},
		{"duplicate ids", "Action=DeleteMessageBatch&Version=2012-11-05&QueueUrl=QUEUE&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=x&DeleteMessageBatchRequestEntry.2.Id=a&DeleteMessageBatchRequestEntry.2.ReceiptHandle=y", 400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"},
		{"missing queue", "Action=GetQueueUrl&Version=2012-11-05&QueueName=nope", 400, "AWS.SimpleQueueService.NonExistentQueue"},
		{"unknown action", "Action=Nope&Version=2012-11-05", 400, "InvalidAction"},
		{"bad attribute", "Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=QUEUE&AttributeName.1=Nope", 400, "InvalidAttributeName"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := l.post(c.body, "QUEUE", q)
			if d.status != c.status {
				t.Errorf("status = %d, want %d\n%s", d.status, c.status, d.raw)
			}
			wantValues(t, d, "ErrorResponse/Error/Code", c.code)
			wantValues(t, d, "ErrorResponse/Error/Type", "Sender")
			if d.ns != "http://queue.amazonaws.com/doc/2012-11-05/" {
				t.Errorf("xmlns = %q", d.ns)
			}
		})
	}
}

// FuzzLegacyQueryForm: any form body a query client sends, decoded with the
// legacy SQS model, answers XML with a status, never a panic or a 500.
func FuzzLegacyQueryForm(f *testing.F) {
	for _, s := range []string{
		"Action=CreateQueue&Version=2012-11-05&QueueName=q1&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=30&Tag.1.Key=team&Tag.1.Value=a",
		"Action=SendMessageBatch&Version=2012-11-05&QueueUrl=http%3A%2F%2Fx%2F000000000000%2Fq1&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=hello&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=color&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=red",
		"Action=ReceiveMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Fx%2F000000000000%2Fq1&AttributeName.1=All&MessageAttributeName.1=All",
		"Action=SetQueueAttributes&Version=2012-11-05&QueueUrl=http%3A%2F%2Fx%2F000000000000%2Fq1&Attribute.1.Name=VisibilityTimeout&Attribute.99999999999.Value=4",
		"Action=TagQueue&Version=2012-11-05&QueueUrl=q&Tag.1.Key=&Tag.0.Value=v&Tag.-1.Key=x",
		"Action=DeleteMessageBatch&Version=2012-11-05&DeleteMessageBatchRequestEntry.1.Id.x=1&DeleteMessageBatchRequestEntry..=",
		"Action=ListQueues&Version=2012-11-05&MaxResults=abc",
		"Action=Nope&Version=2012-11-05",
		"%zz&&==",
	} {
		f.Add(s)
	}
	emu, err := emulator.New(emulator.Options{Seed: 1, Services: []string{"sqs"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = emu.Close() })
	hc := &http.Client{Transport: emu.Transport(), Timeout: 10 * time.Second}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := http.NewRequest("POST", "http://sqs.us-east-1.amazonaws.com/", strings.NewReader(body))
		if err != nil {
			t.Skip()
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("transport: %v", err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("status %d for %q:\n%s", resp.StatusCode, body, raw)
		}
		if !strings.HasPrefix(strings.TrimSpace(string(raw)), "<?xml") && !strings.HasPrefix(strings.TrimSpace(string(raw)), "<") {
			t.Fatalf("non-XML reply for %q:\n%s", body, raw)
		}
	})
}
