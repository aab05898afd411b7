package dynamodb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// DynamoDB Streams state. The dynamodbstreams service (a separate package;
// service packages never import each other) reads these buckets through
// the emulator's Services().Store(account, region, "dynamodb") and decodes
// them with its own types, so this layout is a contract kept in step with
// emulator/dynamodbstreams (see its doc.go):
//
//	streams                    stream ARN -> stream (JSON, below)
//	streamrecords/<stream ARN> sequence number -> record (JSON, below)
//	streamseq                  "seq" -> last sequence counter (decimal)
//
// A stream is
//
//	{"StreamArn","StreamLabel","TableName","StreamViewType",
//	 "StreamStatus": "ENABLED"|"DISABLED",
//	 "CreationRequestDateTime": epoch seconds (number),
//	 "KeySchema": [{"AttributeName","KeyType"}],
//	 "ShardId", "StartingSequenceNumber",
//	 "EndingSequenceNumber" (set once the stream is disabled)}
//
// and a record is stored exactly as DynamoDB Streams' Record shape is
// written on the awsJson wire: {"eventID","eventName","eventVersion":"1.1",
// "eventSource":"aws:dynamodb","awsRegion","dynamodb":{
// "ApproximateCreationDateTime": epoch seconds, "Keys", "NewImage",
// "OldImage", "SequenceNumber", "SizeBytes", "StreamViewType"}} with
// AttributeValues in DynamoDB JSON (B as base64); a TTL deletion adds
// "userIdentity": {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}.
//
// Sequence numbers are 21 decimal digits, "1" followed by a zero-padded
// counter shared by every stream of the namespace, so they increase and
// sort as strings in bbolt key order.
const (
	bucketStreams   = "streams"
	bucketStreamSeq = "streamseq"
)

// streamLabelLayout is the StreamLabel format, a creation timestamp.
const streamLabelLayout = "2006-01-02T15:04:05.000"

func streamRecordsBucket(arn string) string { return "streamrecords/" + arn }

type streamKey struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"`
}

type stream struct {
	StreamArn               string      `json:"StreamArn"`
	StreamLabel             string      `json:"StreamLabel"`
	TableName               string      `json:"TableName"`
	StreamViewType          string      `json:"StreamViewType"`
	StreamStatus            string      `json:"StreamStatus"`
	CreationRequestDateTime int64       `json:"CreationRequestDateTime"`
	KeySchema               []streamKey `json:"KeySchema"`
	ShardID                 string      `json:"ShardId"`
	StartingSequenceNumber  string      `json:"StartingSequenceNumber"`
	EndingSequenceNumber    string      `json:"EndingSequenceNumber,omitempty"`
}

func (t *table) streamARN() string { return t.ARN + "/stream/" + t.StreamLabel }

func seqString(n uint64) string { return "1" + fmt.Sprintf("%020d", n) }

// seqCounter returns the last sequence counter of the namespace.
func seqCounter(tx *store.Tx) (*store.Bucket, uint64, error) {
	b, err := tx.CreateBucketIfNotExists(bucketStreamSeq)
	if err != nil {
		return nil, 0, err
	}
	var n uint64
	if v := b.Get("seq"); v != nil {
		n, _ = strconv.ParseUint(string(v), 10, 64)
	}
	return b, n, nil
}

