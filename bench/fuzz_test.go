package bench

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The floor server takes client input: no request may panic it.
func FuzzFloorHandler(f *testing.F) {
	f.Add("GET", "/b/k", "", "", []byte(nil))
	f.Add("POST", "/", "application/x-www-form-urlencoded", "", []byte("Action=Publish&TopicArn=x"))
	f.Add("POST", "/", "application/x-www-form-urlencoded", "", []byte("%zz&&=;"))
	f.Add("POST", "/", "application/x-amz-json-1.0", "DynamoDB_20120810.GetItem", []byte(`{}`))
	f.Add("PUT", "/b/k?partNumber=1&uploadId=%", "", "", []byte("x"))
	get := httptest.NewRequest("GET", "/b/k", nil)
	h := FloorHandler(NewCanned(map[string]*Canned{RequestKey(get, nil): {Status: 200, Body: []byte("ok")}}))
	f.Fuzz(func(t *testing.T, method, target, ctype, amzTarget string, body []byte) {
		req, err := http.NewRequest(method, "http://127.0.0.1"+target, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-Amz-Target", amzTarget)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 && rec.Code != 500 && rec.Code != 400 {
			t.Fatalf("status %d", rec.Code)
		}
	})
}
