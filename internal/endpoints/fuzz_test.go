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

// FuzzRuleEndpoints: account ids, regions and buckets from configuration
// never panic the rule-set helpers, and an account endpoint's first label is
// the account id.
func FuzzRuleEndpoints(f *testing.F) {
	f.Add("us-east-1", "123456789012", "required", "my-bucket", false, true)
	f.Add("cn-north-1", "a.b", "preferred", "my.bucket", true, false)
	f.Add("local", "", "disabled", "", false, false)
	f.Add("eu-west-1", "-12", "", "UPPER", true, true)
	f.Fuzz(func(t *testing.T, region, account, mode, bucket string, fips, dual bool) {
		u, err := DynamoDBAccountEndpoint(region, account, mode, Options{UseFIPS: fips, UseDualStack: dual})
		if err == nil && u != "" && !strings.HasPrefix(u, "https://"+account+".ddb.") {
			t.Errorf("account %q gave %q", account, u)
		}
		_, _ = S3BucketAddress(bucket, S3Params{Endpoint: "https://s3." + region + ".amazonaws.com", Accelerate: true,
			UseFIPS: fips, UseDualStack: dual, PartitionID: mode})
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
