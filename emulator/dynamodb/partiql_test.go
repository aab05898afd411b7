package dynamodb_test

import (
	"testing"
)

func TestPartiQLInsertSelectUpdateDelete(t *testing.T) {
	c := newClient(t)
	c.createTable("music", "sk", "N")
	c.must("ExecuteStatement", m{"Statement": `INSERT INTO "music" VALUE {'pk': 'acme', 'sk': 1, 'title': 'PartiQL Rocks', 'tags': <<'a', 'b'>>, 'meta': {'n': [1, TRUE, NULL]}}`})
	c.must("ExecuteStatement", m{"Statement": `INSERT INTO music VALUE {'pk': ?, 'sk': ?, 'title': ?}`,
		"Parameters": []any{S("acme"), N("2"), S("Second")}})
	c.must("ExecuteStatement", m{"Statement": `INSERT INTO music VALUE {'pk': 'other', 'sk': 1}`})
	c.fails("ExecuteStatement", m{"Statement": `INSERT INTO music VALUE {'pk': 'acme', 'sk': 1}`}, "DuplicateItemException", "Duplicate primary key exists in table")

	// full key: one item, projected
	out := c.must("ExecuteStatement", m{"Statement": `SELECT title, meta.n[1] FROM "music" WHERE pk = 'acme' AND sk = 1`})
	items := out["Items"].([]any)
	if len(items) != 1 || items[0].(m)["title"].(m)["S"] != "PartiQL Rocks" || items[0].(m)["meta"].(m)["M"].(m)["n"].(m)["L"].([]any)[0].(m)["BOOL"] != true {
		t.Fatalf("full-key select = %v", items)
	}
	// partition + comparison, parameters
	out = c.must("ExecuteStatement", m{"Statement": `SELECT * FROM music WHERE pk = ? AND sk >= ?`, "Parameters": []any{S("acme"), N("2")}})
	if items = out["Items"].([]any); len(items) != 1 || items[0].(m)["title"].(m)["S"] != "Second" {
		t.Fatalf("range select = %v", items)
	}
	// no key condition: a scan with a filter
	out = c.must("ExecuteStatement", m{"Statement": `SELECT pk FROM music WHERE sk = 1 OR begins_with(title, 'Sec')`})
	if items = out["Items"].([]any); len(items) != 3 {
		t.Fatalf("scan select = %v", items)
	}
	out = c.must("ExecuteStatement", m{"Statement": `SELECT * FROM music WHERE title IS MISSING`})
	if items = out["Items"].([]any); len(items) != 1 || items[0].(m)["pk"].(m)["S"] != "other" {
		t.Fatalf("IS MISSING = %v", items)
	}

	c.must("ExecuteStatement", m{"Statement": `UPDATE music SET title = 'Renamed', plays = 1 REMOVE meta WHERE pk = 'acme' AND sk = 1`})
	c.must("ExecuteStatement", m{"Statement": `UPDATE music SET plays = plays + ? WHERE pk = 'acme' AND sk = 1`, "Parameters": []any{N("2")}})
	got := c.must("GetItem", m{"TableName": "music", "Key": m{"pk": S("acme"), "sk": N("1")}})["Item"].(m)
	if got["title"].(m)["S"] != "Renamed" || got["plays"].(m)["N"] != "3" || got["meta"] != nil {
		t.Fatalf("after UPDATE: %v", got)
	}
	c.fails("ExecuteStatement", m{"Statement": `UPDATE music SET title = 'x' WHERE pk = 'nobody' AND sk = 1`}, "ConditionalCheckFailedException", "")
	c.fails("ExecuteStatement", m{"Statement": `UPDATE music SET title = 'x' WHERE pk = 'acme' AND sk = 1 AND plays > 10`}, "ConditionalCheckFailedException", "")
	c.fails("ExecuteStatement", m{"Statement": `UPDATE music SET title = 'x' WHERE pk = 'acme'`}, "ValidationException", "Where clause does not contain a mandatory equality on all key attributes")
	c.fails("ExecuteStatement", m{"Statement": `UPDATE music SET sk = 5 WHERE pk = 'acme' AND sk = 1`}, "ValidationException", "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key")

	c.must("ExecuteStatement", m{"Statement": `DELETE FROM music WHERE pk = 'nobody' AND sk = 1`}) // missing: success
	c.fails("ExecuteStatement", m{"Statement": `DELETE FROM music WHERE pk = 'acme' AND sk = 2 AND title = 'nope'`}, "ConditionalCheckFailedException", "")
	c.must("ExecuteStatement", m{"Statement": `DELETE FROM music WHERE pk = 'acme' AND sk = 2`})
	if _, ok := c.must("GetItem", m{"TableName": "music", "Key": m{"pk": S("acme"), "sk": N("2")}})["Item"]; ok {
		t.Fatal("DELETE left the item")
	}
}

