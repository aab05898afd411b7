package recorder

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A recording whose test dies before Save (panic, os.Exit, kill) keeps every
// interaction in the journal; the next recorder replays them and its Save
// folds them into the cassette.
func TestRecordingThatNeverSavedReplaysFromJournal(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "crash.yaml")
	rec, err := New(path, WithMode(Record), IgnoreEnv(), WithSideFiles(64))
	if err != nil {
		t.Fatal(err)
	}
	c := signedClient(rec, "sqs")
	call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`)
	big := strings.Repeat("x", 100)
	call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"q","MessageBody":"`+big+`"}`)
	// No Save: the process "dies" here. A third interaction was being
	// written when it did.
	f, err := os.OpenFile(JournalPath(path), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("no journal after recording: %v", err)
	}
	fmt.Fprint(f, "---\nid: 2\nservice: sqs\nrequest:\n  method: POST\n  url: 'http://x/\n")
	f.Close()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("cassette written before Save: %v", err)
	}
	if data, _ := os.ReadFile(JournalPath(path)); strings.Contains(string(data), testSecret) || strings.Contains(string(data), testAKID) {
		t.Fatal("journal holds the recording credentials")
	}

	play, err := New(path, IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	pc := signedClient(play, "sqs")
	if s, _, _ := call(t, pc, "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), `{"MessageBody":"`+big+`","QueueUrl":"q"}`); s != 200 {
		t.Fatalf("SendMessage from journal: %d", s)
	}
	if s, b, _ := call(t, pc, "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`); s != 200 || !strings.Contains(string(b), "QueueUrl") {
		t.Fatalf("GetQueueUrl from journal: %d %s", s, b)
	}
	if err := play.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(JournalPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("journal left after Save: %v", err)
	}
	cas, err := LoadCassette(path)
	if err != nil || len(cas.Interactions) != 2 {
		t.Fatalf("folded cassette: %v, %v", cas, err)
	}
}

func TestSaveRemovesJournalAndRecoverFoldsIt(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "r.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv())
	call(t, signedClient(rec, "sqs"), "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(JournalPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("journal after Save: %v", err)
	}
	// An appended episode that was never saved.
	more, _ := New(path, WithMode(ReplayOrRecord), IgnoreEnv())
	call(t, signedClient(more, "sqs"), "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"q","MessageBody":"b"}`)
	n, err := Recover(path)
	if err != nil || n != 1 {
		t.Fatalf("Recover = %d, %v", n, err)
	}
	cas, err := LoadCassette(path)
	if err != nil || len(cas.Interactions) != 2 || cas.Interactions[1].Operation != "SendMessage" || cas.Interactions[1].ID != 1 {
		t.Fatalf("after Recover: %+v %v", cas, err)
	}
}

// A cassette cut short or edited into something invalid is refused with the
// file and line, never read as fewer interactions.
func TestBrokenCassetteErrorNamesFileAndLine(t *testing.T) {
	path, _ := recordTwoOps(t)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(good), "\n")
	lineOf := func(sub string) int {
		for i, l := range lines {
			if strings.Contains(l, sub) {
				return i + 1
			}
		}
		t.Fatalf("no %q in cassette", sub)
		return 0
	}
	secondID := lineOf("- id: 1")
	cases := []struct {
		name string
		data string
		line int // 0: any line > 0
		want string
	}{
		{"cut at an interaction boundary", strings.Join(lines[:secondID-1], ""), 0, "truncated"},
		{"cut mid-file", string(good[:len(good)*2/3]), 0, ""},
		{"count edited", strings.Replace(string(good), "count: 2", "count: 3", 1), lineOf("count: 2"), "count: 3"},
		{"bad status", strings.Replace(string(good), "status: 200", "status: 2000", 1), lineOf("status: 200"), "bad status"},
		{"misspelled key", strings.Replace(string(good), "response:", "respone:", 1), lineOf("response:"), `unknown interaction field "respone"`},
		{"bad base64", strings.Replace(string(good), "body_encoding: json", "body_encoding: base64", 1), 0, "base64"},
		{"tab indentation", strings.Replace(string(good), "  - id: 1", "\t- id: 1", 1), 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "broken.yaml")
			if err := os.WriteFile(p, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadCassette(p)
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FormatError", err)
			}
			if fe.File != p || fe.Line <= 0 || (tc.line > 0 && fe.Line != tc.line) {
				t.Errorf("position %s:%d, want %s:%d (%v)", fe.File, fe.Line, p, tc.line, err)
			}
			if !strings.Contains(err.Error(), p+":") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("message %q lacks the file or %q", err, tc.want)
			}
		})
	}
}

// BenchmarkPersist compares the two crash-safe ways of keeping each new
// interaction: appending to the journal against rewriting the whole cassette
// (temp + rename), with 200 interactions already recorded.
func BenchmarkPersist(b *testing.B) {
	mk := func(i int) *Interaction {
		return &Interaction{ID: i, Service: "dynamodb", Operation: "PutItem",
			Request:  Request{Method: "POST", URL: "https://dynamodb.us-east-1.amazonaws.com/", Body: []byte(fmt.Sprintf(`{"TableName":"t","Item":{"id":{"S":"%d"}}}`, i))},
			Response: &Response{Status: 200, Body: []byte(`{}`)}}
	}
	setup := func(b *testing.B) *Recorder {
		path := filepath.Join(b.TempDir(), "p.yaml")
		r, err := New(path, WithMode(Record), IgnoreEnv())
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < 200; i++ {
			r.cassette.Interactions = append(r.cassette.Interactions, mk(i))
		}
		return r
	}
	b.Run("journal-append", func(b *testing.B) {
		r := setup(b)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			r.journalLocked(mk(i))
		}
		r.closeJournalLocked(true)
	})
	b.Run("rewrite-temp-rename", func(b *testing.B) {
		r := setup(b)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			data, side, err := marshalCassette(r.cassette, r.storeOptions())
			if err != nil {
				b.Fatal(err)
			}
			if err := writeCassette(r.path, data, side, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}
