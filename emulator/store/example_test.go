package store_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/fakecloud/fakecloud/emulator/store"
)

func Example() {
	db, err := store.Open("", nil) // temporary; removed by Close
	if err != nil {
		panic(err)
	}
	defer db.Close()

	ns := db.Namespace("000000000000", "us-east-1", "s3")
	var ref store.BlobRef
	err = ns.Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists("objects")
		if err != nil {
			return err
		}
		ref, err = tx.PutBlob("my-bucket/hello.txt", strings.NewReader("hello"))
		if err != nil {
			return err
		}
		return b.PutJSON("my-bucket/hello.txt", map[string]any{"blob": ref})
	})
	if err != nil {
		panic(err)
	}
	rc, _ := ns.OpenBlob(ref)
	body, _ := io.ReadAll(rc)
	rc.Close()
	fmt.Println(string(body), ref.Size, ref.MD5)
	// Output: hello 5 5d41402abc4b2a76b9719d911017c592
}
