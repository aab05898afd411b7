package store_test

import (
	"fmt"
	"strings"
	"sync"
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

// Blob IDs rise: each later blob's ID sorts after the earlier ones (so
// inline bodies append at the right edge of the tree and a put never reads
// an old leaf back into memory), and IDs made concurrently are unique.
func TestBlobIDsRiseAndAreUnique(t *testing.T) {
	db := open(t)
	ns := db.Namespace("a", "r", "s")
	var prev string
	for i := range 100 {
		ref, err := ns.StageBlob(strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		if len(ref.ID) != 32 || ref.ID <= prev {
			t.Fatalf("blob %d: id %q after %q", i, ref.ID, prev)
		}
		prev = ref.ID
	}
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				err := ns.Update(func(tx *store.Tx) error {
					ref, err := tx.PutBlob("o", strings.NewReader("y"))
					if err != nil {
						return err
					}
					mu.Lock()
					defer mu.Unlock()
					if seen[ref.ID] || ref.ID <= prev {
						t.Errorf("id %q repeated or not after %q", ref.ID, prev)
					}
					seen[ref.ID] = true
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
