package secretsmanager_test

import "testing"

func BenchmarkGetSecretValue(b *testing.B) {
	c := newClient(b, newEmu(b))
	c.call("CreateSecret", map[string]any{"Name": "s", "SecretString": "value"})
	b.ReportAllocs()
	for b.Loop() {
		c.call("GetSecretValue", map[string]any{"SecretId": "s"})
	}
}
