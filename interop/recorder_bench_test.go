package interop

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/recorder"
	"go.yaml.in/yaml/v3"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	vcr "gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
)

const benchN = 1000

// benchRequest is the ith of the 1,000 DynamoDB PutItem calls both
// cassettes hold.
func benchRequest(i int) (*http.Request, string) {
	body := fmt.Sprintf(`{"TableName":"orders","Item":{"id":{"S":"%d"},"n":{"N":"%d"}}}`, i, i*7)
	req, _ := http.NewRequest("POST", "https://dynamodb.us-east-1.amazonaws.com/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.PutItem")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	return req, body
}

func writeBenchCassettes(b *testing.B) (ours, theirs string) {
	dir := b.TempDir()
	ours = filepath.Join(dir, "ours.yaml")
	theirs = filepath.Join(dir, "vcr")
	c := &recorder.Cassette{Version: recorder.CassetteVersion}
	vc := cassette.New(theirs)
	vc.MarshalFunc = yaml.Marshal // what go-vcr's recorder sets before saving
	for i := 0; i < benchN; i++ {
		req, body := benchRequest(i)
		resp := fmt.Sprintf(`{"ConsumedCapacity":{"TableName":"orders","CapacityUnits":%d}}`, i%3+1)
		c.Interactions = append(c.Interactions, &recorder.Interaction{ID: i,
			Request:  recorder.Request{Method: req.Method, URL: req.URL.String(), Headers: req.Header.Clone(), Body: []byte(body)},
			Response: &recorder.Response{Status: 200, Headers: http.Header{"Content-Type": {"application/x-amz-json-1.0"}}, Body: []byte(resp)}})
		vc.AddInteraction(&cassette.Interaction{
			Request: cassette.Request{Method: req.Method, URL: req.URL.String(), Headers: req.Header.Clone(), Body: body,
				Host: req.URL.Host, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, ContentLength: int64(len(body))},
			Response: cassette.Response{Code: 200, Status: "200 OK", Headers: http.Header{"Content-Type": {"application/x-amz-json-1.0"}}, Body: resp,
				Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, ContentLength: int64(len(resp))},
		})
	}
	if err := recorder.WriteCassette(ours, c); err != nil {
		b.Fatal(err)
	}
	if err := vc.Save(); err != nil {
		b.Fatal(err)
	}
	return ours, theirs
}

// BenchmarkRecorderReplay is the replay overhead per call of fakecloud's
// recorder (matching by decoded DynamoDB parameters) against go-vcr v4
// (matching by method, URL, headers and body), on the same 1,000-interaction
// cassette, every call a different recorded interaction.
func BenchmarkRecorderReplay(b *testing.B) {
	ours, theirs := writeBenchCassettes(b)
	run := func(b *testing.B, rt http.RoundTripper) {
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			req, _ := benchRequest(i % benchN)
			resp, err := rt.RoundTrip(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	b.Run("fakecloud", func(b *testing.B) {
		rec, err := recorder.New(ours, recorder.IgnoreEnv(), recorder.AllowRepeats(), recorder.WithoutJournal())
		if err != nil {
			b.Fatal(err)
		}
		run(b, rec)
	})
	b.Run("go-vcr-v4", func(b *testing.B) {
		rec, err := vcr.New(theirs, vcr.WithMode(vcr.ModeReplayOnly), vcr.WithReplayableInteractions(true), vcr.WithSkipRequestLatency(true))
		if err != nil {
			b.Fatal(err)
		}
		defer rec.Stop()
		run(b, rec)
	})
}
