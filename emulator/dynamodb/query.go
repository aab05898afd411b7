package dynamodb

import (
	"bytes"
	"context"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// pageLimit is DynamoDB's 1 MB cap on the data a Query or Scan reads per
// call (measured before the filter).
const pageLimit = 1 << 20

// keyCond is a parsed KeyConditionExpression: hash equality and an optional
// range condition.
type keyCond struct {
	hash     any
	rangeOp  string // "", "=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"
	rangeArg []any
}

// source is what a Query/Scan reads: the table or one of its indexes.
type source struct {
	t  *table
	ix *index // nil: the table
}

func (s source) keys() []keyElem {
	if s.ix != nil {
		return s.ix.Keys
	}
	return s.t.Keys
}

func resolveSource(t *table, in map[string]any) (source, error) {
	name, ok := in["IndexName"].(string)
	if !ok {
		return source{t: t}, nil
	}
	ix := t.index(name)
	if ix == nil {
		return source{}, validationf("The table does not have the specified index: %s", name)
	}
	return source{t: t, ix: ix}, nil
}

func parseKeyCondition(src source, in map[string]any, x *exprs) (*keyCond, error) {
	keys := src.keys()
	var conds []expr.Cond
	if s, ok := in["KeyConditionExpression"].(string); ok {
		c, err := expr.ParseCondition("KeyConditionExpression", s, x.env)
		if err != nil {
			return nil, apiError(err)
		}
		var split func(c expr.Cond) error
		split = func(c expr.Cond) error {
			switch n := c.(type) {
			case *expr.Logic:
				if n.Op != "AND" {
					return validationf("Invalid operator used in KeyConditionExpression: OR")
				}
				if err := split(n.L); err != nil {
					return err
				}
				return split(n.R)
			case *expr.Not:
				return validationf("Invalid operator used in KeyConditionExpression: NOT")
			}
			conds = append(conds, c)
			return nil
		}
		if err := split(c); err != nil {
			return nil, err
		}
	} else if m := obj(in, "KeyConditions"); m != nil {
		for _, name := range sortedNames(m) {
			c, _ := m[name].(map[string]any)
			cond, err := legacyCondition(name, c, false)
			if err != nil {
				return nil, err
			}
			conds = append(conds, cond)
		}
	} else {
		return nil, validationf("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	if err := x.env.CheckUnused(); err != nil {
		return nil, apiError(err)
	}
	kc := &keyCond{}
	seen := map[string]bool{}
	for _, c := range conds {
		var attr string
		var op string
		var args []expr.Operand
		switch n := c.(type) {
		case *expr.Comparison:
			p, ok := n.L.(expr.Path)
			if !ok {
				return nil, validationf("Invalid KeyConditionExpression: The left operand must be a document path")
			}
			attr, op, args = p[0].Name, n.Op, []expr.Operand{n.R}
			if len(p) != 1 {
				return nil, validationf("Invalid KeyConditionExpression: Nested attributes are not supported in key conditions")
			}
		case *expr.Between:
			p, ok := n.V.(expr.Path)
			if !ok {
				return nil, validationf("Query key condition not supported")
			}
			attr, op, args = p[0].Name, "BETWEEN", []expr.Operand{n.Lo, n.Hi}
		case *expr.FuncCond:
			if n.Name != "begins_with" {
				return nil, validationf("Invalid KeyConditionExpression: Invalid function name; function: %s", n.Name)
			}
			attr, op, args = n.Args[0].(expr.Path)[0].Name, "begins_with", n.Args[1:]
		default:
			return nil, validationf("Query key condition not supported")
		}
		if op == "<>" {
			return nil, validationf("Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: <>")
		}
		var vals []any
		for _, a := range args {
			v, ok := a.(*expr.ValueRef)
			if !ok {
				return nil, validationf("Invalid KeyConditionExpression: The right operand must be a value placeholder")
			}
			vals = append(vals, v.Value)
		}
		if seen[attr] {
			return nil, validationf("KeyConditionExpressions must only contain one condition per key")
		}
		seen[attr] = true
		switch {
		case attr == keys[0].Name:
			if op != "=" {
				return nil, validationf("Query key condition not supported")
			}
			kc.hash = vals[0]
		case len(keys) > 1 && attr == keys[1].Name:
			kc.rangeOp, kc.rangeArg = op, vals
		default:
			return nil, validationf("Query condition missed key schema element: %s", keys[0].Name)
		}
		for _, v := range vals {
			typ, _, _ := expr.Type(v)
			if want := src.t.AttrDefs[attr]; typ != want {
				return nil, validationf("One or more parameter values were invalid: Condition parameter type does not match schema type")
			}
		}
		if op == "begins_with" && src.t.AttrDefs[attr] == expr.TN {
			return nil, validationf("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: NUMBER")
		}
	}
	if kc.hash == nil {
		return nil, validationf("Query condition missed key schema element: %s", keys[0].Name)
	}
	return kc, nil
}

// rangeMatch reports whether an item's range key satisfies the condition.
func (kc *keyCond) rangeMatch(v any) bool {
	if kc.rangeOp == "" {
		return true
	}
	c, ok := expr.Compare(v, kc.rangeArg[0])
	if !ok {
		return false
	}
	switch kc.rangeOp {
	case "=":
		return c == 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "BETWEEN":
		c2, _ := expr.Compare(v, kc.rangeArg[1])
		return c >= 0 && c2 <= 0
	case "begins_with":
		_, a, _ := expr.Type(v)
		_, p, _ := expr.Type(kc.rangeArg[0])
		switch a := a.(type) {
		case string:
			ps, _ := p.(string)
			return strings.HasPrefix(a, ps)
		case []byte:
			pb, _ := p.([]byte)
			return bytes.HasPrefix(a, pb)
		}
	}
	return false
}

type readOpts struct {
	src        source
	x          *exprs
	limit      int64
	forward    bool
	consistent bool
	selectMode string
	start      string // storage key to resume after ("" from the start)
	prefix     string // key prefix to stay within (Query: the partition)
	kc         *keyCond
	segment    func(k string) bool
}

type readResult struct {
	items    []expr.Item
	count    int64
	scanned  int64
	lastItem expr.Item
	size     int
}

// read walks the table or index in key order from opts.start, applies the
// key condition, stops at Limit items or 1 MB read, then filters — the
// order DynamoDB documents: Limit and the page size count items read, not
// items returned.
func read(tx *store.Tx, o *readOpts, now nowFunc) (*readResult, error) {
	res := &readResult{}
	t := o.src.t
	bucketName := itemsBucket(t.Name)
	if o.src.ix != nil {
		bucketName = indexBucket(t.Name, o.src.ix.Name)
	}
	b := tx.Bucket(bucketName)
	if b == nil {
		return res, nil
	}
	base := tx.Bucket(itemsBucket(t.Name))
	c := b.Cursor()
	var k string
	var v []byte
	var ok bool
	if o.forward {
		if o.start != "" {
			k, v, ok = c.Seek(o.start)
			if ok && k == o.start {
				k, v, ok = c.Next()
			}
		} else {
			k, v, ok = c.Seek(o.prefix)
		}
	} else {
		from := o.start
		if from == "" {
			from = string(prefixEnd([]byte(o.prefix)))
		}
		if from == "" {
			k, v, ok = c.Last()
		} else {
			k, v, ok = c.Seek(from)
			if !ok {
				k, v, ok = c.Last()
			}
			for ok && k >= from {
				k, v, ok = c.Prev()
			}
		}
	}
	for ; ok && strings.HasPrefix(k, o.prefix); k, v, ok = step(c, o.forward) {
		if o.segment != nil && !o.segment(k) {
			continue
		}
		data := v
		if o.src.ix != nil {
			if base == nil {
				break
			}
			data = base.Get(string(v))
			if data == nil {
				continue
			}
		}
		item, err := decodeItem(data)
		if err != nil {
			return nil, err
		}
		if t.expired(item, now()) {
			continue
		}
		if o.kc != nil && o.kc.rangeOp != "" {
			if !o.kc.rangeMatch(item[o.src.keys()[1].Name]) {
				continue
			}
		}
		// An LSI asked for ALL_ATTRIBUTES fetches from the base table, as
		// DynamoDB does; otherwise the index holds only its projection.
		if o.src.ix != nil && !(o.selectMode == "ALL_ATTRIBUTES" && !o.src.ix.Global) {
			item = projectIndex(t, o.src.ix, item)
		}
		sz := expr.ItemSize(item)
		res.scanned++
		res.size += sz
		res.lastItem = item
		if o.x.filter == nil || expr.Eval(o.x.filter, item) {
			res.count++
			if o.selectMode != "COUNT" {
				res.items = append(res.items, o.x.project(item))
			}
		}
		// Like DynamoDB, a page cut by Limit or size carries
		// LastEvaluatedKey even when nothing follows.
		if o.limit > 0 && res.scanned >= o.limit || res.size >= pageLimit {
			return res, nil
		}
	}
	res.lastItem = nil
	return res, nil
}

func step(c *store.Cursor, forward bool) (string, []byte, bool) {
	if forward {
		return c.Next()
	}
	return c.Prev()
}

// prefixEnd is the smallest key greater than every key with prefix p ("" when
// there is none).
func prefixEnd(p []byte) []byte {
	out := append([]byte(nil), p...)
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] < 0xff {
			out[i]++
			return out[:i+1]
		}
	}
	return nil
}

