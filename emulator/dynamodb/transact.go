package dynamodb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// idempotencyWindow is how long DynamoDB remembers a ClientRequestToken.
const idempotencyWindow = 10 * time.Minute

type txOp struct {
	kind string // ConditionCheck, Put, Delete, Update
	in   map[string]any
	t    *table
	key  string
	x    *exprs
	item expr.Item // Put: the new item
}

type tokenRecord struct {
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
}

// idemToken is a transaction's ClientRequestToken: a repeat within the
// idempotency window with the same parameters is answered as a replay, with
// other parameters as IdempotentParameterMismatchException.
type idemToken struct {
	token, hash string
	now         time.Time
}

// newIdemToken hashes the request's statements or items; salt keeps
// ExecuteTransaction and TransactWriteItems tokens apart.
func newIdemToken(in map[string]any, salt string, raw any, now time.Time) idemToken {
	t := idemToken{token: str(in, "ClientRequestToken"), now: now}
	if t.token != "" {
		data, _ := json.Marshal(raw)
		sum := sha256.Sum256(append([]byte(salt), data...))
		t.hash = hex.EncodeToString(sum[:])
	}
	return t
}

// replayed reports whether tx has already seen this token with the same
// parameters within the window.
func (t idemToken) replayed(tx *store.Tx) (bool, error) {
	if t.token == "" {
		return false, nil
	}
	b, err := tx.CreateBucketIfNotExists(bucketTokens)
	if err != nil {
		return false, err
	}
	var rec tokenRecord
	found, err := b.GetJSON(t.token, &rec)
	if err != nil {
		return false, err
	}
	if found && t.now.Sub(rec.At) < idempotencyWindow {
		if rec.Hash != t.hash {
			return false, emulator.Errorf(codeIdempotentMismatch, 400, "Request parameters do not match the original request parameters")
		}
		return true, nil
	}
	return false, nil
}

// record remembers the token after a committed transaction.
func (t idemToken) record(tx *store.Tx) error {
	if t.token == "" {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bucketTokens)
	if err != nil {
		return err
	}
	return b.PutJSON(t.token, tokenRecord{Hash: t.hash, At: t.now})
}

