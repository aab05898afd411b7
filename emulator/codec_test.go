package emulator_test

// A deliberately small json-1.0 codec for the emulator's own tests, until
// internal/protocol/codecs lands: scalar members only.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

type testJSONCodec struct{}

func (testJSONCodec) Name() string { return "json" }

func (testJSONCodec) MarshalRequest(ctx context.Context, op *model.Operation, endpoint *url.URL, params map[string]any) (*http.Request, error) {
	b, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint.String(), strings.NewReader(string(b)))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", op.Service.Metadata.TargetPrefix+"."+op.Name)
	return r, nil
}

func (testJSONCodec) UnmarshalResponse(op *model.Operation, resp *http.Response) (map[string]any, error) {
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		code, _ := m["__type"].(string)
		msg, _ := m["message"].(string)
		return nil, &protocol.APIError{Code: code, Message: msg, StatusCode: resp.StatusCode}
	}
	return m, nil
}

func (testJSONCodec) DecodeRequest(op *model.Operation, r *http.Request) (map[string]any, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, protocol.NewError("SerializationException", 400, "malformed JSON")
		}
	}
	for k, v := range m {
		if f, ok := v.(float64); ok {
			m[k] = int64(f)
		}
	}
	return m, nil
}

func (testJSONCodec) EncodeResponse(w http.ResponseWriter, op *model.Operation, out map[string]any, meta protocol.ResponseMeta) error {
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Requestid", meta.RequestID)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err = w.Write(b)
	return err
}

func (testJSONCodec) EncodeError(w http.ResponseWriter, op *model.Operation, e *protocol.APIError, meta protocol.ResponseMeta) error {
	b, _ := json.Marshal(map[string]string{"__type": e.Code, "message": e.Message})
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Requestid", meta.RequestID)
	w.WriteHeader(e.StatusCode)
	_, err := w.Write(b)
	return err
}

func testCodecs(svc *model.Service, proto string) (protocol.Codec, error) {
	if proto != "json" {
		return nil, fmt.Errorf("test codec speaks json only, not %s", proto)
	}
	return testJSONCodec{}, nil
}

// counterModel is a tiny json-1.0 service: Incr adds to a named counter,
// Get reads it, Boom is modeled but not implemented.
const counterModel = `{
 "metadata": {"apiVersion":"2024-01-01","endpointPrefix":"counter","jsonVersion":"1.0","protocol":"json",
   "serviceId":"Counter","signatureVersion":"v4","targetPrefix":"Counter_20240101"},
 "operations": {
  "Incr": {"name":"Incr","http":{"method":"POST","requestUri":"/"},"input":{"shape":"IncrInput"},"output":{"shape":"CounterOutput"}},
  "Get":  {"name":"Get","http":{"method":"POST","requestUri":"/"},"input":{"shape":"IncrInput"},"output":{"shape":"CounterOutput"},
           "errors":[{"shape":"NoSuchCounter"}]},
  "Boom": {"name":"Boom","http":{"method":"POST","requestUri":"/"}},
  "Panic": {"name":"Panic","http":{"method":"POST","requestUri":"/"}}
 },
 "shapes": {
  "IncrInput": {"type":"structure","required":["Name"],"members":{"Name":{"shape":"String"},"By":{"shape":"Long"},"Password":{"shape":"Secret"}}},
  "CounterOutput": {"type":"structure","members":{"Name":{"shape":"String"},"Value":{"shape":"Long"},"Id":{"shape":"String"},"At":{"shape":"String"}}},
  "NoSuchCounter": {"type":"structure","members":{"message":{"shape":"String"}},"exception":true,"error":{"httpStatusCode":404}},
  "String": {"type":"string"},
  "Secret": {"type":"string","sensitive":true},
  "Long": {"type":"long"}
 }
}`

func counterDef() emulator.ServiceDef {
	m, err := model.Parse([]byte(counterModel))
	if err != nil {
		panic(err)
	}
	return emulator.ServiceDef{Name: "counter", Model: m, Operations: map[string]emulator.Handler{
		"Incr":  incr,
		"Get":   getCounter,
		"Panic": func(context.Context, *emulator.Request) (map[string]any, error) { panic("handler bug") },
	}}
}
