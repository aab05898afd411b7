package emulator_test

import (
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
)

// The default codec lookup (internal/protocol/codecs) serves a json service.
func TestDefaultCodecServesJSONService(t *testing.T) {
	emu, err := emulator.New(emulator.Options{Services: []string{}, ServiceDefs: []emulator.ServiceDef{counterDef()}})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	c := inproc(emu)
	resp, body := call(t, c, endpoint, "AKID", "us-east-1", "Incr", `{"Name":"a","By":3}`)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"Value":3`) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	resp, body = call(t, c, endpoint, "AKID", "us-east-1", "Get", `{"Name":"zz"}`)
	if resp.StatusCode != 404 || !strings.Contains(string(body), "NoSuchCounter") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	resp, body = call(t, c, endpoint, "AKID", "us-east-1", "Incr", `{not json`)
	if resp.StatusCode != 400 {
		t.Errorf("garbage body: %d %s", resp.StatusCode, body)
	}
}
