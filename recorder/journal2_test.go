package recorder

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recordJournal records three calls without saving and returns the cassette
// path and the journal text.
func recordJournal(t *testing.T, opts ...Option) (string, string) {
	t.Helper()
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "j.yaml")
	rec, err := New(path, append([]Option{WithMode(Record), IgnoreEnv()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	c := signedClient(rec, "sqs")
	for _, q := range []string{"a", "b", "c"} {
		call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"`+q+`"}`)
	}
	data, err := os.ReadFile(JournalPath(path))
	if err != nil {
		t.Fatal(err)
	}
	return path, string(data)
}

func TestJournalEntriesEndWithMarker(t *testing.T) {
	path, data := recordJournal(t, WithSync(SyncEachAppend))
	if got := strings.Count(data, "\n...\n"); got != 3 {
		t.Fatalf("%d end markers in journal, want 3:\n%s", got, data)
	}
	ins, err := ReadJournal(path)
	if err != nil || len(ins) != 3 || ins[2].Params["QueueName"] != "c" {
		t.Fatalf("ReadJournal = %d interactions, %v", len(ins), err)
	}
}

// An entry in the middle of the journal that does not parse is an error at
// its line, never silently dropped; New refuses the cassette with it.
func TestJournalBadEntryNamesFileAndLine(t *testing.T) {
	path, data := recordJournal(t)
	lines := strings.SplitAfter(data, "\n")
	bad := -1
	seen := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "  method: POST") {
			seen++
			if seen == 2 {
				bad = i
			}
		}
	}
	if bad < 0 {
		t.Fatalf("no second request in journal:\n%s", data)
	}
	lines[bad] = "  method: [POST\n"
	if err := os.WriteFile(JournalPath(path), []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadJournal(path)
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("ReadJournal err = %v, want *FormatError", err)
	}
	if fe.File != JournalPath(path) || fe.Line < bad || fe.Line > bad+1 {
		t.Errorf("error at %s:%d, want %s:%d (%v)", fe.File, fe.Line, JournalPath(path), bad+1, err)
	}
	if _, err := New(path, IgnoreEnv()); !errors.As(err, &fe) {
		t.Errorf("New with a broken journal: %v", err)
	}
}

func TestJournalBadFieldNamesLine(t *testing.T) {
	path, data := recordJournal(t)
	i := strings.LastIndex(data, "status: 200")
	line := strings.Count(data[:i], "\n") + 1
	// The last entry is complete (it has its end marker): an error in it
	// is reported too.
	data = data[:i] + "status: 2000" + data[i+len("status: 200"):]
	os.WriteFile(JournalPath(path), []byte(data), 0o644)
	_, err := ReadJournal(path)
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Line != line || !strings.Contains(err.Error(), "bad status") {
		t.Fatalf("err = %v, want bad status at line %d", err, line)
	}
}

// Only the last entry without its end marker, what a crash mid-append
// leaves, is dropped.
func TestJournalTornLastEntryDropped(t *testing.T) {
	path, data := recordJournal(t)
	cut := strings.LastIndex(data, "---\n")
	for _, tc := range []struct {
		torn string
		want int
	}{
		{data[:cut+20], 2},
		{data[:cut] + "---\nid: 9\nrequest: {method: [\n", 2},
		{data[:len(data)-4], 3}, // whole but for its marker: still read
	} {
		os.WriteFile(JournalPath(path), []byte(tc.torn), 0o644)
		ins, err := ReadJournal(path)
		if err != nil || len(ins) != tc.want {
			t.Fatalf("torn journal: %d interactions, %v; want %d", len(ins), err, tc.want)
		}
	}
	// Text after a complete entry that is not an entry is not a torn write.
	os.WriteFile(JournalPath(path), []byte(data+"garbage: [\n"), 0o644)
	if _, err := ReadJournal(path); err == nil {
		t.Fatal("stray text after the last end marker accepted")
	}
}

func TestSyncPolicies(t *testing.T) {
	for _, p := range []SyncPolicy{SyncOnSave, SyncEachAppend, SyncNever} {
		path, _ := recordJournal(t, WithSync(p))
		rec, err := New(path, IgnoreEnv(), WithMode(ReplayOrRecord), WithSync(p))
		if err != nil {
			t.Fatal(err)
		}
		if err := rec.Save(); err != nil {
			t.Fatalf("%v: Save: %v", p, err)
		}
		c, err := LoadCassette(path)
		if err != nil || len(c.Interactions) != 3 {
			t.Fatalf("%v: cassette %v", p, err)
		}
		if p.String() == "" {
			t.Fatal("no name")
		}
	}
}

func FuzzReadJournal(f *testing.F) {
	f.Add([]byte("---\nid: 0\nrequest: {method: GET, url: 'http://h/'}\nresponse: {status: 200, body: x}\n...\n"))
	f.Add([]byte("---\nid: 0\nrequest: {method: GET, url: 'http://h/'}\nerror: boom\n...\n---\nid: 1\nreq"))
	f.Add([]byte("---\n...\n---\n"))
	f.Add([]byte("junk\n---\n"))
	f.Add([]byte("---\nid: 0\nrequest:\n  method: POST\n  url: http://h/\n  body: |-\n    ---\n    ...\n  body_file: ../x\nresponse: {status: 200}\n...\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(JournalPath(path), data, 0o644); err != nil {
			t.Fatal(err)
		}
		ins, err := ReadJournal(path)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) || fe.File != JournalPath(path) || fe.Line <= 0 {
				t.Fatalf("error without journal position: %v", err)
			}
			return
		}
		for _, in := range ins {
			if in.Request.Method == "" || (in.Response == nil && in.Error == "") {
				t.Fatalf("incomplete interaction accepted: %+v", in)
			}
		}
	})
}
