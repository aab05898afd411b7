package ssm_test

import "testing"

func BenchmarkGetParameter(b *testing.B) {
	c := newClient(b, newEmu(b))
	c.Call("PutParameter", map[string]any{"Name": "/bench/p", "Value": "value", "Type": "String"})
	b.ReportAllocs()
	for b.Loop() {
		c.Call("GetParameter", map[string]any{"Name": "/bench/p"})
	}
}

func BenchmarkGetParameterSecureString(b *testing.B) {
	c := newClient(b, newEmu(b))
	c.Call("PutParameter", map[string]any{"Name": "/bench/s", "Value": "value", "Type": "SecureString"})
	b.ReportAllocs()
	for b.Loop() {
		c.Call("GetParameter", map[string]any{"Name": "/bench/s", "WithDecryption": true})
	}
}
