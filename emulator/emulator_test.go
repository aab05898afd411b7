package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

func incr(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name, _ := req.Input["Name"].(string)
	if name == "" {
		return nil, emulator.Errorf("ValidationException", 400, "Name is required")
	}
	by, _ := req.Input["By"].(int64)
	if by == 0 {
		by = 1
	}
	var v int64
	err := req.Store.Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists("counters")
		if err != nil {
			return err
		}
		if _, err := b.GetJSON(name, &v); err != nil {
			return err
		}
		v += by
		return b.PutJSON(name, v)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Name": name, "Value": v, "Id": req.IDs.Hex(16),
		"At": req.Clock.Now().Format(time.RFC3339Nano)}, nil
}

func getCounter(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name, _ := req.Input["Name"].(string)
	var v int64
	var ok bool
	err := req.Store.View(func(tx *store.Tx) error {
		b := tx.Bucket("counters")
		if b == nil {
			return nil
		}
		var err error
		ok, err = b.GetJSON(name, &v)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, emulator.Errorf("NoSuchCounter", 404, "counter %s does not exist", name)
	}
	return map[string]any{"Name": name, "Value": v}, nil
}

var epoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

func newEmu(t testing.TB, o emulator.Options) *emulator.Emulator {
	t.Helper()
	o.ServiceDefs = append(o.ServiceDefs, counterDef())
	if o.Services == nil {
		o.Services = []string{} // only the test service, whatever else is registered
	}
	o.Codecs = testCodecs
	if o.Clock == nil {
		o.Clock = emulator.SteppingClock(epoch, time.Second)
	}
	emu, err := emulator.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Close() })
	return emu
}

// call sends op as the SDK would: json 1.0, signed with a credential scope.
func call(t testing.TB, c *http.Client, endpoint, accessKey, region, op, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, endpoint+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "Counter_20240101."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+accessKey+"/20240102/"+region+
		"/counter/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func inproc(emu *emulator.Emulator) *http.Client {
	return &http.Client{Transport: emu.Transport()}
}

const endpoint = "http://localhost:4566"

func TestOperationRoundTripInProcess(t *testing.T) {
	emu := newEmu(t, emulator.Options{})
	c := inproc(emu)
	resp, body := call(t, c, endpoint, "AKIDEXAMPLE", "eu-west-1", "Incr", `{"Name":"a","By":5}`)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var out map[string]any
	_ = json.Unmarshal(body, &out)
	if out["Value"] != float64(5) {
		t.Errorf("out %v", out)
	}
	if resp.Header.Get("X-Amzn-Requestid") == "" {
		t.Error("no request id header")
	}
	// State lands in the namespace of the default account and the scope's region.
	var v int64
	_ = emu.Store("000000000000", "eu-west-1", "counter").View(func(tx *store.Tx) error {
		_, err := tx.Bucket("counters").GetJSON("a", &v)
		return err
	})
	if v != 5 {
		t.Errorf("stored %d", v)
	}
}

func TestTwelveDigitAccessKeyIsTheAccount(t *testing.T) {
	emu := newEmu(t, emulator.Options{})
	c := inproc(emu)
	call(t, c, endpoint, "123456789012", "us-east-1", "Incr", `{"Name":"a"}`)
	resp, _ := call(t, c, endpoint, "AKIDEXAMPLE", "us-east-1", "Get", `{"Name":"a"}`)
	if resp.StatusCode != 404 {
		t.Errorf("default account sees account 123456789012's counter: %d", resp.StatusCode)
	}
	resp, _ = call(t, c, endpoint, "123456789012", "us-east-1", "Get", `{"Name":"a"}`)
	if resp.StatusCode != 200 {
		t.Errorf("owner account: %d", resp.StatusCode)
	}
	j := emu.Journal()
	if got := j[0].Account; got != "123456789012" {
		t.Errorf("journal account %q", got)
	}
}

