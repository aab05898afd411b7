package secretsmanager_test

import "testing"

func BenchmarkGetSecretValue(b *testing.B) {
	c := newClient(b, newEmu(b))
	c.Call("CreateSecret", map[string]any{"Name": "s", "SecretString": "value"})
	b.ReportAllocs()
	for b.Loop() {
		c.Call("GetSecretValue", map[string]any{"SecretId": "s"})
	}
}
