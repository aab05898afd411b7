package store_test

import (
	"fmt"
	"testing"

	"github.com/fakecloud/fakecloud/emulator/store"
)

// Namespace values are reused (every request asks for one), yet each still
// names and scopes its own account/region/service, past the cache's bound
// too.
func TestNamespaceIsReusedAndScopedPastTheCacheBound(t *testing.T) {
	db := open(t)
	a := db.Namespace("111111111111", "us-east-1", "sqs")
	if b := db.Namespace("111111111111", "us-east-1", "sqs"); a != b {
		t.Error("same namespace asked twice: two values")
	}
	for i := range 5000 {
		acct := fmt.Sprintf("%012d", i)
		ns := db.Namespace(acct, "eu-west-1", "s3")
		if ns.String() != acct+"/eu-west-1/s3" {
			t.Fatalf("namespace %d: %s", i, ns)
		}
	}
	last := db.Namespace("000000004999", "eu-west-1", "s3")
	if err := last.Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists("b")
		if err != nil {
			return err
		}
		return b.Put("k", []byte("v"))
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Namespace("000000004998", "eu-west-1", "s3").View(func(tx *store.Tx) error {
		if tx.Bucket("b") != nil {
			t.Error("a write in one account's namespace is visible in another's")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkNamespace(b *testing.B) {
	db := open(b)
	b.ReportAllocs()
	for b.Loop() {
		db.Namespace("123456789012", "us-east-1", "dynamodb")
	}
}
