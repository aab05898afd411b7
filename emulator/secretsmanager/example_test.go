package secretsmanager_test

import (
	"context"
	"fmt"

	"github.com/fakecloud/fakecloud/emulator"
)

// Store a secret and read it back; a second PutSecretValue moves AWSCURRENT
// and leaves the old value under AWSPREVIOUS.
func Example() {
	emu, err := emulator.New(emulator.Options{Services: []string{"kms", "secretsmanager"}})
	if err != nil {
		panic(err)
	}
	defer emu.Close()
	call := func(op string, in map[string]any) map[string]any {
		out, err := emu.Call(context.Background(), "123456789012", "us-east-1", "secretsmanager", op, in)
		if err != nil {
			panic(err)
		}
		return out
	}
	call("CreateSecret", map[string]any{"Name": "db/password", "SecretString": "hunter2"})
	call("PutSecretValue", map[string]any{"SecretId": "db/password", "SecretString": "correct horse"})
	fmt.Println(call("GetSecretValue", map[string]any{"SecretId": "db/password"})["SecretString"])
	fmt.Println(call("GetSecretValue", map[string]any{"SecretId": "db/password", "VersionStage": "AWSPREVIOUS"})["SecretString"])
	// Output:
	// correct horse
	// hunter2
}
