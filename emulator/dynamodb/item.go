package dynamodb

import (
	"context"
	"math"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
)

type nowFunc func() time.Time

// exprs is a request's parsed expressions, sharing one placeholder Env so
// unused placeholders are caught across all of them.
type exprs struct {
	env    *expr.Env
	cond   expr.Cond // ConditionExpression or legacy Expected
	filter expr.Cond // FilterExpression or legacy QueryFilter/ScanFilter
	proj   []expr.Path
	update *expr.Update
}

// exprSpec names which expression members an operation accepts.
type exprSpec struct {
	condition, filter, projection, update, keyCondition bool
}

// parseExprs parses the expression members of in. Legacy members are
// translated (legacy.go) and may not be mixed with expressions.
func parseExprs(in map[string]any, spec exprSpec) (*exprs, error) {
	var exprNames, legacyNames []string
	check := func(member string, legacy bool) bool {
		if _, ok := in[member]; !ok {
			return false
		}
		if legacy {
			legacyNames = append(legacyNames, member)
		} else {
			exprNames = append(exprNames, member)
		}
		return true
	}
	check("ConditionExpression", false)
	check("FilterExpression", false)
	check("ProjectionExpression", false)
	check("UpdateExpression", false)
	check("KeyConditionExpression", false)
	for _, m := range []string{"Expected", "AttributesToGet", "AttributeUpdates", "QueryFilter", "ScanFilter", "KeyConditions", "ConditionalOperator"} {
		check(m, true)
	}
	if len(exprNames) > 0 && len(legacyNames) > 0 {
		return nil, validationf("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {%s} Expression parameters: {%s}", join(legacyNames), join(exprNames))
	}
	names, values := in["ExpressionAttributeNames"], in["ExpressionAttributeValues"]
	if len(exprNames) == 0 {
		if names != nil {
			return nil, validationf("ExpressionAttributeNames can only be specified when using expressions")
		}
		if values != nil {
			return nil, validationf("ExpressionAttributeValues can only be specified when using expressions")
		}
	}
	env, err := expr.NewEnv(names, values)
	if err != nil {
		return nil, apiError(err)
	}
	x := &exprs{env: env}
	if s, ok := in["ConditionExpression"].(string); ok && spec.condition {
		if x.cond, err = expr.ParseCondition("ConditionExpression", s, env); err != nil {
			return nil, apiError(err)
		}
	}
	if s, ok := in["FilterExpression"].(string); ok && spec.filter {
		if x.filter, err = expr.ParseCondition("FilterExpression", s, env); err != nil {
			return nil, apiError(err)
		}
	}
	if s, ok := in["ProjectionExpression"].(string); ok && spec.projection {
		if x.proj, err = expr.ParseProjection(s, env); err != nil {
			return nil, apiError(err)
		}
	}
	if s, ok := in["UpdateExpression"].(string); ok && spec.update {
		if x.update, err = expr.ParseUpdate(s, env); err != nil {
			return nil, apiError(err)
		}
	}
	if err := x.legacy(in, spec); err != nil {
		return nil, err
	}
	if !spec.keyCondition { // Query checks after parsing its key condition
		if err := env.CheckUnused(); err != nil {
			return nil, apiError(err)
		}
	}
	return x, nil
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// project applies a ProjectionExpression (nil: the whole item).
func (x *exprs) project(item expr.Item) expr.Item {
	if item == nil || x.proj == nil {
		return item
	}
	return expr.Project(item, x.proj)
}

// capacity computes consumed capacity units as DynamoDB rounds them: reads
// per 4 KB (half for eventually consistent), writes per 1 KB, at least one.
func readUnits(size int, consistent bool) float64 {
	u := math.Ceil(float64(size) / 4096)
	if u < 1 {
		u = 1
	}
	if !consistent {
		u /= 2
	}
	return u
}

func writeUnits(size int) float64 {
	u := math.Ceil(float64(size) / 1024)
	if u < 1 {
		u = 1
	}
	return u
}

// consumed renders ConsumedCapacity for ReturnConsumedCapacity.
func consumed(in map[string]any, tableName string, units float64, read bool) map[string]any {
	mode := str(in, "ReturnConsumedCapacity")
	if mode != "TOTAL" && mode != "INDEXES" {
		return nil
	}
	c := map[string]any{"TableName": tableName, "CapacityUnits": units}
	if read {
		c["ReadCapacityUnits"] = units
	} else {
		c["WriteCapacityUnits"] = units
	}
	if mode == "INDEXES" {
		c["Table"] = map[string]any{"CapacityUnits": units}
	}
	return c
}

func withCapacity(out map[string]any, cc map[string]any) map[string]any {
	if cc != nil {
		out["ConsumedCapacity"] = cc
	}
	return out
}

func (t *table) now(req *emulator.Request) nowFunc { return req.Clock.Now }

func putItem(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	t, err := getTable(req, str(in, "TableName"))
	if err != nil {
		return nil, err
	}
	rv := str(in, "ReturnValues")
	if rv != "" && rv != "NONE" && rv != "ALL_OLD" {
		return nil, validationf("ReturnValues can only be ALL_OLD or NONE")
	}
	item, _ := in["Item"].(map[string]any)
	key, err := t.itemKey(item)
	if err != nil {
		return nil, err
	}
	x, err := parseExprs(in, exprSpec{condition: true})
	if err != nil {
		return nil, err
	}
	item = expr.CanonicalItem(item)
	var old expr.Item
	var icm map[string]any
	err = req.Store.Update(func(tx *store.Tx) error {
		if old, err = readItem(tx, t, key, t.now(req)); err != nil {
			return err
		}
		if x.cond != nil && !expr.Eval(x.cond, old) {
			return conditionFailed(onFailure(in, old))
		}
		if err := writeItem(tx, req, t, key, old, item); err != nil {
			return err
		}
		icm, err = collectionMetrics(tx, in, t, item)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if rv == "ALL_OLD" && old != nil {
		out["Attributes"] = old
	}
	if icm != nil {
		out["ItemCollectionMetrics"] = icm
	}
	return withCapacity(out, writeConsumed(in, t, indexWriteUnits(t, old, item))), nil
}

// onFailure is the item returned in ConditionalCheckFailedException when
// ReturnValuesOnConditionCheckFailure is ALL_OLD.
func onFailure(in map[string]any, old expr.Item) expr.Item {
	if str(in, "ReturnValuesOnConditionCheckFailure") == "ALL_OLD" {
		return old
	}
	return nil
}

func getItem(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	t, err := getTable(req, str(in, "TableName"))
	if err != nil {
		return nil, err
	}
	key, err := t.keyOf(obj(in, "Key"))
	if err != nil {
		return nil, err
	}
	x, err := parseExprs(in, exprSpec{projection: true})
	if err != nil {
		return nil, err
	}
	var item expr.Item
	err = req.Store.View(func(tx *store.Tx) error {
		item, err = readItem(tx, t, key, t.now(req))
		return err
	})
	if err != nil {
		return nil, err
	}
	consistent, _ := in["ConsistentRead"].(bool)
	out := map[string]any{}
	if item != nil {
		out["Item"] = x.project(item)
	}
	return withCapacity(out, consumed(in, t.Name, readUnits(expr.ItemSize(item), consistent), true)), nil
}

func deleteItem(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	t, err := getTable(req, str(in, "TableName"))
	if err != nil {
		return nil, err
	}
	rv := str(in, "ReturnValues")
	if rv != "" && rv != "NONE" && rv != "ALL_OLD" {
		return nil, validationf("ReturnValues can only be ALL_OLD or NONE")
	}
	key, err := t.keyOf(obj(in, "Key"))
	if err != nil {
		return nil, err
	}
	x, err := parseExprs(in, exprSpec{condition: true})
	if err != nil {
		return nil, err
	}
	var old expr.Item
	var icm map[string]any
	err = req.Store.Update(func(tx *store.Tx) error {
		if old, err = readItem(tx, t, key, t.now(req)); err != nil {
			return err
		}
		if x.cond != nil && !expr.Eval(x.cond, old) {
			return conditionFailed(onFailure(in, old))
		}
		if err := writeItem(tx, req, t, key, old, nil); err != nil {
			return err
		}
		// The collection is the deleted key's, whether or not an item was
		// there.
		icm, err = collectionMetrics(tx, in, t, expr.Item(obj(in, "Key")))
		return err
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if rv == "ALL_OLD" && old != nil {
		out["Attributes"] = old
	}
	if icm != nil {
		out["ItemCollectionMetrics"] = icm
	}
	return withCapacity(out, writeConsumed(in, t, indexWriteUnits(t, old, nil))), nil
}

// checkKeyUpdate rejects updates that touch key attributes.
func checkKeyUpdate(t *table, u *expr.Update) error {
	for _, p := range u.Paths() {
		for _, k := range t.keyNames() {
			if p[0].Name == k {
				return validationf("One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key", k)
			}
		}
	}
	return nil
}

func updateItem(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	t, err := getTable(req, str(in, "TableName"))
	if err != nil {
		return nil, err
	}
	rv := str(in, "ReturnValues")
	switch rv {
	case "", "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW":
	default:
		return nil, validationf("1 validation error detected: Value '%s' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]", rv)
	}
	keyAV := obj(in, "Key")
	key, err := t.keyOf(keyAV)
	if err != nil {
		return nil, err
	}
	x, err := parseExprs(in, exprSpec{condition: true, update: true})
	if err != nil {
		return nil, err
	}
	if x.update != nil {
		if err := checkKeyUpdate(t, x.update); err != nil {
			return nil, err
		}
	}
	var old, item expr.Item
	var icm map[string]any
	err = req.Store.Update(func(tx *store.Tx) error {
		if old, err = readItem(tx, t, key, t.now(req)); err != nil {
			return err
		}
		if x.cond != nil && !expr.Eval(x.cond, old) {
			return conditionFailed(onFailure(in, old))
		}
		item, err = applyUpdate(t, x.update, old, keyAV)
		if err != nil {
			return err
		}
		if err := writeItem(tx, req, t, key, old, item); err != nil {
			return err
		}
		icm, err = collectionMetrics(tx, in, t, item)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	var attrs expr.Item
	switch rv {
	case "ALL_OLD":
		attrs = old
	case "ALL_NEW":
		attrs = item
	case "UPDATED_OLD", "UPDATED_NEW":
		src := old
		if rv == "UPDATED_NEW" {
			src = item
		}
		if src != nil && x.update != nil {
			attrs = expr.Project(src, x.update.Paths())
		}
	}
	if len(attrs) > 0 {
		out["Attributes"] = attrs
	}
	if icm != nil {
		out["ItemCollectionMetrics"] = icm
	}
	return withCapacity(out, writeConsumed(in, t, indexWriteUnits(t, old, item))), nil
}

// applyUpdate computes the new item: an update of a missing item starts from
// its key; the result is validated like a PutItem.
func applyUpdate(t *table, u *expr.Update, old expr.Item, key map[string]any) (expr.Item, error) {
	base := old
	if base == nil {
		base = expr.CopyItem(key)
	}
	item := expr.CopyItem(base)
	if u != nil {
		var err error
		if item, err = u.Apply(base); err != nil {
			return nil, apiError(err)
		}
	}
	item = expr.CanonicalItem(item)
	if _, err := t.itemKey(item); err != nil {
		return nil, err
	}
	return item, nil
}