func TestModeledErrorIsEncodedByTheCodec(t *testing.T) {
	emu := newEmu(t, emulator.Options{})
	resp, body := call(t, inproc(emu), endpoint, "AKID", "us-east-1", "Get", `{"Name":"missing"}`)
	if resp.StatusCode != 404 || !bytes.Contains(body, []byte(`"__type":"NoSuchCounter"`)) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

func TestUnimplementedOperationIsNotImplemented501(t *testing.T) {
	emu := newEmu(t, emulator.Options{})
	resp, body := call(t, inproc(emu), endpoint, "AKID", "us-east-1", "Boom", `{}`)
	if resp.StatusCode != 501 || !bytes.Contains(body, []byte("fakecloud does not implement Counter.Boom yet")) ||
		!bytes.Contains(body, []byte(`"NotImplemented"`)) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

func TestHandlerPanicIs500NotACrash(t *testing.T) {
	emu := newEmu(t, emulator.Options{})
	resp, body := call(t, inproc(emu), endpoint, "AKID", "us-east-1", "Panic", `{}`)
	if resp.StatusCode != 500 || !bytes.Contains(body, []byte("InternalFailure")) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

func TestUnknownTargetIsUnknownOperationException(t *testing.T) {
	emu := newEmu(t, emulator.Options{})
	resp, body := call(t, inproc(emu), endpoint, "AKID", "us-east-1", "Nope", `{}`)
	if resp.StatusCode != 400 || !bytes.Contains(body, []byte("UnknownOperationException")) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

func TestRequestNoServiceClaims(t *testing.T) {
	emu := newEmu(t, emulator.Options{})
	c := inproc(emu)
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
		want   string
	}{
		{"signed for an unserved service", func() *http.Request {
			r, _ := http.NewRequest("POST", endpoint+"/", strings.NewReader(`{}`))
			r.Header.Set("Content-Type", "application/x-amz-json-1.1")
			r.Header.Set("X-Amz-Target", "Kinesis_20131202.ListStreams")
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0")
			return r
		}, 501, `"__type":"NotImplemented"`},
		{"anonymous query action", func() *http.Request {
			r, _ := http.NewRequest("POST", endpoint+"/", strings.NewReader("Action=ListQueues&Version=2012-11-05"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 400, "<Code>InvalidAction</Code>"},
		{"garbage GET", func() *http.Request {
			r, _ := http.NewRequest("GET", endpoint+"/%00/../x?y=%zz", nil)
			return r
		}, 400, "UnknownOperationException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.Do(tc.req())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || !bytes.Contains(body, []byte(tc.want)) {
				t.Errorf("%d %s", resp.StatusCode, body)
			}
		})
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	run := func() []byte {
		emu := newEmu(t, emulator.Options{Seed: 42})
		c := inproc(emu)
		var all []byte
		for i := range 3 {
			resp, body := call(t, c, endpoint, "AKID", "us-east-1", "Incr", `{"Name":"x"}`)
			all = append(all, resp.Header.Get("X-Amzn-Requestid")...)
			all = append(all, resp.Header.Get("Date")...)
			all = append(all, body...)
			_ = i
		}
		return all
	}
	a, b := run(), run()
	if !bytes.Equal(a, b) {
		t.Errorf("same seed, different bytes:\n%s\n%s", a, b)
	}
	emu := newEmu(t, emulator.Options{Seed: 43})
	_, other := call(t, inproc(emu), endpoint, "AKID", "us-east-1", "Incr", `{"Name":"x"}`)
	if bytes.Contains(a, other) {
		t.Error("different seed gave the same response")
	}
}

func TestCrossServiceCall(t *testing.T) {
	emu := newEmu(t, emulator.Options{})
	out, err := emu.Call(context.Background(), "111111111111", "us-east-1", "counter", "Incr", map[string]any{"Name": "n", "By": int64(2)})
	if err != nil || out["Value"] != int64(2) {
		t.Fatalf("%v %v", out, err)
	}
	_, err = emu.Call(context.Background(), "111111111111", "us-east-1", "counter", "Boom", nil)
	var apiErr interface{ Error() string }
	if !errors.As(err, &apiErr) || !strings.Contains(err.Error(), "NotImplemented") {
		t.Errorf("Boom: %v", err)
	}
}

func TestRegisterRejectsDuplicates(t *testing.T) {
	emulator.Register(emulator.ServiceDef{Name: "dup-test"})
	defer func() {
		if recover() == nil {
			t.Error("second Register did not panic")
		}
	}()
	emulator.Register(emulator.ServiceDef{Name: "dup-test"})
}

func TestUnknownServiceInOptionsIsAnError(t *testing.T) {
	if _, err := emulator.New(emulator.Options{Services: []string{"no-such-service"}}); err == nil {
		t.Error("New accepted an unregistered service")
	}
}
