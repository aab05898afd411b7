package endpoints

import (
	"strings"
	"testing"
)

// FuzzResolve feeds arbitrary services, regions and S3 inputs through the
// region decoding paths: none may panic, and a resolved host never carries
// characters a host name cannot have.
func FuzzResolve(f *testing.F) {
	for _, s := range [][2]string{
		{"sqs", "us-east-1"}, {"iam", ""}, {"s3", "fips-us-east-1"}, {"sts", "aws-global"},
		{"dynamodb", "local"}, {"ec2", "us-east-1\n"}, {"sqs", "us-\u0663-east-1"}, {"x", "-fips"},
		{"{region}", "cn-north-1"}, {"sqs", "eu-isoe-west-1"},
	} {
		f.Add(s[0], s[1], true, false, "my.bucket")
	}
	f.Fuzz(func(t *testing.T, service, region string, fips, dual bool, bucket string) {
		_, _ = PartitionForRegion(region)
		ep, err := Resolve(service, region, Options{UseFIPS: fips, UseDualStack: dual})
		if err == nil && strings.ContainsAny(strings.ReplaceAll(ep.Hostname, service, ""), "\n\r/ ") {
			t.Errorf("region %q produced host %q", region, ep.Hostname)
		}
		_, _ = BucketHost(bucket, "http://"+region+":9000/p", AddressingVirtual, true)
		_, _ = AvailableRegions(service, region, fips)
	})
}

func BenchmarkResolve(b *testing.B) {
	b.ReportAllocs()
	if _, err := Resolve("sqs", "us-east-1", Options{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, _ = Resolve("sqs", "eu-west-1", Options{UseFIPS: true})
	}
}

func BenchmarkResolveGlobal(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Resolve("iam", "us-west-2", Options{})
	}
}
