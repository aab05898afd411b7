package dynamodb_test

import (
	"testing"
)

func txStmts(stmts ...string) m {
	l := make([]any, len(stmts))
	for i, s := range stmts {
		l[i] = m{"Statement": s}
	}
	return m{"TransactStatements": l}
}

// A transaction of writes applies every statement and answers an empty
// Responses list (not one entry per statement).
func TestExecuteTransactionWritesApplyAllAndAnswerEmptyResponses(t *testing.T) {
	c := newClient(t)
	c.createTable("txt", "", "")
	c.must("PutItem", m{"TableName": "txt", "Item": m{"pk": S("upd"), "a": N("1")}})
	c.must("PutItem", m{"TableName": "txt", "Item": m{"pk": S("del")}})
	in := txStmts(`INSERT INTO "txt" VALUE {'pk': 'new', 'a': 7}`,
		`UPDATE "txt" SET a = a + 1 WHERE pk = 'upd'`,
		`DELETE FROM "txt" WHERE pk = 'del'`)
	in["ReturnConsumedCapacity"] = "TOTAL"
	out := c.must("ExecuteTransaction", in)
	if r, ok := out["Responses"].([]any); !ok || len(r) != 0 {
		t.Fatalf("Responses %v", out["Responses"])
	}
	if cc := out["ConsumedCapacity"].([]any); len(cc) != 1 || cc[0].(m)["TableName"] != "txt" {
		t.Fatalf("ConsumedCapacity %v", cc)
	}
	if it := c.must("GetItem", m{"TableName": "txt", "Key": m{"pk": S("new")}})["Item"]; it == nil {
		t.Fatal("INSERT not applied")
	}
	if a := c.must("GetItem", m{"TableName": "txt", "Key": m{"pk": S("upd")}})["Item"].(m)["a"].(m)["N"]; a != "2" {
		t.Fatalf("UPDATE: a = %v", a)
	}
	if it := c.must("GetItem", m{"TableName": "txt", "Key": m{"pk": S("del")}})["Item"]; it != nil {
		t.Fatal("DELETE not applied")
	}
}

// One failing statement cancels the whole transaction; every statement's
// reason is reported in order, and nothing is written.
func TestExecuteTransactionIsAllOrNothingWithCancellationReasons(t *testing.T) {
	c := newClient(t)
	c.createTable("txt", "", "")
	c.must("PutItem", m{"TableName": "txt", "Item": m{"pk": S("dup"), "a": N("1")}})
	c.must("PutItem", m{"TableName": "txt", "Item": m{"pk": S("cond"), "a": N("1")}})
	in := txStmts(`INSERT INTO "txt" VALUE {'pk': 'fresh'}`,
		`INSERT INTO "txt" VALUE {'pk': 'dup'}`,
		`UPDATE "txt" SET a = 5 WHERE pk = 'cond' AND a = 2`)
	in["TransactStatements"].([]any)[2].(m)["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
	ae := c.fails("ExecuteTransaction", in, "TransactionCanceledException",
		"Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, ConditionalCheckFailed]")
	reasons := ae.Fields["CancellationReasons"].([]any)
	if len(reasons) != 3 {
		t.Fatalf("reasons %v", reasons)
	}
	want := []string{"None", "DuplicateItem", "ConditionalCheckFailed"}
	for i, r := range reasons {
		if r.(m)["Code"] != want[i] {
			t.Fatalf("reason %d: %v", i, r)
		}
	}
	if reasons[1].(m)["Message"] != "Duplicate primary key exists in table" {
		t.Fatalf("duplicate message %v", reasons[1])
	}
	if it, _ := reasons[2].(m)["Item"].(m); it == nil || it["a"].(m)["N"] != "1" {
		t.Fatalf("ALL_OLD item %v", reasons[2])
	}
	if it := c.must("GetItem", m{"TableName": "txt", "Key": m{"pk": S("fresh")}})["Item"]; it != nil {
		t.Fatal("cancelled transaction wrote its first statement")
	}
}

// A transaction of reads answers one entry per statement, in order; a
// missing item is an empty entry.
func TestExecuteTransactionReadsAnswerOneResponsePerStatement(t *testing.T) {
	c := newClient(t)
	c.createTable("txt", "sk", "N")
	c.must("PutItem", m{"TableName": "txt", "Item": m{"pk": S("a"), "sk": N("1"), "v": S("x"), "w": S("y")}})
	out := c.must("ExecuteTransaction", txStmts(`SELECT v FROM "txt" WHERE pk = 'a' AND sk = 1`, `SELECT * FROM "txt" WHERE pk = 'b' AND sk = 1`))
	r := out["Responses"].([]any)
	if len(r) != 2 {
		t.Fatalf("Responses %v", r)
	}
	item := r[0].(m)["Item"].(m)
	if item["v"].(m)["S"] != "x" || item["w"] != nil {
		t.Fatalf("projected item %v", item)
	}
	if r[1].(m)["Item"] != nil {
		t.Fatalf("missing item %v", r[1])
	}
}

func TestExecuteTransactionRefusals(t *testing.T) {
	c := newClient(t)
	c.createTable("txt", "", "")
	cases := []struct {
		name, code, msg string
		in              m
	}{
		{"reads and writes mixed", "ValidationException", "Unsupported operation: Transaction must contain either all read statements or all write statements",
			txStmts(`SELECT * FROM "txt" WHERE pk = 'a'`, `INSERT INTO "txt" VALUE {'pk': 'b'}`)},
		{"two statements on one item", "ValidationException", "Transaction request cannot include multiple operations on one item",
			txStmts(`INSERT INTO "txt" VALUE {'pk': 'a'}`, `UPDATE "txt" SET v = 1 WHERE pk = 'a'`)},
		{"select without the full key", "ValidationException", "Select statements within ExecuteTransaction must specify the full primary key",
			txStmts(`SELECT * FROM "txt" WHERE v = 1`)},
		{"update without the key", "ValidationException", "Where clause does not contain a mandatory equality on all key attributes",
			txStmts(`UPDATE "txt" SET v = 1 WHERE v = 2`)},
		{"missing table", "ResourceNotFoundException", "", txStmts(`INSERT INTO "nope" VALUE {'pk': 'a'}`)},
		{"empty", "ValidationException", "", m{"TransactStatements": []any{}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { c.fails("ExecuteTransaction", tc.in, tc.code, tc.msg) })
	}
}

// The same ClientRequestToken within ten minutes replays the outcome and
// does not apply the writes twice; other statements under it mismatch.
func TestExecuteTransactionClientRequestTokenIsIdempotent(t *testing.T) {
	c := newClient(t)
	c.createTable("txt", "", "")
	c.must("PutItem", m{"TableName": "txt", "Item": m{"pk": S("n"), "a": N("0")}})
	in := txStmts(`UPDATE "txt" SET a = a + 1 WHERE pk = 'n'`)
	in["ClientRequestToken"] = "tok-1"
	c.must("ExecuteTransaction", in)
	c.must("ExecuteTransaction", in)
	if a := c.must("GetItem", m{"TableName": "txt", "Key": m{"pk": S("n")}})["Item"].(m)["a"].(m)["N"]; a != "1" {
		t.Fatalf("a = %v after a replayed token", a)
	}
	other := txStmts(`UPDATE "txt" SET a = a + 2 WHERE pk = 'n'`)
	other["ClientRequestToken"] = "tok-1"
	c.fails("ExecuteTransaction", other, "IdempotentParameterMismatchException", "")
}
