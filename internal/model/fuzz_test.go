package model

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary service-2 documents to Parse: it must return a
// model or an error, never panic. Seeds: a tiny model and protocol shapes.
func FuzzParse(f *testing.F) {
	f.Add([]byte(tiny("2024-01-01", "x", "X", "X_2024")))
	f.Add([]byte(`{"metadata":{},"operations":{},"shapes":{}}`))
	f.Add([]byte(`{"metadata":{"protocol":"rest-xml"},"operations":{"Op":{"http":{"method":"GET","requestUri":"/{B}"},"input":{"shape":"In"}}},"shapes":{"In":{"type":"structure","members":{"B":{"shape":"S","location":"uri"}},"required":["B"]},"S":{"type":"string"}}}`))
	f.Add([]byte(`{"metadata":{},"shapes":{"L":{"type":"list"},"M":{"type":"map","key":{"shape":"L"}}}}`))
	f.Add([]byte(`{"metadata":{},"shapes":{"S":{"type":"structure","members":{"a":null}}}}`))
	f.Add([]byte(`{"metadata":{"xmlNamespace":"http://x"},"shapes":{"S":{"type":"structure","xmlNamespace":{"uri":"u"},"members":{}}}}`))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(`{"metadata":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		svc, err := Parse(data)
		if err != nil {
			return
		}
		// A parsed model's references are all resolved.
		for _, op := range svc.Operations {
			if op.Input != nil && op.Input.Shape == nil {
				t.Fatalf("unresolved input of %s", op.Name)
			}
		}
		svc.OperationNames()
		svc.Operation("x")
	})
}

// FuzzLoadFromSearchPath runs the search-path loader (extras merge,
// paginators, waiters) over arbitrary documents.
func FuzzLoadFromSearchPath(f *testing.F) {
	f.Add([]byte(tiny("2024-01-01", "x", "X", "X_2024")), []byte(`{"pagination":{"Ping":{"input_token":"A","output_token":["B"]}}}`), []byte(`{"version":2,"waiters":{"W":{"operation":"Ping","delay":1,"maxAttempts":2,"acceptors":[{"matcher":"status","expected":200,"state":"success"}]}}}`), []byte(`{"merge":{"shapes":{"S":{"type":"blob"}}}}`))
	f.Add([]byte(`{`), []byte(`{"pagination":{"P":{"result_key":5}}}`), []byte(`{"version":"2"}`), []byte(`{"merge":[1]}`))
	f.Fuzz(func(t *testing.T, svc, pag, wait, extras []byte) {
		dir := t.TempDir()
		d := filepath.Join(dir, "fz", "2024-01-01")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string][]byte{"service-2.json": svc, "paginators-1.json": pag, "waiters-2.json": wait, "service-2.sdk-extras.json": extras} {
			if err := os.WriteFile(filepath.Join(d, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, _ = NewLoader(dir).Load("fz")
	})
}

func FuzzXFormName(f *testing.F) {
	for _, s := range []string{"ListObjectsV2", "DescribeDBInstances", "ListWebACLs", "Ss", "AAs", "aB", "", "ÄBs", "x\nYz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		XFormName(s)
		XFormNameSep(s, "-")
	})
}
