package model

import "testing"

// BenchmarkLoadS3Cold measures a first Load of S3: decompress its bundle,
// parse service-2, paginators and waiters.
func BenchmarkLoadS3Cold(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewLoader().Load("s3"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadS3Cached measures a Load served from the cache.
func BenchmarkLoadS3Cached(b *testing.B) {
	l := NewLoader()
	if _, err := l.Load("s3"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Load("s3"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadEC2Cold is the largest model (800 operations).
func BenchmarkLoadEC2Cold(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewLoader().Load("ec2"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAvailableServicesFirstCall is the cost of the first
// AvailableServices on a fresh loader (no model is decoded).
func BenchmarkAvailableServicesFirstCall(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if n := len(NewLoader().AvailableServices()); n == 0 {
			b.Fatal("no services")
		}
	}
}

// BenchmarkByTarget is a routing lookup on a warm loader.
func BenchmarkByTarget(b *testing.B) {
	l := NewLoader()
	l.ByTarget("DynamoDB_20120810.PutItem")
	b.ReportAllocs()
	for b.Loop() {
		if len(l.ByTarget("DynamoDB_20120810.PutItem")) != 1 {
			b.Fatal("no route")
		}
	}
}