// openStream records the table's new stream (StreamLabel just set). A label
// is a millisecond timestamp; when an earlier stream of a table of the same
// name already has it (re-created within the same millisecond of the
// emulator clock), the label moves on by a millisecond so streams stay
// distinct. The caller saves t afterwards.
func openStream(tx *store.Tx, req *emulator.Request, t *table) error {
	_, n, err := seqCounter(tx)
	if err != nil {
		return err
	}
	b, err := tx.CreateBucketIfNotExists(bucketStreams)
	if err != nil {
		return err
	}
	for i := 0; i < 1000 && b.Get(t.streamARN()) != nil; i++ {
		at, err := time.Parse(streamLabelLayout, t.StreamLabel)
		if err != nil {
			break
		}
		t.StreamLabel = at.Add(time.Millisecond).Format(streamLabelLayout)
	}
	s := stream{
		StreamArn: t.streamARN(), StreamLabel: t.StreamLabel, TableName: t.Name,
		StreamViewType: t.StreamView, StreamStatus: "ENABLED",
		CreationRequestDateTime: req.Clock.Now().Unix(),
		ShardID:                 fmt.Sprintf("shardId-%020d-%s", req.Clock.Now().UnixMilli(), req.IDs.Hex(4)),
		StartingSequenceNumber:  seqString(n + 1),
	}
	for _, k := range t.Keys {
		s.KeySchema = append(s.KeySchema, streamKey{k.Name, k.Type})
	}
	return b.PutJSON(s.StreamArn, s)
}

// closeStream marks the table's current stream DISABLED (stream disabled or
// table deleted); its records stay readable, and its shard gets an ending
// sequence number so readers see it closed.
func closeStream(tx *store.Tx, t *table) error {
	b := tx.Bucket(bucketStreams)
	if b == nil || t.StreamLabel == "" {
		return nil
	}
	var s stream
	ok, err := b.GetJSON(t.streamARN(), &s)
	if err != nil || !ok || s.StreamStatus == "DISABLED" {
		return err
	}
	s.StreamStatus = "DISABLED"
	_, n, err := seqCounter(tx)
	if err != nil {
		return err
	}
	s.EndingSequenceNumber = seqString(n)
	return b.PutJSON(s.StreamArn, s)
}

// appendStreamRecord writes the stream record of one item change in the
// write's own transaction. No record is written when nothing changed
// (deleting a missing item, putting an identical item), as DynamoDB does.
func appendStreamRecord(tx *store.Tx, req *emulator.Request, t *table, old, item expr.Item, identity map[string]any) error {
	if !t.StreamOn || t.StreamLabel == "" || req == nil || (old == nil && item == nil) {
		return nil
	}
	var event string
	switch {
	case old == nil:
		event = "INSERT"
	case item == nil:
		event = "REMOVE"
	default:
		a, err1 := encodeItem(old)
		b, err2 := encodeItem(item)
		if err1 == nil && err2 == nil && bytes.Equal(a, b) {
			return nil
		}
		event = "MODIFY"
	}
	keySrc := item
	if keySrc == nil {
		keySrc = old
	}
	keys := t.keyAttrs(keySrc)
	ddb := map[string]any{
		"ApproximateCreationDateTime": req.Clock.Now().Unix(),
		"Keys":                        keys,
		"StreamViewType":              t.StreamView,
	}
	size := expr.ItemSize(keys)
	view := t.StreamView
	if item != nil && (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES") {
		ddb["NewImage"] = item
		size += expr.ItemSize(item)
	}
	if old != nil && (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES") {
		ddb["OldImage"] = old
		size += expr.ItemSize(old)
	}
	ddb["SizeBytes"] = size
	sb, n, err := seqCounter(tx)
	if err != nil {
		return err
	}
	n++
	if err := sb.Put("seq", []byte(strconv.FormatUint(n, 10))); err != nil {
		return err
	}
	seq := seqString(n)
	ddb["SequenceNumber"] = seq
	rec := map[string]any{
		"eventID":      strings.ReplaceAll(req.IDs.UUID(), "-", ""),
		"eventName":    event,
		"eventVersion": "1.1",
		"eventSource":  "aws:dynamodb",
		"awsRegion":    req.Region,
		"dynamodb":     ddb,
	}
	if identity != nil {
		rec["userIdentity"] = identity
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	rb, err := tx.CreateBucketIfNotExists(streamRecordsBucket(t.streamARN()))
	if err != nil {
		return err
	}
	return rb.Put(seq, data)
}
