package reliability

import (
	"bytes"
	"encoding/binary"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
)

// TestRestoreDamagedSnapshotOverHTTP: a snapshot whose database pages are
// damaged, posted to /_fakecloud/restore, is answered 400 with a clear
// error and leaves the emulator serving its old state. Before the fix a
// page whose header named another page (the FuzzRestore finding) killed the
// process from a bbolt goroutine.
func TestRestoreDamagedSnapshotOverHTTP(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{NoSync: true})
	hc := &http.Client{}
	post := func(path string, body []byte) (int, string) {
		t.Helper()
		resp, err := hc.Post(ts.URL+path, "application/octet-stream", bytes.NewReader(body))
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	form := func(body string) (int, string) {
		t.Helper()
		resp, err := hc.Post(ts.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for i := range 40 {
		if code, body := form("Action=CreateQueue&Version=2012-11-05&QueueName=keep" + string(rune('a'+i%26)) + strings.Repeat("x", i)); code != 200 {
			t.Fatalf("CreateQueue: %d %s", code, body)
		}
	}
	resp, err := hc.Get(ts.URL + "/_fakecloud/snapshot")
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	const magic = "fakecloud-snapshot v1\n"
	if resp.StatusCode != 200 || !bytes.HasPrefix(snap, []byte(magic)) || snap[len(magic)] != 'D' {
		t.Fatalf("snapshot: %d %.60q", resp.StatusCode, snap)
	}
	off := len(magic) + 10
	n := int(binary.BigEndian.Uint64(snap[len(magic)+2:]))
	pageSize := int(binary.NativeEndian.Uint32(snap[off+16+8:]))

	rejected := 0
	for pg := 2; pg < n/pageSize; pg++ {
		bad := bytes.Clone(snap)
		binary.NativeEndian.PutUint64(bad[off+pg*pageSize:], 0) // the page claims to be page 0
		code, body := post("/_fakecloud/restore", bad)
		switch code {
		case 400:
			if !strings.Contains(body, "damaged database") {
				t.Errorf("page %d: 400 without a clear error: %s", pg, body)
			}
			rejected++
		case 200: // a free page: the restored state is the snapshot's
		default:
			t.Fatalf("page %d: %d %s", pg, code, body)
		}
	}
	if rejected == 0 {
		t.Fatal("no damaged snapshot was rejected")
	}
	for _, cut := range []int{len(magic), off + 10, off + n/2, len(snap) - 1} {
		if code, body := post("/_fakecloud/restore", snap[:cut]); code != 400 {
			t.Errorf("snapshot cut at %d: %d %s", cut, code, body)
		}
	}
	code, body := form("Action=ListQueues&Version=2012-11-05")
	if code != 200 || strings.Count(body, "<QueueUrl>") != 40 {
		t.Fatalf("after rejected restores: %d %.300s", code, body)
	}
	t.Logf("%d of %d damaged pages rejected", rejected, n/pageSize-2)
}
