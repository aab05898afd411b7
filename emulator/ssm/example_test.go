package ssm_test

import (
	"context"
	"fmt"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/kms"
	_ "github.com/fakecloud/fakecloud/emulator/ssm"
)

// Store a SecureString, overwrite it, label the first version and read the
// versions back by selector.
func Example() {
	emu, err := emulator.New(emulator.Options{Services: []string{"kms", "ssm"}})
	if err != nil {
		panic(err)
	}
	defer emu.Close()
	call := func(op string, in map[string]any) map[string]any {
		out, err := emu.Call(context.Background(), "123456789012", "us-east-1", "ssm", op, in)
		if err != nil {
			panic(err)
		}
		return out
	}
	call("PutParameter", map[string]any{"Name": "/app/db/password", "Value": "hunter2", "Type": "SecureString"})
	call("PutParameter", map[string]any{"Name": "/app/db/password", "Value": "correct horse", "Overwrite": true})
	call("LabelParameterVersion", map[string]any{"Name": "/app/db/password", "ParameterVersion": int64(1), "Labels": []any{"old"}})
	for _, name := range []string{"/app/db/password", "/app/db/password:old", "/app/db/password:2"} {
		p := call("GetParameter", map[string]any{"Name": name, "WithDecryption": true})["Parameter"].(map[string]any)
		fmt.Println(p["Version"], p["Value"])
	}
	fmt.Println(call("GetParameter", map[string]any{"Name": "/app/db/password"})["Parameter"].(map[string]any)["ARN"])
	// Output:
	// 2 correct horse
	// 1 hunter2
	// 2 correct horse
	// arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password
}
