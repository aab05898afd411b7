package ssm_test

import "testing"

func BenchmarkGetParameter(b *testing.B) {
	c := newClient(b, newEmu(b))
	c.call("PutParameter", map[string]any{"Name": "/bench/p", "Value": "value", "Type": "String"})
	b.ReportAllocs()
	for b.Loop() {
		c.call("GetParameter", map[string]any{"Name": "/bench/p"})
	}
}

func BenchmarkGetParameterSecureString(b *testing.B) {
	c := newClient(b, newEmu(b))
	c.call("PutParameter", map[string]any{"Name": "/bench/s", "Value": "value", "Type": "SecureString"})
	b.ReportAllocs()
	for b.Loop() {
		c.call("GetParameter", map[string]any{"Name": "/bench/s", "WithDecryption": true})
	}
}
