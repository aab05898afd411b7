package dynamodbstreams

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
)

// retention is how long DynamoDB Streams keeps a record.
const retention = 24 * time.Hour

// stream is the stored stream description (layout in doc.go).
type stream struct {
	StreamArn               string `json:"StreamArn"`
	StreamLabel             string `json:"StreamLabel"`
	TableName               string `json:"TableName"`
	StreamViewType          string `json:"StreamViewType"`
	StreamStatus            string `json:"StreamStatus"`
	CreationRequestDateTime int64  `json:"CreationRequestDateTime"`
	KeySchema               []struct {
		AttributeName string `json:"AttributeName"`
		KeyType       string `json:"KeyType"`
	} `json:"KeySchema"`
	ShardID                string `json:"ShardId"`
	StartingSequenceNumber string `json:"StartingSequenceNumber"`
	EndingSequenceNumber   string `json:"EndingSequenceNumber,omitempty"`
}

// decodeStream decodes one entry of the "streams" bucket.
func decodeStream(data []byte) (*stream, error) {
	var s stream
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("dynamodbstreams: decode stream: %w", err)
	}
	if s.StreamArn == "" || s.ShardID == "" {
		return nil, fmt.Errorf("dynamodbstreams: decode stream: missing StreamArn or ShardId")
	}
	return &s, nil
}

// recordTime is the part of a stored record trimming needs.
type recordTime struct {
	DynamoDB struct {
		ApproximateCreationDateTime float64 `json:"ApproximateCreationDateTime"`
	} `json:"dynamodb"`
}

func recordCreated(data []byte) (time.Time, error) {
	var r recordTime
	if err := json.Unmarshal(data, &r); err != nil {
		return time.Time{}, fmt.Errorf("dynamodbstreams: decode record: %w", err)
	}
	return time.Unix(int64(r.DynamoDB.ApproximateCreationDateTime), 0).UTC(), nil
}

