package dynamodb

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

const (
	codeDuplicateItem   = "DuplicateItemException"
	maxBatchStatements  = 25
	msgMissingKeyEquals = "Where clause does not contain a mandatory equality on all key attributes"
)

func executeStatement(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	params, _ := in["Parameters"].([]any)
	s, err := parsePartiQL(str(in, "Statement"), params)
	if err != nil {
		return nil, err
	}
	t, err := getTable(req, s.Table)
	if err != nil {
		return nil, err
	}
	if s.Kind == "SELECT" {
		return execSelect(req, t, s, in)
	}
	if s.Index != "" {
		return nil, validationf("Unsupported operation: %s on an index is not supported", s.Kind)
	}
	var size int
	err = req.Store.Update(func(tx *store.Tx) error {
		size, err = execWrite(tx, req, t, s, str(in, "ReturnValuesOnConditionCheckFailure"))
		return err
	})
	if err != nil {
		return nil, err
	}
	return withCapacity(map[string]any{"Items": []any{}}, consumed(in, t.Name, writeUnits(size), false)), nil
}

// fullKey returns the key the WHERE clause pins with equalities, or nil.
func fullKey(t *table, where expr.Cond) map[string]any {
	eq := map[string]any{}
	if where != nil {
		keyEqualities(where, eq)
	}
	key := map[string]any{}
	for _, k := range t.keyNames() {
		v, ok := eq[k]
		if !ok {
			return nil
		}
		key[k] = v
	}
	return key
}

// execWrite runs INSERT, UPDATE or DELETE in tx and returns the size for
// capacity accounting.
func execWrite(tx *store.Tx, req *emulator.Request, t *table, s *pqlStmt, onFail string) (int, error) {
	now := t.now(req)
	failed := func(old expr.Item) error {
		if onFail == "ALL_OLD" {
			return conditionFailed(old)
		}
		return conditionFailed(nil)
	}
	switch s.Kind {
	case "INSERT":
		item := expr.CanonicalItem(s.Item)
		key, err := t.itemKey(item)
		if err != nil {
			return 0, err
		}
		old, err := readItem(tx, t, key, now)
		if err != nil {
			return 0, err
		}
		if old != nil {
			return 0, emulator.Errorf(codeDuplicateItem, http.StatusBadRequest, "Duplicate primary key exists in table")
		}
		return expr.ItemSize(item), writeItem(tx, req, t, key, nil, item)
	case "UPDATE", "DELETE":
		keyAV := fullKey(t, s.Where)
		if keyAV == nil {
			return 0, validationf(msgMissingKeyEquals)
		}
		key, err := t.keyOf(keyAV)
		if err != nil {
			return 0, err
		}
		old, err := readItem(tx, t, key, now)
		if err != nil {
			return 0, err
		}
		if s.Kind == "DELETE" {
			// Deleting a missing item succeeds with nothing deleted.
			if old == nil {
				return 0, nil
			}
			if !expr.Eval(s.Where, old) {
				return 0, failed(old)
			}
			return expr.ItemSize(old), writeItem(tx, req, t, key, old, nil)
		}
		if old == nil || !expr.Eval(s.Where, old) {
			return 0, failed(old)
		}
		if err := checkKeyUpdate(t, s.Update); err != nil {
			return 0, err
		}
		item, err := applyUpdate(t, s.Update, old, keyAV)
		if err != nil {
			return 0, err
		}
		return max(expr.ItemSize(item), expr.ItemSize(old)), writeItem(tx, req, t, key, old, item)
	}
	return 0, validationf("Unsupported operation: %s", s.Kind)
}