// projectIndex returns the attributes an index holds for an item.
func projectIndex(t *table, ix *index, item expr.Item) expr.Item {
	if ix.Projection == "ALL" {
		return item
	}
	keep := map[string]bool{}
	for _, k := range t.Keys {
		keep[k.Name] = true
	}
	for _, k := range ix.Keys {
		keep[k.Name] = true
	}
	if ix.Projection == "INCLUDE" {
		for _, n := range ix.NonKey {
			keep[n] = true
		}
	}
	out := expr.Item{}
	for k, v := range item {
		if keep[k] {
			out[k] = v
		}
	}
	return out
}

// lastEvaluatedKey is the key of the last item read: the table key, plus
// the index key for an index.
func lastEvaluatedKey(src source, item expr.Item) expr.Item {
	out := src.t.keyAttrs(item)
	if src.ix != nil {
		for _, k := range src.ix.Keys {
			out[k.Name] = item[k.Name]
		}
	}
	return out
}

// startKey turns ExclusiveStartKey into a storage position.
func startKey(src source, esk map[string]any) (string, error) {
	if esk == nil {
		return "", nil
	}
	for _, v := range esk {
		if err := expr.Validate(v); err != nil {
			return "", apiError(err)
		}
	}
	base, err := src.t.keyOf(src.t.keyAttrs(esk))
	if err != nil {
		return "", validationf("The provided starting key is invalid: The provided key element does not match the schema")
	}
	if src.ix == nil {
		if len(esk) != len(src.t.Keys) {
			return "", validationf("The provided starting key is invalid: The provided key element does not match the schema")
		}
		return base, nil
	}
	if !indexed(src.ix, esk) {
		return "", validationf("The provided starting key is invalid: The provided key element does not match the schema")
	}
	return indexKey(src.ix, esk, base), nil
}