// decodeRecord turns a stored record (awsJson wire form of the model's
// Record shape) into the protocol value the codec encodes.
func decodeRecord(svc *model.Service, data []byte) (map[string]any, error) {
	sh, ok := svc.Shapes["Record"]
	if !ok {
		return nil, fmt.Errorf("dynamodbstreams: model has no Record shape")
	}
	v, err := jsonrpc.Unmarshal(&model.ShapeRef{ShapeName: "Record", Shape: sh}, data)
	if err != nil {
		return nil, fmt.Errorf("dynamodbstreams: decode record: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("dynamodbstreams: decode record: not an object")
	}
	return m, nil
}

func ddb(req *emulator.Request) *store.NS {
	return req.Services().Store(req.Account, req.Region, source)
}

func loadStream(tx *store.Tx, arn string) (*stream, error) {
	b := tx.Bucket("streams")
	if b == nil {
		return nil, nil
	}
	data := b.Get(arn)
	if data == nil {
		return nil, nil
	}
	return decodeStream(data)
}

func recordsBucket(tx *store.Tx, arn string) *store.Bucket { return tx.Bucket("streamrecords/" + arn) }

// lastSeq is the newest sequence number handed out in the namespace.
func lastSeq(tx *store.Tx) string {
	var n uint64
	if b := tx.Bucket("streamseq"); b != nil {
		n, _ = strconv.ParseUint(string(b.Get("seq")), 10, 64)
	}
	return "1" + fmt.Sprintf("%020d", n)
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// limit reads a Limit member in [1, max] (def when absent).
func limit(in map[string]any, def, max int64) (int64, error) {
	v, ok := in["Limit"].(int64)
	if !ok {
		return def, nil
	}
	if v < 1 {
		return 0, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", v)
	}
	if v > max {
		return 0, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value less than or equal to %d", v, max)
	}
	return v, nil
}

func listStreams(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	n, err := limit(in, 100, 100)
	if err != nil {
		return nil, err
	}
	table, start := str(in, "TableName"), str(in, "ExclusiveStartStreamArn")
	var all []*stream
	err = ddb(req).View(func(tx *store.Tx) error {
		b := tx.Bucket("streams")
		if b == nil {
			return nil
		}
		return b.ForEach(func(_ string, v []byte) error {
			s, err := decodeStream(v)
			if err != nil {
				return err
			}
			if table == "" || s.TableName == table {
				all = append(all, s)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].StreamArn < all[j].StreamArn })
	out := map[string]any{}
	streams := []any{}
	for _, s := range all {
		if start != "" && s.StreamArn <= start {
			continue
		}
		if int64(len(streams)) == n {
			out["LastEvaluatedStreamArn"] = streams[len(streams)-1].(map[string]any)["StreamArn"]
			break
		}
		streams = append(streams, map[string]any{"StreamArn": s.StreamArn, "TableName": s.TableName, "StreamLabel": s.StreamLabel})
	}
	out["Streams"] = streams
	return out, nil
}

func describeStream(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	if _, err := limit(in, 100, 100); err != nil {
		return nil, err
	}
	arn := str(in, "StreamArn")
	var s *stream
	err := ddb(req).View(func(tx *store.Tx) (err error) {
		s, err = loadStream(tx, arn)
		return err
	})
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, streamNotFound(arn)
	}
	var keys []any
	for _, k := range s.KeySchema {
		keys = append(keys, map[string]any{"AttributeName": k.AttributeName, "KeyType": k.KeyType})
	}
	shards := []any{}
	if str(in, "ExclusiveStartShardId") != s.ShardID {
		rng := map[string]any{"StartingSequenceNumber": s.StartingSequenceNumber}
		if s.EndingSequenceNumber != "" {
			rng["EndingSequenceNumber"] = s.EndingSequenceNumber
		}
		shards = append(shards, map[string]any{"ShardId": s.ShardID, "SequenceNumberRange": rng})
	}
	return map[string]any{"StreamDescription": map[string]any{
		"StreamArn":               s.StreamArn,
		"StreamLabel":             s.StreamLabel,
		"StreamStatus":            s.StreamStatus,
		"StreamViewType":          s.StreamViewType,
		"CreationRequestDateTime": time.Unix(s.CreationRequestDateTime, 0).UTC(),
		"TableName":               s.TableName,
		"KeySchema":               keys,
		"Shards":                  shards,
	}}, nil
}

func getShardIterator(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	arn, shard, typ, seq := str(in, "StreamArn"), str(in, "ShardId"), str(in, "ShardIteratorType"), str(in, "SequenceNumber")
	switch typ {
	case "TRIM_HORIZON", "LATEST":
	case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
		if seq == "" {
			return nil, validationf("Sequence number must be specified for iterator type %s", typ)
		}
		if !validSeq(seq) {
			return nil, validationf("1 validation error detected: Value '%s' at 'sequenceNumber' failed to satisfy constraint: Member must have length greater than or equal to 21", seq)
		}
	default:
		return nil, validationf("1 validation error detected: Value '%s' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, LATEST, TRIM_HORIZON]", typ)
	}
	now := req.Clock.Now()
	it := iterator{Stream: arn, Shard: shard, Issued: now.UTC()}
	err := ddb(req).View(func(tx *store.Tx) error {
		s, err := loadStream(tx, arn)
		if err != nil {
			return err
		}
		if s == nil {
			return streamNotFound(arn)
		}
		if s.ShardID != shard {
			return emulator.Errorf(codeNotFound, http.StatusBadRequest, "Requested resource not found: Shard does not exist")
		}
		switch typ {
		case "LATEST":
			it.Seq, it.After = lastSeq(tx), true
		case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
			it.Seq, it.After = seq, typ == "AFTER_SEQUENCE_NUMBER"
			if b := recordsBucket(tx, arn); b != nil {
				if data := b.Get(seq); data != nil {
					created, err := recordCreated(data)
					if err != nil {
						return err
					}
					if now.Sub(created) > retention {
						return emulator.Errorf(codeTrimmed, http.StatusBadRequest, "The operation attempted to read past the oldest stream record in a shard.")
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ShardIterator": it.token()}, nil
}

func getRecords(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	n, err := limit(in, 1000, 1000)
	if err != nil {
		return nil, err
	}
	it, err := decodeIterator(str(in, "ShardIterator"))
	if err != nil {
		return nil, validationf("Invalid ShardIterator")
	}
	now := req.Clock.Now()
	if now.Sub(it.Issued) > iteratorTTL {
		return nil, emulator.Errorf(codeExpired, http.StatusBadRequest, "Iterator expired. The iterator was created at time %s while right now it is %s which is further in the future than the tolerated delay of %d milliseconds.",
			it.Issued.Format(time.UnixDate), now.UTC().Format(time.UnixDate), iteratorTTL.Milliseconds())
	}
	records := []any{}
	closed := false
	err = ddb(req).View(func(tx *store.Tx) error {
		s, err := loadStream(tx, it.Stream)
		if err != nil {
			return err
		}
		if s == nil {
			return streamNotFound(it.Stream)
		}
		if s.ShardID != it.Shard {
			return emulator.Errorf(codeNotFound, http.StatusBadRequest, "Requested resource not found: Shard does not exist")
		}
		b := recordsBucket(tx, it.Stream)
		more := false
		if b != nil {
			c := b.Cursor()
			k, v, ok := c.Seek(it.Seq)
			if ok && it.After && k == it.Seq {
				k, v, ok = c.Next()
			}
			for ; ok; k, v, ok = c.Next() {
				if int64(len(records)) == n {
					more = true
					break
				}
				created, err := recordCreated(v)
				if err != nil {
					return err
				}
				if now.Sub(created) > retention {
					continue // trimmed
				}
				r, err := decodeRecord(req.Service, v)
				if err != nil {
					return err
				}
				records = append(records, r)
				it.Seq, it.After = k, true
			}
		}
		// A disabled stream's shard is closed: once read to its end there
		// is no next iterator.
		closed = s.StreamStatus == "DISABLED" && !more
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Records": records}
	if !closed {
		it.Issued = now.UTC()
		out["NextShardIterator"] = it.token()
	}
	return out, nil
}
