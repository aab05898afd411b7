package kms_test

import "testing"

func BenchmarkEncryptDecrypt(b *testing.B) {
	c := newClient(b, newEmu(b))
	k := c.createKey(nil)
	ctx := map[string]any{"a": "b"}
	b.ReportAllocs()
	for b.Loop() {
		ct := c.call("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("benchmark payload"), "EncryptionContext": ctx})["CiphertextBlob"]
		c.call("Decrypt", map[string]any{"CiphertextBlob": ct, "EncryptionContext": ctx})
	}
}