func parseSelect(in map[string]any, src source, x *exprs) (string, error) {
	sel := str(in, "Select")
	switch sel {
	case "":
		if src.ix != nil && x.proj == nil {
			return "ALL_PROJECTED_ATTRIBUTES", nil
		}
		return "ALL_ATTRIBUTES", nil
	case "ALL_ATTRIBUTES", "COUNT":
		if x.proj != nil {
			return "", validationf("Cannot specify the AttributesToGet or ProjectionExpression when choosing to get %s", sel)
		}
	case "ALL_PROJECTED_ATTRIBUTES":
		if src.ix == nil {
			return "", validationf("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
		}
	case "SPECIFIC_ATTRIBUTES":
		if x.proj == nil {
			return "", validationf("SPECIFIC_ATTRIBUTES requires ProjectionExpression or AttributesToGet")
		}
	default:
		return "", validationf("1 validation error detected: Value '%s' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]", sel)
	}
	if sel == "ALL_ATTRIBUTES" && src.ix != nil && src.ix.Projection != "ALL" {
		// DynamoDB fetches from the base table for LSIs; GSIs refuse.
		if src.ix.Global {
			return "", validationf("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index %s because its projection type is not ALL", src.ix.Name)
		}
	}
	return sel, nil
}

func queryOrScan(req *emulator.Request, scan bool) (map[string]any, error) {
	in := req.Input
	t, err := getTable(req, str(in, "TableName"))
	if err != nil {
		return nil, err
	}
	src, err := resolveSource(t, in)
	if err != nil {
		return nil, err
	}
	x, err := parseExprs(in, exprSpec{filter: true, projection: true, keyCondition: !scan})
	if err != nil {
		return nil, err
	}
	sel, err := parseSelect(in, src, x)
	if err != nil {
		return nil, err
	}
	o := &readOpts{src: src, x: x, forward: true, selectMode: sel}
	if l, ok := i64(in, "Limit"); ok {
		if l < 1 {
			return nil, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", l)
		}
		o.limit = l
	}
	o.consistent, _ = in["ConsistentRead"].(bool)
	if o.consistent && src.ix != nil && src.ix.Global {
		return nil, validationf("Consistent reads are not supported on global secondary indexes")
	}
	if o.start, err = startKey(src, obj(in, "ExclusiveStartKey")); err != nil {
		return nil, err
	}
	if scan {
		seg, hasSeg := i64(in, "Segment")
		total, hasTotal := i64(in, "TotalSegments")
		if hasSeg != hasTotal {
			if hasSeg {
				return nil, validationf("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
			}
			return nil, validationf("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
		}
		if hasTotal {
			if total < 1 || total > 1000000 {
				return nil, validationf("1 validation error detected: Value '%d' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000", total)
			}
			if seg < 0 || seg >= total {
				return nil, validationf("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %d is not less than TotalSegments: %d", seg, total)
			}
			o.segment = func(k string) bool { return segmentOf(k, src, total) == seg }
		}
	} else {
		if f, ok := in["ScanIndexForward"].(bool); ok {
			o.forward = f
		}
		kc, err := parseKeyCondition(src, in, x)
		if err != nil {
			return nil, err
		}
		o.kc = kc
		o.prefix = string(encodeKeyPart(kc.hash))
		if o.start != "" && !strings.HasPrefix(o.start, o.prefix) {
			return nil, validationf("The provided starting key does not match the range key predicate")
		}
	}
	var res *readResult
	err = req.Store.View(func(tx *store.Tx) error {
		res, err = read(tx, o, req.Clock.Now)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Count": res.count, "ScannedCount": res.scanned}
	if sel != "COUNT" {
		items := make([]any, len(res.items))
		for i, it := range res.items {
			items[i] = it
		}
		out["Items"] = items
	}
	if res.lastItem != nil {
		out["LastEvaluatedKey"] = lastEvaluatedKey(src, res.lastItem)
	}
	cc := readConsumed(in, t, o.src.ix, readUnits(res.size, o.consistent))
	return withCapacity(out, cc), nil
}

// segmentOf spreads items over parallel-scan segments by a hash of their
// partition key, so each item lands in exactly one segment.
func segmentOf(k string, src source, total int64) int64 {
	// The partition key is the first key part; hash its encoding (FNV-1a).
	part := k
	if i := partEnd(src, k); i > 0 {
		part = k[:i]
	}
	var h uint64 = 14695981039346656037
	for i := 0; i < len(part); i++ {
		h ^= uint64(part[i])
		h *= 1099511628211
	}
	return int64(h % uint64(total))
}

// partEnd is the length of the first encoded key part of k.
func partEnd(src source, k string) int {
	typ := src.t.AttrDefs[src.keys()[0].Name]
	if typ == expr.TN {
		if len(k) > 0 && k[0] == 0x01 {
			return 1
		}
		term := byte(0x00)
		if len(k) > 0 && k[0] == 0x00 {
			term = 0xff
		}
		for i := 3; i < len(k); i++ {
			if k[i] == term {
				return i + 1
			}
		}
		return len(k)
	}
	for i := 0; i+1 < len(k); i++ {
		if k[i] == 0 {
			if k[i+1] == 1 {
				return i + 2
			}
			i++
		}
	}
	return len(k)
}

func query(_ context.Context, req *emulator.Request) (map[string]any, error) {
	return queryOrScan(req, false)
}

func scan(_ context.Context, req *emulator.Request) (map[string]any, error) {
	return queryOrScan(req, true)
}
