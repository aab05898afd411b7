package session

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// FuzzStartingToken: a client-supplied StartingToken never panics the paginator.
func FuzzStartingToken(f *testing.F) {
	for _, s := range []string{"", "abc", "eyJFeGNsdXNpdmVTdGFydFRhYmxlTmFtZSI6InQwMyIsImJvdG9fdHJ1bmNhdGVfYW1vdW50IjoxfQ==", "a___b", "bnVsbA==", "W10="} {
		f.Add(s)
	}
	s, err := New(Options{Region: "us-east-1", AccessKeyID: "a", SecretAccessKey: "b", Env: func(string) string { return "" }, ConfigFile: "/nonexistent", CredentialsFile: "/nonexistent"})
	if err != nil {
		f.Fatal(err)
	}
	c, err := s.Client("dynamodb", ClientOptions{})
	if err != nil {
		f.Fatal(err)
	}
	c.Events().Register("before-send", func(ctx context.Context, e *Event) (any, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"TableNames":["abc","def"]}`))}, nil
	})
	p, _ := c.Paginator("ListTables")
	f.Fuzz(func(t *testing.T, tok string) {
		for _, err := range p.Pages(context.Background(), nil, PaginationConfig{StartingToken: tok, MaxItems: 1}).All() {
			_ = err
		}
	})
}

// FuzzValidate: arbitrary JSON params never panic validation or Output paths.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{`{}`, `{"TableName":"t","Key":{"a":{"S":"x"}}}`, `{"Key":[1,2]}`, `{"TableName":5,"Foo":null}`} {
		f.Add(s, "Key.a.S")
	}
	s, _ := New(Options{Region: "us-east-1", Env: func(string) string { return "" }, ConfigFile: "/nonexistent", CredentialsFile: "/nonexistent"})
	c, err := s.Client("dynamodb", ClientOptions{})
	if err != nil {
		f.Fatal(err)
	}
	op, _ := c.svc.Operation("GetItem")
	f.Fuzz(func(t *testing.T, doc, path string) {
		var m map[string]any
		if json.Unmarshal([]byte(doc), &m) != nil {
			return
		}
		_ = validate(op.Input, m)
		o := &Output{Data: m}
		o.Get(path)
		o.String(path)
		o.List(path)
		_, _ = jmesSearch(path, m)
	})
}
