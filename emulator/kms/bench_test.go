package kms_test

import "testing"

func BenchmarkEncryptDecrypt(b *testing.B) {
	c := newClient(b, newEmu(b))
	k := createKey(c, nil)
	ctx := map[string]any{"a": "b"}
	b.ReportAllocs()
	for b.Loop() {
		ct := c.Call("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("benchmark payload"), "EncryptionContext": ctx})["CiphertextBlob"]
		c.Call("Decrypt", map[string]any{"CiphertextBlob": ct, "EncryptionContext": ctx})
	}
}
