package emulator_test

// Two tiny services in the query and rest-xml protocols, with a minimal
// test codec, so that the chassis's per-protocol behaviour (authentication
// error dialects, aws-chunked bodies, queue-URL paths) is tested without
// depending on the real codecs' progress.

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
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/route"
)

const miniQueueModel = `{
 "metadata": {"apiVersion":"2012-11-05","endpointPrefix":"miniq","protocol":"query","serviceId":"MiniQ",
   "signatureVersion":"v4","xmlNamespace":"http://queue.amazonaws.com/doc/2012-11-05/"},
 "operations": {
  "SendMessage": {"name":"SendMessage","http":{"method":"POST","requestUri":"/"},"input":{"shape":"SendInput"},"output":{"shape":"SendOutput"}},
  "GetSessionToken": {"name":"GetSessionToken","http":{"method":"POST","requestUri":"/"},"input":{"shape":"TokenInput"}}
 },
 "shapes": {
  "SendInput": {"type":"structure","required":["QueueUrl","MessageBody"],"members":{"QueueUrl":{"shape":"String"},"MessageBody":{"shape":"String"}}},
  "SendOutput": {"type":"structure","members":{"MessageId":{"shape":"String"},"QueueUrl":{"shape":"String"}}},
  "TokenInput": {"type":"structure","members":{"SessionToken":{"shape":"String"},"SecretAccessKey":{"shape":"String"},"Note":{"shape":"String"}}},
  "String": {"type":"string"}
 }
}`

const miniS3Model = `{
 "metadata": {"apiVersion":"2006-03-01","endpointPrefix":"s3","protocol":"rest-xml","serviceId":"S3",
   "signatureVersion":"s3v4","signingName":"s3"},
 "operations": {
  "PutObject": {"name":"PutObject","http":{"method":"PUT","requestUri":"/{Bucket}/{Key+}"},"input":{"shape":"PutInput"},"output":{"shape":"PutOutput"}},
  "GetObject": {"name":"GetObject","http":{"method":"GET","requestUri":"/{Bucket}/{Key+}"},"input":{"shape":"GetInput"},"output":{"shape":"GetOutput"}}
 },
 "shapes": {
  "PutInput": {"type":"structure","required":["Bucket","Key"],"payload":"Body","members":{
    "Bucket":{"shape":"String","location":"uri","locationName":"Bucket"},
    "Key":{"shape":"String","location":"uri","locationName":"Key"},
    "ContentLength":{"shape":"Long","location":"header","locationName":"Content-Length"},
    "ContentEncoding":{"shape":"String","location":"header","locationName":"Content-Encoding"},
    "Body":{"shape":"Blob","streaming":true}}},
  "PutOutput": {"type":"structure","members":{"ChecksumCRC32":{"shape":"String","location":"header","locationName":"x-amz-checksum-crc32"}}},
  "GetInput": {"type":"structure","required":["Bucket","Key"],"members":{
    "Bucket":{"shape":"String","location":"uri","locationName":"Bucket"},
    "Key":{"shape":"String","location":"uri","locationName":"Key"}}},
  "GetOutput": {"type":"structure","members":{"Body":{"shape":"String"}}},
  "String": {"type":"string"},
  "Long": {"type":"long"},
  "Blob": {"type":"blob"}
 }
}`

// wireCodec decodes just enough of query and rest-xml for these services;
// errors are encoded in the protocol's real dialect by route.WriteError.
type wireCodec struct{ proto string }

func (c wireCodec) Name() string { return c.proto }

func (wireCodec) MarshalRequest(context.Context, *model.Operation, *url.URL, map[string]any) (*http.Request, error) {
	return nil, fmt.Errorf("server-side test codec")
}

func (wireCodec) UnmarshalResponse(*model.Operation, *http.Response) (map[string]any, error) {
	return nil, fmt.Errorf("server-side test codec")
}

