package require_test

import (
	"fmt"
	"testing"

	"github.com/fakecloud/fakecloud/assertions/require"
	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
)

type fakeT struct {
	msgs    []string
	stopped bool
}

func (f *fakeT) Errorf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}
func (f *fakeT) FailNow() { f.stopped = true }

func TestRequireStopsOnlyOnFailure(t *testing.T) {
	emu, err := emulator.New(emulator.Options{Services: []string{"sqs"}})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	ft := &fakeT{}
	require.NoCallsTo(ft, emu, "sqs")
	if ft.stopped || len(ft.msgs) > 0 {
		t.Fatalf("passing assertion stopped the test: %v", ft.msgs)
	}
	require.SQSQueueDepth(ft, emu, "missing", 0)
	if !ft.stopped || len(ft.msgs) != 1 {
		t.Fatalf("failing assertion: stopped=%v msgs=%v", ft.stopped, ft.msgs)
	}
}
