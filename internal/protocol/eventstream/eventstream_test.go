package eventstream_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/protocol/eventstream"
)

// legacyDir is ../shared/aws-data/protocol-tests/legacy/output beside the
// repository, found from this file's location.
func legacyDir(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "shared", "aws-data", "protocol-tests", "legacy", "output")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("needs ../shared/aws-data/protocol-tests/legacy/output beside the repository (%s): %v", dir, err)
	}
	return dir
}

// TestLegacySuiteEventStreams decodes every event-stream response body of
// the legacy rest-xml and rest-json output suites: one message per expected
// event, :event-type naming it, and re-encoding gives the same bytes.
func TestLegacySuiteEventStreams(t *testing.T) {
	dir := legacyDir(t)
	n := 0
	for _, f := range []string{"rest-xml.json", "rest-json.json"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		var suites []struct {
			Description string
			Cases       []struct {
				Result   map[string]any
				Response struct{ Body string }
			}
		}
		if err := json.Unmarshal(data, &suites); err != nil {
			t.Fatal(err)
		}
		for _, s := range suites {
			if !strings.Contains(s.Description, "Event Stream") {
				continue
			}
			for i, c := range s.Cases {
				name := fmt.Sprintf("%s/%s %d", f, s.Description, i)
				raw, err := base64.StdEncoding.DecodeString(c.Response.Body)
				if err != nil {
					t.Errorf("%s: body is not base64: %v", name, err)
					continue
				}
				events, _ := c.Result["Payload"].([]any)
				d := eventstream.NewDecoder(bytes.NewReader(raw))
				var again bytes.Buffer
				enc := eventstream.NewEncoder(&again)
				var got int
				for {
					m, err := d.Decode()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatalf("%s: message %d: %v", name, got, err)
					}
					if got < len(events) {
						ev, _ := events[got].(map[string]any)
						if _, ok := ev[m.String(":event-type")]; !ok || m.String(":message-type") != "event" {
							t.Errorf("%s: message %d is %q/%q, want event %v", name, got, m.String(":message-type"), m.String(":event-type"), ev)
						}
					}
					if err := enc.Encode(m); err != nil {
						t.Fatal(err)
					}
					got++
				}
				if got != len(events) {
					t.Errorf("%s: %d messages, want %d", name, got, len(events))
				}
				if !bytes.Equal(again.Bytes(), raw) {
					t.Errorf("%s: re-encoded bytes differ", name)
				}
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("no event-stream cases found")
	}
	t.Logf("%d legacy event-stream cases decoded and re-encoded", n)
}

func sample() eventstream.Message {
	return eventstream.Message{
		Headers: []eventstream.Header{
			{Name: ":message-type", Value: "event"},
			{Name: ":event-type", Value: "Records"},
			{Name: "t", Value: true}, {Name: "f", Value: false},
			{Name: "b", Value: int8(-3)}, {Name: "s", Value: int16(-300)},
			{Name: "i", Value: int32(70000)}, {Name: "l", Value: int64(-1 << 40)},
			{Name: "bytes", Value: []byte{0, 1, 2}},
			{Name: "ts", Value: time.UnixMilli(1700000000123).UTC()},
			{Name: "id", Value: eventstream.UUID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}},
		},
		Payload: []byte("a,b\n1,2\n"),
	}
}

func TestRoundTripAllHeaderTypes(t *testing.T) {
	m := sample()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := eventstream.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("round trip:\n got %#v\nwant %#v", got, m)
	}
}

func TestEmptyMessageIsSixteenBytes(t *testing.T) {
	b, err := eventstream.Message{}.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 16 {
		t.Fatalf("%d bytes", len(b))
	}
	if _, err := eventstream.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
}

func TestCorruptionIsDetected(t *testing.T) {
	b, _ := sample().MarshalBinary()
	for _, at := range []int{0, 5, 9, 20, len(b) - 10, len(b) - 1} {
		c := append([]byte(nil), b...)
		c[at] ^= 0x40
		if _, err := eventstream.Unmarshal(c); !errors.Is(err, eventstream.ErrMalformed) {
			t.Errorf("flipped byte %d: err %v, want ErrMalformed", at, err)
		}
	}
	// Truncated inside a message is io.ErrUnexpectedEOF for a Decoder.
	if _, err := eventstream.NewDecoder(bytes.NewReader(b[:len(b)-3])).Decode(); err != io.ErrUnexpectedEOF {
		t.Errorf("truncated: %v", err)
	}
}

func TestEncodeRefusesBadHeaders(t *testing.T) {
	for _, h := range []eventstream.Header{
		{Name: "", Value: "x"},
		{Name: strings.Repeat("n", 256), Value: "x"},
		{Name: "x", Value: 1.5},
		{Name: "x", Value: strings.Repeat("v", 70000)},
	} {
		if _, err := (eventstream.Message{Headers: []eventstream.Header{h}}).MarshalBinary(); err == nil {
			t.Errorf("header %.20q: no error", h.Name)
		}
	}
}

func FuzzDecode(f *testing.F) {
	b, _ := sample().MarshalBinary()
	f.Add(b)
	e, _ := eventstream.Message{}.MarshalBinary()
	f.Add(e)
	f.Add(append(append([]byte(nil), b...), e...))
	f.Add([]byte{0, 0, 0, 16, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		d := eventstream.NewDecoder(bytes.NewReader(data))
		for i := 0; i < 64; i++ {
			m, err := d.Decode()
			if err != nil {
				return
			}
			// What decodes re-encodes to a frame that decodes the same.
			again, err := m.MarshalBinary()
			if err != nil {
				t.Fatalf("re-encode: %v", err)
			}
			m2, err := eventstream.Unmarshal(again)
			if err != nil || !reflect.DeepEqual(m, m2) {
				t.Fatalf("re-decode: %v", err)
			}
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	raw, _ := sample().MarshalBinary()
	for b.Loop() {
		if _, err := eventstream.Unmarshal(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func Example() {
	var buf bytes.Buffer
	enc := eventstream.NewEncoder(&buf)
	_ = enc.Encode(eventstream.Message{
		Headers: []eventstream.Header{{Name: ":message-type", Value: "event"}, {Name: ":event-type", Value: "Records"}},
		Payload: []byte("1,2\n"),
	})
	_ = enc.Encode(eventstream.Message{Headers: []eventstream.Header{{Name: ":message-type", Value: "event"}, {Name: ":event-type", Value: "End"}}})
	d := eventstream.NewDecoder(&buf)
	for {
		m, err := d.Decode()
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Printf("%s %q\n", m.String(":event-type"), m.Payload)
	}
	// Output:
	// Records "1,2\n"
	// End ""
	// EOF
}
