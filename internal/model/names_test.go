package model

import (
	"bufio"
	"compress/gzip"
	"os"
	"strings"
	"testing"
)

func TestXFormNameMatchesBotocore(t *testing.T) {
	// Expected values are botocore 1.43's xform_name.
	cases := map[string]string{
		"ListObjectsV2":                    "list_objects_v2",
		"DescribeDBInstances":              "describe_db_instances",
		"GetBucketAcl":                     "get_bucket_acl",
		"CreateDBClusterSnapshot":          "create_db_cluster_snapshot",
		"PutBucketLifecycleConfiguration":  "put_bucket_lifecycle_configuration",
		"PutObject":                        "put_object",
		"GetObjectAcl":                     "get_object_acl",
		"ListWebACLs":                      "list_web_acls",
		"DescribeGatewayARNs":              "describe_gateway_arns",
		"ListHITsForQualificationType":     "list_hits_for_qualification_type",
		"CreateCachediSCSIVolume":          "create_cached_iscsi_volume",
		"ExecutePartiQLStatement":          "execute_partiql_statement",
		"SendWhatsAppMessage":              "send_whatsapp_message",
		"BatchGetItem":                     "batch_get_item",
		"TransactWriteItems":               "transact_write_items",
		"SendMessageBatch":                 "send_message_batch",
		"DescribeVpcEndpoints":             "describe_vpc_endpoints",
		"AssociateIamInstanceProfile":      "associate_iam_instance_profile",
		"GetSMSAttributes":                 "get_sms_attributes",
		"CreateVPCEConfiguration":          "create_vpce_configuration",
		"DescribeDBClusterParameterGroups": "describe_db_cluster_parameter_groups",
		"GetSAMLProvider":                  "get_saml_provider",
		"ListIdentityPoolUsage":            "list_identity_pool_usage",
		"Ipv6CidrBlock":                    "ipv6_cidr_block",
		"S3Key":                            "s3_key",
		"HTTPSEndpoint":                    "https_endpoint",
		"SomeCNAMEs":                       "some_cnames",
		"already_snake":                    "already_snake",
		"Mixed_Case":                       "Mixed_Case", // contains the separator: unchanged
		"":                                 "",
	}
	for in, want := range cases {
		if got := XFormName(in); got != want {
			t.Errorf("XFormName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := XFormNameSep("DescribeDBInstances", "-"); got != "describe-db-instances" {
		t.Errorf("XFormNameSep dash = %q", got)
	}
	if got := XFormNameSep("ListHITsForQualificationType", "-"); got != "list-hits-for-qualification-type" {
		t.Errorf("XFormNameSep special dash = %q", got)
	}
}

// testdata/xform_name.tsv.gz holds every operation and waiter name of the
// embedded models, and every member name with an acronym, digit or separator,
// with botocore 1.43's xform_name(name) and xform_name(name, '-').
func TestXFormNameGoldenFromBotocore(t *testing.T) {
	f, err := os.Open("testdata/xform_name.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	n, bad := 0, 0
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 3 {
			t.Fatalf("bad line %q", sc.Text())
		}
		n++
		if got := XFormName(parts[0]); got != parts[1] {
			bad++
			if bad < 20 {
				t.Errorf("XFormName(%q) = %q, botocore %q", parts[0], got, parts[1])
			}
		}
		if got := XFormNameSep(parts[0], "-"); got != parts[2] {
			bad++
			if bad < 20 {
				t.Errorf("XFormNameSep(%q, -) = %q, botocore %q", parts[0], got, parts[2])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 10000 {
		t.Fatalf("only %d golden names", n)
	}
	if bad > 0 {
		t.Errorf("%d of %d names differ from botocore", bad, n)
	}
}