func (c wireCodec) DecodeRequest(op *model.Operation, r *http.Request) (map[string]any, error) {
	in := map[string]any{}
	switch c.proto {
	case "query":
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return nil, err
		}
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, protocol.NewError("MalformedQueryString", 400, "malformed body")
		}
		for k, vs := range vals {
			if k != "Action" && k != "Version" && len(vs) > 0 {
				in[k] = vs[0]
			}
		}
	case "rest-xml":
		bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		in["Bucket"], in["Key"] = bucket, key
		if v := r.Header.Get("Content-Length"); v != "" {
			n, _ := strconv.ParseInt(v, 10, 64)
			in["ContentLength"] = n
		}
		if v := r.Header.Get("Content-Encoding"); v != "" {
			in["ContentEncoding"] = v
		}
		if op.Name == "PutObject" {
			in["Body"] = r.Body
		}
	}
	return in, nil
}

func (wireCodec) EncodeResponse(w http.ResponseWriter, op *model.Operation, out map[string]any, meta protocol.ResponseMeta) error {
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(b)
	return err
}

func (c wireCodec) EncodeError(w http.ResponseWriter, op *model.Operation, e *protocol.APIError, meta protocol.ResponseMeta) error {
	route.WriteError(w, c.proto, &route.Error{APIError: e}, meta.RequestID)
	return nil
}

func allTestCodecs(svc *model.Service, proto string) (protocol.Codec, error) {
	if proto == "json" {
		return testCodecs(svc, proto)
	}
	return wireCodec{proto}, nil
}

func mustModel(src string) *model.Service {
	m, err := model.Parse([]byte(src))
	if err != nil {
		panic(err)
	}
	return m
}

// miniQueueDef's SendMessage echoes the QueueUrl it got and a seeded id;
// GetSessionToken does nothing (its input is for journal redaction).
func miniQueueDef() emulator.ServiceDef {
	return emulator.ServiceDef{Name: "miniq", Model: mustModel(miniQueueModel), Operations: map[string]emulator.Handler{
		"SendMessage": func(ctx context.Context, req *emulator.Request) (map[string]any, error) {
			return map[string]any{"MessageId": req.IDs.UUID(), "QueueUrl": req.Input["QueueUrl"]}, nil
		},
		"GetSessionToken": func(ctx context.Context, req *emulator.Request) (map[string]any, error) { return nil, nil },
	}}
}

// miniS3Def stores an object only when its body was read without error,
// as S3 must; PutObject reports the trailing checksum and the decoded
// Content-Length/Content-Encoding it saw.
func miniS3Def() emulator.ServiceDef {
	return emulator.ServiceDef{Name: "minis3", Model: mustModel(miniS3Model), Operations: map[string]emulator.Handler{
		"PutObject": func(ctx context.Context, req *emulator.Request) (map[string]any, error) {
			body, _ := req.Input["Body"].(io.Reader)
			data, err := io.ReadAll(body)
			if err != nil {
				return nil, fmt.Errorf("reading object body: %w", err)
			}
			key, _ := req.Input["Key"].(string)
			if err := req.Store.Update(func(tx *store.Tx) error {
				b, err := tx.CreateBucketIfNotExists("objects")
				if err != nil {
					return err
				}
				return b.Put(key, data)
			}); err != nil {
				return nil, err
			}
			out := map[string]any{"ContentLength": req.Input["ContentLength"], "ContentEncoding": req.Input["ContentEncoding"]}
			for k, v := range req.TrailerChecksums() {
				out[k] = v
			}
			return out, nil
		},
		"GetObject": func(ctx context.Context, req *emulator.Request) (map[string]any, error) {
			key, _ := req.Input["Key"].(string)
			var data []byte
			_ = req.Store.View(func(tx *store.Tx) error {
				if b := tx.Bucket("objects"); b != nil {
					data = b.Get(key)
				}
				return nil
			})
			if data == nil {
				return nil, emulator.Errorf("NoSuchKey", 404, "The specified key does not exist.")
			}
			return map[string]any{"Body": string(data)}, nil
		},
	}}
}
