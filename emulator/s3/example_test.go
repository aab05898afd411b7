package s3_test

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/s3"
)

// Calling S3 in-process through the emulator core: create a bucket, store an
// object and read it back.
func Example() {
	emu, err := emulator.New(emulator.Options{Services: []string{s3.Name}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer emu.Close()
	ctx := context.Background()
	call := func(op string, in map[string]any) map[string]any {
		out, err := emu.Call(ctx, "123456789012", "us-east-1", "s3", op, in)
		if err != nil {
			panic(err)
		}
		return out
	}
	call("CreateBucket", map[string]any{"Bucket": "docs"})
	call("PutObject", map[string]any{"Bucket": "docs", "Key": "greeting.txt", "Body": strings.NewReader("hello, s3")})
	out := call("GetObject", map[string]any{"Bucket": "docs", "Key": "greeting.txt"})
	body, _ := io.ReadAll(out["Body"].(io.Reader))
	out["Body"].(io.Closer).Close()
	fmt.Println(string(body))
	// Output: hello, s3
}
