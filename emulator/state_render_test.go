package emulator

import (
	"fmt"
	"testing"

	"github.com/fakecloud/fakecloud/emulator/store"
)

// A bucket a renderer names is shown through its view; any other bucket only
// by its record names, so data the renderer does not know cannot leak.
func TestRenderStateShowsUnknownBucketsByNameOnly(t *testing.T) {
	db, err := store.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ns := db.Namespace("000000000000", "us-east-1", "svc")
	err = ns.Update(func(tx *store.Tx) error {
		known, err := tx.CreateBucketIfNotExists("known")
		if err != nil {
			return err
		}
		if err := known.PutJSON("a", map[string]string{"Name": "a", "Secret": "s3cr3t"}); err != nil {
			return err
		}
		other, err := tx.CreateBucketIfNotExists("other")
		if err != nil {
			return err
		}
		return other.PutJSON("b", map[string]string{"Secret": "hidden"})
	})
	if err != nil {
		t.Fatal(err)
	}
	type rec struct{ Name, Secret string }
	out, err := RenderState(&StateContext{Store: ns}, map[string]StateView{
		"known": JSONView(func(_ string, r *rec) any { return r.Name }),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(out); got != "map[known:map[a:a] other:[b]]" {
		t.Errorf("RenderState = %s", got)
	}
}
