package kms_test

import (
	"context"
	"fmt"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/kms"
)

// Encrypt under a new key, then decrypt without naming the key: the
// ciphertext blob carries its key id, and the encryption context must match.
func Example() {
	emu, err := emulator.New(emulator.Options{Services: []string{"kms"}})
	if err != nil {
		panic(err)
	}
	defer emu.Close()
	ctx := context.Background()
	call := func(op string, in map[string]any) map[string]any {
		out, err := emu.Call(ctx, "123456789012", "eu-west-1", "kms", op, in)
		if err != nil {
			panic(err)
		}
		return out
	}
	key := call("CreateKey", map[string]any{"Description": "example"})["KeyMetadata"].(map[string]any)
	enc := call("Encrypt", map[string]any{"KeyId": key["KeyId"], "Plaintext": []byte("hello"),
		"EncryptionContext": map[string]any{"app": "demo"}})
	dec := call("Decrypt", map[string]any{"CiphertextBlob": enc["CiphertextBlob"],
		"EncryptionContext": map[string]any{"app": "demo"}})
	fmt.Println(string(dec["Plaintext"].([]byte)), dec["KeyId"] == key["Arn"])

	_, err = emu.Call(ctx, "123456789012", "eu-west-1", "kms", "Decrypt", map[string]any{"CiphertextBlob": enc["CiphertextBlob"]})
	fmt.Println(err)
	// Output:
	// hello true
	// InvalidCiphertextException (HTTP 400)
}
