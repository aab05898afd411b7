package dynamodb

import (
	"context"
	"errors"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// maxTransactStatements is ExecuteTransaction's limit, as TransactWriteItems'.
const maxTransactStatements = 100

// txStmt is one parsed statement of an ExecuteTransaction.
type txStmt struct {
	s   *pqlStmt
	in  map[string]any
	t   *table
	key string
}

// executeTransaction runs PartiQL statements all or nothing. A transaction
// is all reads (SELECTs naming a full primary key, answered one Responses
// entry per statement) or all writes (INSERT, UPDATE, DELETE, answered with
// an empty Responses list); no two statements may touch one item. Writes
// run in one store transaction: any statement that fails (a condition in
// WHERE, an INSERT over an existing item, an invalid update) cancels them
// all with TransactionCanceledException and CancellationReasons in
// statement order, as TransactWriteItems does.
func executeTransaction(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	raw := list(in, "TransactStatements")
	if len(raw) == 0 {
		return nil, validationf("1 validation error detected: Value '[]' at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(raw) > maxTransactStatements {
		return nil, validationf("1 validation error detected: Value at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to %d", maxTransactStatements)
	}
	stmts := make([]*txStmt, len(raw))
	reads, writes := 0, 0
	seen := map[string]bool{}
	for i, e := range raw {
		m, _ := e.(map[string]any)
		params, _ := m["Parameters"].([]any)
		s, err := parsePartiQL(str(m, "Statement"), params)
		if err != nil {
			return nil, err
		}
		if s.Kind == "SELECT" {
			reads++
		} else {
			writes++
		}
		t, err := getTable(req, s.Table)
		if err != nil {
			return nil, err
		}
		st := &txStmt{s: s, in: m, t: t}
		if s.Index != "" {
			return nil, validationf("Unsupported operation: %s on an index is not supported", s.Kind)
		}
		if s.Kind == "INSERT" {
			if st.key, err = t.itemKey(expr.CanonicalItem(s.Item)); err != nil {
				return nil, err
			}
		} else {
			keyAV := fullKey(t, s.Where)
			if keyAV == nil {
				if s.Kind == "SELECT" {
					return nil, validationf("Select statements within ExecuteTransaction must specify the full primary key")
				}
				return nil, validationf(msgMissingKeyEquals)
			}
			if st.key, err = t.keyOf(keyAV); err != nil {
				return nil, err
			}
		}
		id := t.Name + "\x00" + st.key
		if seen[id] {
			return nil, validationf("Transaction request cannot include multiple operations on one item")
		}
		seen[id] = true
		stmts[i] = st
	}
	if reads > 0 && writes > 0 {
		return nil, validationf("Unsupported operation: Transaction must contain either all read statements or all write statements")
	}
	if reads > 0 {
		return txReads(req, in, stmts)
	}
	return txWrites(req, in, raw, stmts)
}

func txReads(req *emulator.Request, in map[string]any, stmts []*txStmt) (map[string]any, error) {
	units := map[string]float64{}
	responses := make([]any, len(stmts))
	err := req.Store.View(func(tx *store.Tx) error {
		for i, st := range stmts {
			item, err := readItem(tx, st.t, st.key, st.t.now(req))
			if err != nil {
				return err
			}
			units[st.t.Name] += 2 * readUnits(expr.ItemSize(item), true)
			r := map[string]any{}
			if item != nil && (st.s.Where == nil || expr.Eval(st.s.Where, item)) {
				if st.s.Proj != nil {
					item = expr.Project(item, st.s.Proj)
				}
				r["Item"] = item
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

func txWrites(req *emulator.Request, in map[string]any, raw []any, stmts []*txStmt) (map[string]any, error) {
	tok := newIdemToken(in, "ExecuteTransaction\x00", raw, req.Clock.Now())
	units := map[string]float64{}
	replayed := false
	err := req.Store.Update(func(tx *store.Tx) error {
		var err error
		if replayed, err = tok.replayed(tx); err != nil || replayed {
			return err
		}
		reasons := make([]any, len(stmts))
		codes := make([]string, len(stmts))
		failed := false
		for i, st := range stmts {
			// Every statement is evaluated, so each gets its reason; a
			// cancelled transaction's writes roll back with the store
			// transaction.
			size, err := execWrite(tx, req, st.t, st.s, str(st.in, "ReturnValuesOnConditionCheckFailure"))
			r := map[string]any{"Code": "None"}
			if err != nil {
				var ae *protocol.APIError
				if !errors.As(err, &ae) {
					return err
				}
				code, ok := batchErrorCodes[ae.Code]
				if !ok {
					return err
				}
				r = map[string]any{"Code": code, "Message": ae.Message}
				if item, ok := ae.Fields["Item"]; ok && item != nil {
					r["Item"] = item
				}
				failed = true
			}
			reasons[i], codes[i] = r, r["Code"].(string)
			units[st.t.Name] += 2 * writeUnits(max(size, 1))
		}
		if failed {
			e := emulator.Errorf(codeTxCanceled, 400, "Transaction cancelled, please refer cancellation reasons for specific reasons [%s]", strings.Join(codes, ", "))
			e.Fields = map[string]any{"CancellationReasons": reasons}
			return e
		}
		return tok.record(tx)
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Responses": []any{}}
	if cc := batchCapacity(in, units, false); cc != nil && !replayed {
		out["ConsumedCapacity"] = cc
	}
	return out, nil
}