// execSelect reads the item a full key names, or scans the table (or index)
// in key order evaluating WHERE; Limit caps the items evaluated, and
// NextToken resumes after the last one.
func execSelect(req *emulator.Request, t *table, s *pqlStmt, in map[string]any) (map[string]any, error) {
	var ix *index
	if s.Index != "" {
		if ix = t.index(s.Index); ix == nil {
			return nil, validationf("The table does not have the specified index: %s", s.Index)
		}
	}
	limit := int64(-1)
	if l, ok := i64(in, "Limit"); ok {
		if l < 1 {
			return nil, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", l)
		}
		limit = l
	}
	start := ""
	if tok := str(in, "NextToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(b) == 0 {
			return nil, validationf("The provided starting key is invalid: Invalid NextToken")
		}
		start = string(b)
	}
	now := t.now(req)
	items := []any{}
	out := map[string]any{}
	size := 0
	keep := func(item expr.Item) {
		size += expr.ItemSize(item)
		if s.Where == nil || expr.Eval(s.Where, item) {
			if s.Proj != nil {
				item = expr.Project(item, s.Proj)
			}
			items = append(items, item)
		}
	}
	err := req.Store.View(func(tx *store.Tx) error {
		if key := fullKey(t, s.Where); key != nil && ix == nil && start == "" {
			k, err := t.keyOf(key)
			if err != nil {
				return err
			}
			item, err := readItem(tx, t, k, now)
			if err != nil || item == nil {
				return err
			}
			keep(item)
			return nil
		}
		bucket := itemsBucket(t.Name)
		if ix != nil {
			bucket = indexBucket(t.Name, ix.Name)
		}
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		base := tx.Bucket(itemsBucket(t.Name))
		c := b.Cursor()
		k, v, ok := c.First()
		if start != "" {
			if k, v, ok = c.Seek(start); ok && k == start {
				k, v, ok = c.Next()
			}
		}
		var n int64
		for ; ok; k, v, ok = c.Next() {
			if n == limit {
				out["NextToken"] = base64.RawURLEncoding.EncodeToString([]byte(start))
				return nil
			}
			if ix != nil {
				if base == nil {
					return nil
				}
				v = base.Get(string(v))
				if v == nil {
					continue
				}
			}
			item, err := decodeItem(v)
			if err != nil {
				return err
			}
			start = k
			if t.expired(item, now()) {
				continue
			}
			n++
			keep(item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out["Items"] = items
	return withCapacity(out, consumed(in, t.Name, readUnits(size, in["ConsistentRead"] == true), true)), nil
}

// batchErrorCodes maps API error codes to BatchStatementError codes.
var batchErrorCodes = map[string]string{
	codeConditionalFailed: "ConditionalCheckFailed",
	codeDuplicateItem:     "DuplicateItem",
	codeNotFound:          "ResourceNotFound",
	codeValidation:        "ValidationError",
	codeTxConflict:        "TransactionConflict",
}

func batchExecuteStatement(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	stmts, _ := in["Statements"].([]any)
	if len(stmts) == 0 {
		return nil, validationf("1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(stmts) > maxBatchStatements {
		return nil, validationf("1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to %d", maxBatchStatements)
	}
	type parsed struct {
		s   *pqlStmt
		err error
		in  map[string]any
	}
	ps := make([]parsed, len(stmts))
	reads, writes := 0, 0
	for i, e := range stmts {
		m, _ := e.(map[string]any)
		params, _ := m["Parameters"].([]any)
		s, err := parsePartiQL(str(m, "Statement"), params)
		ps[i] = parsed{s, err, m}
		if err == nil {
			if s.Kind == "SELECT" {
				reads++
			} else {
				writes++
			}
		}
	}
	if reads > 0 && writes > 0 {
		return nil, validationf("Unsupported operation: Batch must contain either all read statements or all write statements")
	}
	responses := make([]any, len(ps))
	for i, p := range ps {
		resp := map[string]any{}
		responses[i] = resp
		err := p.err
		var t *table
		if err == nil {
			resp["TableName"] = p.s.Table
			t, err = getTable(req, p.s.Table)
		}
		if err == nil {
			if p.s.Kind == "SELECT" {
				if fullKey(t, p.s.Where) == nil || p.s.Index != "" {
					err = validationf("Select statements within BatchExecuteStatement must specify the full primary key")
				} else {
					var out map[string]any
					if out, err = execSelect(req, t, p.s, map[string]any{}); err == nil {
						if l := out["Items"].([]any); len(l) > 0 {
							resp["Item"] = l[0]
						}
					}
				}
			} else {
				err = req.Store.Update(func(tx *store.Tx) error {
					_, err := execWrite(tx, req, t, p.s, str(p.in, "ReturnValuesOnConditionCheckFailure"))
					return err
				})
			}
		}
		if err != nil {
			var ae *protocol.APIError
			if !errors.As(err, &ae) {
				return nil, err
			}
			code, ok := batchErrorCodes[ae.Code]
			if !ok {
				code = "InternalServerError"
			}
			be := map[string]any{"Code": code, "Message": ae.Message}
			if item, ok := ae.Fields["Item"]; ok {
				be["Item"] = item
			}
			resp["Error"] = be
		}
	}
	return map[string]any{"Responses": responses}, nil
}
