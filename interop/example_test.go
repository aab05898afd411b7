package interop_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/interop"
)

// Point an aws-sdk-go-v2 config at an in-process fakecloud.
func Example() {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		panic(err)
	}
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()

	ctx := context.Background()
	cfg, err := interop.Config(ctx, srv.URL) // then s3.NewFromConfig(cfg), sqs.NewFromConfig(cfg) ...
	if err != nil {
		panic(err)
	}
	h, err := interop.GetHealth(ctx, srv.URL)
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg.Region, *cfg.BaseEndpoint == srv.URL, h.Status)
	// Output: us-east-1 true ok
}
