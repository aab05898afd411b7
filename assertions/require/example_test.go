package require_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/fakecloud/fakecloud/assertions/require"
	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services"
	"github.com/fakecloud/fakecloud/fixtures"
)

// reportT stands in for the *testing.T a real test is given: it prints what
// a failing require helper reports and notes that the test was stopped.
type reportT struct{}

func (reportT) Errorf(format string, args ...any) {
	// testify formats "Error Trace: ... Error: <message>"; print the message.
	for _, line := range strings.Split(fmt.Sprintf(format, args...), "\n") {
		if _, msg, ok := strings.Cut(line, "Error:"); ok && !strings.Contains(line, "Trace") {
			fmt.Println("error:", strings.TrimSpace(msg))
			return
		}
	}
}
func (reportT) FailNow() { fmt.Println("test stopped") }

// The require helpers are the assertions helpers that stop the test (FailNow)
// when they fail, for checks the rest of a test depends on.
func Example() {
	emu, err := emulator.New(emulator.Options{Services: []string{"s3"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer emu.Close()
	ctx := context.Background()
	_, _ = emu.Call(ctx, fixtures.DefaultAccount, fixtures.DefaultRegion, "s3", "CreateBucket", map[string]any{"Bucket": "reports"})
	_, _ = emu.Call(ctx, fixtures.DefaultAccount, fixtures.DefaultRegion, "s3", "PutObject",
		map[string]any{"Bucket": "reports", "Key": "a.csv", "Body": strings.NewReader("x")})

	require.S3ObjectExists(reportT{}, emu, "reports", "a.csv") // passes: prints nothing
	require.S3BucketEmpty(reportT{}, emu, "reports")           // fails and stops
	// Output:
	// error: bucket reports is not empty: a.csv
	// test stopped
}