func TestPartiQLErrors(t *testing.T) {
	c := newClient(t)
	c.createTable("tbl", "", "")
	for _, tc := range []struct{ stmt, code string }{
		{`SELEC * FROM tbl`, "ValidationException"},
		{`SELECT * FROM`, "ValidationException"},
		{`SELECT * FROM tbl WHERE pk = 'unterminated`, "ValidationException"},
		{`SELECT * FROM tbl WHERE pk = ?`, "ValidationException"}, // parameter count
		{`INSERT INTO tbl VALUE 'x'`, "ValidationException"},
		{`INSERT INTO tbl VALUE {'other': 'x'}`, "ValidationException"}, // missing key
		{`SELECT * FROM missing_table`, "ResourceNotFoundException"},
		{`SELECT * FROM tbl.noindex`, "ValidationException"},
		{`SELECT * FROM tbl WHERE ((((((((((((((((((((((((((((((((((pk = 'a'))))))))))))))))))))))))))))))))))`, "ValidationException"},
	} {
		c.fails("ExecuteStatement", m{"Statement": tc.stmt}, tc.code, "")
	}
}

func TestPartiQLSelectPagesWithLimit(t *testing.T) {
	c := newClient(t)
	c.createTable("tbl", "", "")
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		c.must("PutItem", m{"TableName": "tbl", "Item": m{"pk": S(k)}})
	}
	var seen []string
	in := m{"Statement": `SELECT * FROM tbl`, "Limit": int64(2)}
	for i := 0; i < 10; i++ {
		out := c.must("ExecuteStatement", in)
		for _, it := range out["Items"].([]any) {
			seen = append(seen, it.(m)["pk"].(m)["S"].(string))
		}
		tok, ok := out["NextToken"].(string)
		if !ok {
			break
		}
		in["NextToken"] = tok
	}
	if len(seen) != 5 {
		t.Fatalf("paged items = %v", seen)
	}
}

func TestBatchExecuteStatement(t *testing.T) {
	c := newClient(t)
	c.createTable("tbl", "", "")
	out := c.must("BatchExecuteStatement", m{"Statements": []any{
		m{"Statement": `INSERT INTO tbl VALUE {'pk': 'a', 'v': 1}`},
		m{"Statement": `INSERT INTO tbl VALUE {'pk': ?}`, "Parameters": []any{S("b")}},
		m{"Statement": `INSERT INTO tbl VALUE {'pk': 'a'}`},
		m{"Statement": `UPDATE tbl SET v = 2 WHERE pk = 'a' AND v = 5`, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
	}})
	rs := out["Responses"].([]any)
	if len(rs) != 4 || rs[0].(m)["Error"] != nil || rs[1].(m)["Error"] != nil || rs[0].(m)["TableName"] != "tbl" {
		t.Fatalf("responses = %v", rs)
	}
	if e := rs[2].(m)["Error"].(m); e["Code"] != "DuplicateItem" {
		t.Errorf("duplicate = %v", e)
	}
	if e := rs[3].(m)["Error"].(m); e["Code"] != "ConditionalCheckFailed" || e["Item"].(m)["v"].(m)["N"] != "1" {
		t.Errorf("condition = %v", e)
	}
	out = c.must("BatchExecuteStatement", m{"Statements": []any{
		m{"Statement": `SELECT * FROM tbl WHERE pk = 'a'`},
		m{"Statement": `SELECT * FROM tbl WHERE pk = 'zzz'`},
		m{"Statement": `SELECT * FROM tbl WHERE v = 1`},
	}})
	rs = out["Responses"].([]any)
	if rs[0].(m)["Item"].(m)["v"].(m)["N"] != "1" || rs[1].(m)["Item"] != nil || rs[1].(m)["Error"] != nil || rs[2].(m)["Error"].(m)["Code"] != "ValidationError" {
		t.Fatalf("reads = %v", rs)
	}
	c.fails("BatchExecuteStatement", m{"Statements": []any{
		m{"Statement": `SELECT * FROM tbl WHERE pk = 'a'`},
		m{"Statement": `DELETE FROM tbl WHERE pk = 'a'`},
	}}, "ValidationException", "")
}
