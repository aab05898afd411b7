package recorder_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/recorder"
)

// recordWorkload records workload against a fresh emulator (seed 42) and
// returns the cassette path.
func recordWorkload(t *testing.T) string {
	t.Helper()
	t.Setenv(recorder.EnvVar, "")
	srv := emulator.NewTestServer(t, emulator.Options{Seed: 42})
	path := filepath.Join(t.TempDir(), "verify.yaml")
	rec, err := recorder.New(path, recorder.WithMode(recorder.Record))
	if err != nil {
		t.Fatal(err)
	}
	workload(t, srv.URL, rec)
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	return path
}

// volatile are the response members that differ between two emulators
// given the same seed: times the emulator stamps from its real clock, and
// STS's UserId, derived from the access key id the cassette holds only as
// a placeholder.
var volatile = recorder.IgnoreResponseFields("CreationDateTime", "LastModified", "LastUpdateToPayPerRequestDateTime", "UserId")

// verifyAgainstFresh runs Verify against a new emulator with the recording's
// seed, in process (its Transport).
func verifyAgainstFresh(t *testing.T, path string, opts ...recorder.VerifyOption) []recorder.Difference {
	t.Helper()
	emu := emulator.NewTestServer(t, emulator.Options{Seed: 42})
	base := []recorder.VerifyOption{volatile, recorder.VerifyEnvironment(emu.URL, "us-east-1")}
	diffs, err := recorder.Verify(t.Context(), path, emu.Emulator.Transport(), append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return diffs
}

// mutate rewrites the cassette at path with edit applied to interaction i.
func mutate(t *testing.T, path string, op string, edit func(*recorder.Interaction)) int {
	t.Helper()
	c, err := recorder.LoadCassette(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range c.Interactions {
		if in.Operation == op {
			edit(in)
			if err := recorder.WriteCassette(path, c); err != nil {
				t.Fatal(err)
			}
			return in.ID
		}
	}
	t.Fatalf("no %s in cassette", op)
	return -1
}

// Verify against the real emulator: an untouched recording agrees with a
// fresh emulator; one mutated response (body or header) is exactly the one
// difference reported.
func TestVerifyAgainstEmulator(t *testing.T) {
	path := recordWorkload(t)
	if diffs := verifyAgainstFresh(t, path); len(diffs) != 0 {
		t.Fatalf("untouched recording differs from a fresh emulator:\n%v", diffs)
	}

	t.Run("body", func(t *testing.T) {
		path := recordWorkload(t)
		id := mutate(t, path, "SendMessage", func(in *recorder.Interaction) {
			in.Response.Body = []byte(strings.Replace(string(in.Response.Body), `"MD5OfMessageBody":"`, `"MD5OfMessageBody":"0`, 1))
		})
		diffs := verifyAgainstFresh(t, path)
		if len(diffs) != 1 || diffs[0].ID != id || diffs[0].Operation != "SendMessage" || !strings.Contains(diffs[0].Diff, "MD5OfMessageBody") {
			t.Fatalf("want one MD5OfMessageBody diff on #%d, got:\n%v", id, diffs)
		}
	})

	t.Run("etag", func(t *testing.T) {
		path := recordWorkload(t)
		id := mutate(t, path, "PutObject", func(in *recorder.Interaction) {
			in.Response.Headers.Set("ETag", `"00000000000000000000000000000000"`)
		})
		diffs := verifyAgainstFresh(t, path)
		if len(diffs) != 1 || diffs[0].ID != id || !strings.Contains(diffs[0].Diff, "Etag") {
			t.Fatalf("want one ETag diff on #%d, got:\n%v", id, diffs)
		}
		if diffs := verifyAgainstFresh(t, path, recorder.IgnoreResponseHeaders("ETag")); len(diffs) != 0 {
			t.Errorf("ignored ETag still differs: %v", diffs)
		}
	})

	t.Run("x-amz header", func(t *testing.T) {
		path := recordWorkload(t)
		id := mutate(t, path, "GetObject", func(in *recorder.Interaction) {
			in.Response.Headers.Set("X-Amz-Server-Side-Encryption", "aws:kms")
		})
		diffs := verifyAgainstFresh(t, path)
		if len(diffs) != 1 || diffs[0].ID != id || !strings.Contains(diffs[0].Diff, "X-Amz-Server-Side-Encryption") {
			t.Fatalf("want one x-amz header diff on #%d, got:\n%v", id, diffs)
		}
	})

	t.Run("content-type", func(t *testing.T) {
		path := recordWorkload(t)
		id := mutate(t, path, "GetCallerIdentity", func(in *recorder.Interaction) {
			in.Response.Headers.Set("Content-Type", "application/json")
		})
		diffs := verifyAgainstFresh(t, path)
		if len(diffs) != 1 || diffs[0].ID != id || !strings.Contains(diffs[0].Diff, "Content-Type") {
			t.Fatalf("want one Content-Type diff on #%d, got:\n%v", id, diffs)
		}
	})
}