func transactWriteItems(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	raw := list(in, "TransactItems")
	if len(raw) == 0 || len(raw) > 100 {
		return nil, validationf("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100, Member must have length greater than or equal to 1")
	}
	var ops []*txOp
	seen := map[string]bool{}
	units := map[string]float64{}
	for _, r := range raw {
		rm, _ := r.(map[string]any)
		if len(rm) != 1 {
			return nil, validationf("TransactItems can only contain one of Check, Put, Update or Delete")
		}
		op := &txOp{}
		for k, v := range rm {
			op.kind, op.in = k, v.(map[string]any)
		}
		t, err := getTable(req, str(op.in, "TableName"))
		if err != nil {
			return nil, err
		}
		op.t = t
		spec := exprSpec{condition: true}
		switch op.kind {
		case "Put":
			item := obj(op.in, "Item")
			if op.key, err = t.itemKey(item); err != nil {
				return nil, err
			}
			op.item = expr.CanonicalItem(item)
			units[t.Name] += 2 * writeUnits(expr.ItemSize(item))
		case "Delete", "ConditionCheck", "Update":
			if op.key, err = t.keyOf(obj(op.in, "Key")); err != nil {
				return nil, err
			}
			spec.update = op.kind == "Update"
			units[t.Name] += 2
			if op.kind == "ConditionCheck" {
				if _, ok := op.in["ConditionExpression"].(string); !ok {
					return nil, validationf("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null")
				}
			}
		default:
			return nil, validationf("TransactItems can only contain one of Check, Put, Update or Delete")
		}
		if op.x, err = parseExprs(op.in, spec); err != nil {
			return nil, err
		}
		if op.kind == "Update" {
			if op.x.update == nil {
				return nil, validationf("1 validation error detected: Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null")
			}
			if err := checkKeyUpdate(t, op.x.update); err != nil {
				return nil, err
			}
		}
		id := t.Name + "\x00" + op.key
		if seen[id] {
			return nil, validationf("Transaction request cannot include multiple operations on one item")
		}
		seen[id] = true
		ops = append(ops, op)
	}
	tok := newIdemToken(in, "", raw, req.Clock.Now())
	replayed := false
	err := req.Store.Update(func(tx *store.Tx) error {
		var err error
		if replayed, err = tok.replayed(tx); err != nil || replayed {
			return err
		}
		reasons := make([]any, len(ops))
		failed := false
		olds := make([]expr.Item, len(ops))
		news := make([]expr.Item, len(ops))
		for i, op := range ops {
			old, err := readItem(tx, op.t, op.key, req.Clock.Now)
			if err != nil {
				return err
			}
			olds[i] = old
			reasons[i] = map[string]any{"Code": "None"}
			if op.x.cond != nil && !expr.Eval(op.x.cond, old) {
				r := map[string]any{"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
				if str(op.in, "ReturnValuesOnConditionCheckFailure") == "ALL_OLD" && old != nil {
					r["Item"] = old
				}
				reasons[i], failed = r, true
				continue
			}
			switch op.kind {
			case "Put":
				news[i] = op.item
			case "Update":
				item, err := applyUpdate(op.t, op.x.update, old, obj(op.in, "Key"))
				if err != nil {
					var ae *protocol.APIError
					if errors.As(err, &ae) {
						reasons[i], failed = map[string]any{"Code": "ValidationError", "Message": ae.Message}, true
						continue
					}
					return err
				}
				news[i] = item
			}
		}
		if failed {
			codes := make([]string, len(reasons))
			for i, r := range reasons {
				codes[i] = r.(map[string]any)["Code"].(string)
			}
			e := emulator.Errorf(codeTxCanceled, 400, "Transaction cancelled, please refer cancellation reasons for specific reasons [%s]", strings.Join(codes, ", "))
			e.Fields = map[string]any{"CancellationReasons": reasons}
			return e
		}
		for i, op := range ops {
			switch op.kind {
			case "Put", "Update":
				if err := writeItem(tx, req, op.t, op.key, olds[i], news[i]); err != nil {
					return err
				}
			case "Delete":
				if err := writeItem(tx, req, op.t, op.key, olds[i], nil); err != nil {
					return err
				}
			}
		}
		return tok.record(tx)
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if cc := batchCapacity(in, units, false); cc != nil && !replayed {
		out["ConsumedCapacity"] = cc
	}
	return out, nil
}

func transactGetItems(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	raw := list(in, "TransactItems")
	if len(raw) == 0 || len(raw) > 100 {
		return nil, validationf("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100, Member must have length greater than or equal to 1")
	}
	type get struct {
		t   *table
		key string
		x   *exprs
	}
	var gets []get
	units := map[string]float64{}
	for _, r := range raw {
		g := obj(r.(map[string]any), "Get")
		if g == nil {
			return nil, validationf("1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null")
		}
		t, err := getTable(req, str(g, "TableName"))
		if err != nil {
			return nil, err
		}
		key, err := t.keyOf(obj(g, "Key"))
		if err != nil {
			return nil, err
		}
		x, err := parseExprs(g, exprSpec{projection: true})
		if err != nil {
			return nil, err
		}
		gets = append(gets, get{t, key, x})
	}
	responses := make([]any, len(gets))
	err := req.Store.View(func(tx *store.Tx) error {
		for i, g := range gets {
			item, err := readItem(tx, g.t, g.key, req.Clock.Now)
			if err != nil {
				return err
			}
			units[g.t.Name] += 2 * readUnits(expr.ItemSize(item), true)
			r := map[string]any{}
			if item != nil {
				r["Item"] = g.x.project(item)
			}
			responses[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Responses": responses}
	if cc := batchCapacity(in, units, true); cc != nil {
		out["ConsumedCapacity"] = cc
	}
	return out, nil
}
