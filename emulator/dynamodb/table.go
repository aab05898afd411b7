package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

type keyElem struct {
	Name string `json:"name"`
	Type string `json:"type"` // HASH or RANGE
}

type index struct {
	Name       string    `json:"name"`
	Keys       []keyElem `json:"keys"`
	Projection string    `json:"projection"` // ALL, KEYS_ONLY, INCLUDE
	NonKey     []string  `json:"nonKey,omitempty"`
	RCU        int64     `json:"rcu,omitempty"`
	WCU        int64     `json:"wcu,omitempty"`
	Global     bool      `json:"global"`
}

type tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type table struct {
	Name         string            `json:"name"`
	ARN          string            `json:"arn"`
	ID           string            `json:"id"`
	Created      time.Time         `json:"created"`
	Keys         []keyElem         `json:"keys"`
	AttrDefs     map[string]string `json:"attrDefs"`
	BillingMode  string            `json:"billingMode"`
	PPRSince     time.Time         `json:"pprSince,omitzero"`
	RCU          int64             `json:"rcu"`
	WCU          int64             `json:"wcu"`
	Indexes      []index           `json:"indexes,omitempty"`
	StreamOn     bool              `json:"streamOn,omitempty"`
	StreamView   string            `json:"streamView,omitempty"`
	StreamLabel  string            `json:"streamLabel,omitempty"`
	TTLAttr      string            `json:"ttlAttr,omitempty"`
	TTLOn        bool              `json:"ttlOn,omitempty"`
	Tags         []tag             `json:"tags,omitempty"`
	DeletionProt bool              `json:"deletionProtection,omitempty"`
	TableClass   string            `json:"tableClass,omitempty"`
}

func (t *table) hashKey() string { return t.Keys[0].Name }

func (t *table) rangeKey() string {
	if len(t.Keys) > 1 {
		return t.Keys[1].Name
	}
	return ""
}

func (t *table) index(name string) *index {
	for i := range t.Indexes {
		if t.Indexes[i].Name == name {
			return &t.Indexes[i]
		}
	}
	return nil
}

// keyNames lists the table's key attributes, hash first.
func (t *table) keyNames() []string {
	out := []string{t.hashKey()}
	if r := t.rangeKey(); r != "" {
		out = append(out, r)
	}
	return out
}

var tableNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

func validateTableName(name, member string) error {
	if len(name) < 3 {
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 3", name, member)
	}
	if len(name) > 255 {
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to 255", name, member)
	}
	if !tableNameRE.MatchString(name) {
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+", name, member)
	}
	return nil
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

func i64(m map[string]any, k string) (int64, bool) {
	v, ok := m[k].(int64)
	return v, ok
}

func list(m map[string]any, k string) []any { l, _ := m[k].([]any); return l }

func obj(m map[string]any, k string) map[string]any { o, _ := m[k].(map[string]any); return o }

func parseKeySchema(raw []any, what string) ([]keyElem, error) {
	var ks []keyElem
	for _, e := range raw {
		m, _ := e.(map[string]any)
		ks = append(ks, keyElem{Name: str(m, "AttributeName"), Type: str(m, "KeyType")})
	}
	if len(ks) == 0 || len(ks) > 2 {
		return nil, validationf("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to 2", what)
	}
	if ks[0].Type != "HASH" {
		return nil, validationf("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	if len(ks) == 2 {
		if ks[1].Type != "RANGE" {
			return nil, validationf("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
		}
		if ks[0].Name == ks[1].Name {
			return nil, validationf("Both the Hash Key and the Range Key element in the KeySchema have the same name")
		}
	}
	return ks, nil
}

func parseProjection(m map[string]any) (string, []string) {
	p := obj(m, "Projection")
	typ := str(p, "ProjectionType")
	if typ == "" {
		typ = "ALL"
	}
	var nk []string
	for _, a := range list(p, "NonKeyAttributes") {
		s, _ := a.(string)
		nk = append(nk, s)
	}
	return typ, nk
}

func throughput(m map[string]any) (rcu, wcu int64, set bool) {
	pt := obj(m, "ProvisionedThroughput")
	if pt == nil {
		return 0, 0, false
	}
	rcu, _ = i64(pt, "ReadCapacityUnits")
	wcu, _ = i64(pt, "WriteCapacityUnits")
	return rcu, wcu, true
}

func createTable(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	name := str(in, "TableName")
	if err := validateTableName(name, "tableName"); err != nil {
		return nil, err
	}
	ks, err := parseKeySchema(list(in, "KeySchema"), "keySchema")
	if err != nil {
		return nil, err
	}
	t := &table{Name: name, Keys: ks, AttrDefs: map[string]string{}, Created: req.Clock.Now()}
	var defNames []string
	for _, e := range list(in, "AttributeDefinitions") {
		m, _ := e.(map[string]any)
		n, typ := str(m, "AttributeName"), str(m, "AttributeType")
		if typ != "S" && typ != "N" && typ != "B" {
			return nil, validationf("1 validation error detected: Value '%s' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]", typ)
		}
		if _, dup := t.AttrDefs[n]; dup {
			return nil, validationf("Cannot have two attributes with the same name. Attribute name: %s", n)
		}
		t.AttrDefs[n] = typ
		defNames = append(defNames, n)
	}
	used := map[string]bool{}
	checkKeys := func(keys []keyElem) error {
		var missing []string
		for _, k := range keys {
			used[k.Name] = true
			if _, ok := t.AttrDefs[k.Name]; !ok {
				missing = append(missing, k.Name)
			}
		}
		if len(missing) > 0 {
			return validationf("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]", strings.Join(missing, ", "), strings.Join(defNames, ", "))
		}
		return nil
	}
	if err := checkKeys(ks); err != nil {
		return nil, err
	}
	t.BillingMode = str(in, "BillingMode")
	if t.BillingMode == "" {
		t.BillingMode = "PROVISIONED"
	}
	rcu, wcu, hasPT := throughput(in)
	switch t.BillingMode {
	case "PROVISIONED":
		if !hasPT {
			return nil, validationf("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
		}
		if rcu < 1 || wcu < 1 {
			return nil, validationf("One or more parameter values were invalid: Provisioned throughput cannot be less than 1")
		}
		t.RCU, t.WCU = rcu, wcu
	case "PAY_PER_REQUEST":
		if hasPT {
			return nil, validationf("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		t.PPRSince = t.Created
	default:
		return nil, validationf("1 validation error detected: Value '%s' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]", t.BillingMode)
	}
	for _, e := range list(in, "LocalSecondaryIndexes") {
		m, _ := e.(map[string]any)
		ix, err := parseIndex(t, m, false)
		if err != nil {
			return nil, err
		}
		if err := checkKeys(ix.Keys); err != nil {
			return nil, err
		}
		if len(ix.Keys) != 2 || ix.Keys[0].Name != t.hashKey() {
			return nil, validationf("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
		}
		t.Indexes = append(t.Indexes, *ix)
	}
	for _, e := range list(in, "GlobalSecondaryIndexes") {
		m, _ := e.(map[string]any)
		ix, err := parseIndex(t, m, true)
		if err != nil {
			return nil, err
		}
		if err := checkKeys(ix.Keys); err != nil {
			return nil, err
		}
		t.Indexes = append(t.Indexes, *ix)
	}
	if len(used) != len(t.AttrDefs) {
		return nil, validationf("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
	}
	if ss := obj(in, "StreamSpecification"); ss != nil {
		if on, _ := ss["StreamEnabled"].(bool); on {
			t.StreamOn, t.StreamView = true, str(ss, "StreamViewType")
			if t.StreamView == "" {
				return nil, validationf("One or more parameter values were invalid: You must specify a StreamViewType when enabling a stream")
			}
			t.StreamLabel = t.Created.Format("2006-01-02T15:04:05.000")
		}
	}
	for _, e := range list(in, "Tags") {
		m, _ := e.(map[string]any)
		t.Tags = append(t.Tags, tag{str(m, "Key"), str(m, "Value")})
	}
	t.DeletionProt, _ = in["DeletionProtectionEnabled"].(bool)
	t.TableClass = str(in, "TableClass")
	t.ARN = fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", req.Region, req.Account, name)
	t.ID = req.IDs.UUID()
	err = req.Store.Update(func(tx *store.Tx) error {
		old, err := loadTable(tx, name)
		if err != nil {
			return err
		}
		if old != nil {
			return emulator.Errorf(codeInUse, 400, "Table already exists: %s", name)
		}
		if err := deleteCounts(tx, name); err != nil {
			return err
		}
		if t.StreamOn {
			if err := openStream(tx, req, t); err != nil {
				return err
			}
		}
		return saveTable(tx, t)
	})
	if err != nil {
		return nil, err
	}
	d, err := describe(req, t)
	if err != nil {
		return nil, err
	}
	return map[string]any{"TableDescription": d}, nil
}

func parseIndex(t *table, m map[string]any, global bool) (*index, error) {
	name := str(m, "IndexName")
	if err := validateTableName(name, "indexName"); err != nil {
		return nil, err
	}
	if t.index(name) != nil {
		return nil, validationf("One or more parameter values were invalid: Duplicate index name: %s", name)
	}
	ks, err := parseKeySchema(list(m, "KeySchema"), "keySchema")
	if err != nil {
		return nil, err
	}
	ix := &index{Name: name, Keys: ks, Global: global}
	ix.Projection, ix.NonKey = parseProjection(m)
	if global {
		rcu, wcu, has := throughput(m)
		if t.BillingMode == "PROVISIONED" && !has {
			return nil, validationf("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: %s", name)
		}
		if t.BillingMode == "PAY_PER_REQUEST" && has {
			return nil, validationf("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: %s when BillingMode is PAY_PER_REQUEST", name)
		}
		ix.RCU, ix.WCU = rcu, wcu
	}
	return ix, nil
}

func keySchemaOut(ks []keyElem) []any {
	out := make([]any, len(ks))
	for i, k := range ks {
		out[i] = map[string]any{"AttributeName": k.Name, "KeyType": k.Type}
	}
	return out
}

// describe renders a TableDescription. Item counts and sizes come from the
// counters writeItem keeps (storage.go), not a scan; expired items are gone
// by then (the TTL sweep runs in getTable).
func describe(req *emulator.Request, t *table) (map[string]any, error) {
	var c tableCounts
	err := req.Store.View(func(tx *store.Tx) error {
		var err error
		c, err = loadCounts(tx, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	count, size := c.N, c.Size
	names := make([]string, 0, len(t.AttrDefs))
	for n := range t.AttrDefs {
		names = append(names, n)
	}
	sort.Strings(names)
	var defs []any
	for _, n := range names {
		defs = append(defs, map[string]any{"AttributeName": n, "AttributeType": t.AttrDefs[n]})
	}
	d := map[string]any{
		"AttributeDefinitions": defs,
		"TableName":            t.Name,
		"KeySchema":            keySchemaOut(t.Keys),
		"TableStatus":          "ACTIVE",
		"CreationDateTime":     t.Created,
		"ProvisionedThroughput": map[string]any{
			"NumberOfDecreasesToday": int64(0), "ReadCapacityUnits": t.RCU, "WriteCapacityUnits": t.WCU,
		},
		"TableSizeBytes":            size,
		"ItemCount":                 count,
		"TableArn":                  t.ARN,
		"TableId":                   t.ID,
		"DeletionProtectionEnabled": t.DeletionProt,
	}
	if t.BillingMode == "PAY_PER_REQUEST" {
		d["BillingModeSummary"] = map[string]any{"BillingMode": t.BillingMode, "LastUpdateToPayPerRequestDateTime": t.PPRSince}
	}
	if t.TableClass != "" {
		d["TableClassSummary"] = map[string]any{"TableClass": t.TableClass}
	}
	var lsis, gsis []any
	for _, ix := range t.Indexes {
		proj := map[string]any{"ProjectionType": ix.Projection}
		if len(ix.NonKey) > 0 {
			nk := make([]any, len(ix.NonKey))
			for i, s := range ix.NonKey {
				nk[i] = s
			}
			proj["NonKeyAttributes"] = nk
		}
		m := map[string]any{
			"IndexName": ix.Name, "KeySchema": keySchemaOut(ix.Keys), "Projection": proj,
			"IndexSizeBytes": c.Indexes[ix.Name].Size, "ItemCount": c.Indexes[ix.Name].N,
			"IndexArn": t.ARN + "/index/" + ix.Name,
		}
		if ix.Global {
			m["IndexStatus"] = "ACTIVE"
			m["ProvisionedThroughput"] = map[string]any{"NumberOfDecreasesToday": int64(0), "ReadCapacityUnits": ix.RCU, "WriteCapacityUnits": ix.WCU}
			gsis = append(gsis, m)
		} else {
			lsis = append(lsis, m)
		}
	}
	if lsis != nil {
		d["LocalSecondaryIndexes"] = lsis
	}
	if gsis != nil {
		d["GlobalSecondaryIndexes"] = gsis
	}
	if t.StreamOn {
		d["StreamSpecification"] = map[string]any{"StreamEnabled": true, "StreamViewType": t.StreamView}
	}
	// The latest stream stays named after it is disabled.
	if t.StreamLabel != "" {
		d["LatestStreamLabel"] = t.StreamLabel
		d["LatestStreamArn"] = t.streamARN()
	}
	return d, nil
}

// expired reports whether TTL has removed the item by the emulator clock.
// DynamoDB deletes expired items in the background; fakecloud hides them at
// once so tests need not wait.
func (t *table) expired(item expr.Item, now time.Time) bool {
	if !t.TTLOn || t.TTLAttr == "" {
		return false
	}
	typ, v, ok := expr.Type(item[t.TTLAttr])
	if !ok || typ != expr.TN {
		return false
	}
	s, _ := v.(string)
	n, err := expr.ParseNumber(s)
	if err != nil {
		return false
	}
	nowN, _ := expr.ParseNumber(fmt.Sprint(now.Unix()))
	return n.Cmp(nowN) < 0
}

func getTable(req *emulator.Request, name string) (*table, error) {
	if name == "" {
		return nil, validationf("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null")
	}
	name, err := resolveTableName(req, name)
	if err != nil {
		return nil, err
	}
	var t *table
	err = req.Store.View(func(tx *store.Tx) error {
		var err error
		t, err = loadTableCached(tx, req.Store.String(), name)
		return err
	})
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, notFound("")
	}
	if err := sweepExpired(req, t); err != nil {
		return nil, err
	}
	return t, nil
}

func describeTable(_ context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "TableName")
	t, err := getTable(req, name)
	if err != nil {
		return nil, notFoundTable(err, name)
	}
	d, err := describe(req, t)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Table": d}, nil
}

func listTables(_ context.Context, req *emulator.Request) (map[string]any, error) {
	start := str(req.Input, "ExclusiveStartTableName")
	limit, ok := i64(req.Input, "Limit")
	if !ok {
		limit = 100
	}
	if limit < 1 || limit > 100 {
		return nil, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100", limit)
	}
	names := []any{}
	var last string
	err := req.Store.View(func(tx *store.Tx) error {
		b := tx.Bucket(bucketTables)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		k, _, ok := c.Seek(start)
		if ok && k == start {
			k, _, ok = c.Next()
		}
		for ; ok; k, _, ok = c.Next() {
			if int64(len(names)) == limit {
				last = names[len(names)-1].(string)
				return nil
			}
			names = append(names, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"TableNames": names}
	if last != "" {
		out["LastEvaluatedTableName"] = last
	}
	return out, nil
}

func deleteTable(_ context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "TableName")
	t, err := getTable(req, name)
	if err != nil {
		return nil, notFoundTable(err, name)
	}
	if t.DeletionProt {
		return nil, validationf("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
	}
	d, err := describe(req, t)
	if err != nil {
		return nil, err
	}
	d["TableStatus"] = "DELETING"
	err = req.Store.Update(func(tx *store.Tx) error {
		for _, ix := range t.Indexes {
			if err := tx.DeleteBucket(indexBucket(name, ix.Name)); err != nil {
				return err
			}
		}
		if err := tx.DeleteBucket(itemsBucket(name)); err != nil {
			return err
		}
		if err := deleteCounts(tx, name); err != nil {
			return err
		}
		if err := tx.DeleteBucket(ttlBucket(name)); err != nil {
			return err
		}
		// The stream outlives the table: readers drain it, then see it DISABLED.
		if err := closeStream(tx, t); err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(bucketTables)
		if err != nil {
			return err
		}
		return b.Delete(name)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TableDescription": d}, nil
}

func notFoundTable(err error, name string) error {
	var ae *protocol.APIError
	if errors.As(err, &ae) && ae.Code == codeNotFound {
		return notFound("Requested resource not found: Table: %s not found", name)
	}
	return err
}

func updateTable(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	name := str(in, "TableName")
	var out *table
	err := req.Store.Update(func(tx *store.Tx) error {
		t, err := loadTable(tx, name)
		if err != nil {
			return err
		}
		if t == nil {
			return notFound("Requested resource not found: Table: %s not found", name)
		}
		for _, e := range list(in, "AttributeDefinitions") {
			m, _ := e.(map[string]any)
			t.AttrDefs[str(m, "AttributeName")] = str(m, "AttributeType")
		}
		if bm := str(in, "BillingMode"); bm != "" && bm != t.BillingMode {
			t.BillingMode = bm
			if bm == "PAY_PER_REQUEST" {
				t.PPRSince = req.Clock.Now()
				t.RCU, t.WCU = 0, 0
			}
		}
		if rcu, wcu, has := throughput(in); has {
			if t.BillingMode == "PAY_PER_REQUEST" {
				return validationf("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
			}
			t.RCU, t.WCU = rcu, wcu
		} else if t.BillingMode == "PROVISIONED" && t.RCU == 0 {
			return validationf("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
		}
		for _, e := range list(in, "GlobalSecondaryIndexUpdates") {
			m, _ := e.(map[string]any)
			switch {
			case obj(m, "Create") != nil:
				ix, err := parseIndex(t, obj(m, "Create"), true)
				if err != nil {
					return err
				}
				for _, k := range ix.Keys {
					if _, ok := t.AttrDefs[k.Name]; !ok {
						return validationf("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]", k.Name, strings.Join(sortedDefs(t), ", "))
					}
				}
				t.Indexes = append(t.Indexes, *ix)
				if err := backfillIndex(tx, t, ix); err != nil {
					return err
				}
			case obj(m, "Delete") != nil:
				n := str(obj(m, "Delete"), "IndexName")
				ix := t.index(n)
				if ix == nil || !ix.Global {
					return notFound("Requested resource not found: Index: %s not found", n)
				}
				if err := tx.DeleteBucket(indexBucket(t.Name, n)); err != nil {
					return err
				}
				kept := t.Indexes[:0]
				for _, x := range t.Indexes {
					if x.Name != n {
						kept = append(kept, x)
					}
				}
				t.Indexes = kept
			case obj(m, "Update") != nil:
				u := obj(m, "Update")
				ix := t.index(str(u, "IndexName"))
				if ix == nil || !ix.Global {
					return notFound("Requested resource not found: Index: %s not found", str(u, "IndexName"))
				}
				ix.RCU, ix.WCU, _ = throughput(u)
			}
		}
		if ss := obj(in, "StreamSpecification"); ss != nil {
			on, _ := ss["StreamEnabled"].(bool)
			if on && t.StreamOn {
				return validationf("Table already has an enabled stream: %s", t.ARN+"/stream/"+t.StreamLabel)
			}
			if !on && t.StreamOn {
				if err := closeStream(tx, t); err != nil {
					return err
				}
			}
			t.StreamOn = on
			if on {
				t.StreamView = str(ss, "StreamViewType")
				if t.StreamView == "" {
					return validationf("One or more parameter values were invalid: You must specify a StreamViewType when enabling a stream")
				}
				t.StreamLabel = req.Clock.Now().Format("2006-01-02T15:04:05.000")
				if err := openStream(tx, req, t); err != nil {
					return err
				}
			}
		}
		if len(list(in, "GlobalSecondaryIndexUpdates")) > 0 {
			c, err := recount(tx, t)
			if err != nil {
				return err
			}
			if err := saveCounts(tx, t.Name, c); err != nil {
				return err
			}
		}
		if dp, ok := in["DeletionProtectionEnabled"].(bool); ok {
			t.DeletionProt = dp
		}
		if tc := str(in, "TableClass"); tc != "" {
			t.TableClass = tc
		}
		out = t
		return saveTable(tx, t)
	})
	if err != nil {
		return nil, err
	}
	d, err := describe(req, out)
	if err != nil {
		return nil, err
	}
	return map[string]any{"TableDescription": d}, nil
}

func sortedDefs(t *table) []string {
	var names []string
	for n := range t.AttrDefs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func updateTimeToLive(_ context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "TableName")
	spec := obj(req.Input, "TimeToLiveSpecification")
	on, _ := spec["Enabled"].(bool)
	attr := str(spec, "AttributeName")
	err := req.Store.Update(func(tx *store.Tx) error {
		t, err := loadTable(tx, name)
		if err != nil {
			return err
		}
		if t == nil {
			return notFound("Requested resource not found: Table: %s not found", name)
		}
		if on == t.TTLOn {
			if on {
				return validationf("TimeToLive is already enabled")
			}
			return validationf("TimeToLive is already disabled")
		}
		t.TTLOn, t.TTLAttr = on, attr
		if err := rebuildTTLIndex(tx, t); err != nil {
			return err
		}
		return saveTable(tx, t)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TimeToLiveSpecification": map[string]any{"Enabled": on, "AttributeName": attr}}, nil
}

func describeTimeToLive(_ context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "TableName")
	t, err := getTable(req, name)
	if err != nil {
		return nil, notFoundTable(err, name)
	}
	d := map[string]any{"TimeToLiveStatus": "DISABLED"}
	if t.TTLOn {
		d = map[string]any{"TimeToLiveStatus": "ENABLED", "AttributeName": t.TTLAttr}
	}
	return map[string]any{"TimeToLiveDescription": d}, nil
}

// tableFromARN resolves a table ARN of this account and region.
func tableFromARN(req *emulator.Request, arn string) (string, error) {
	prefix := fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/", req.Region, req.Account)
	if !strings.HasPrefix(arn, prefix) {
		return "", validationf("Invalid TableArn: Invalid ResourceArn provided as input %s", arn)
	}
	return strings.SplitN(strings.TrimPrefix(arn, prefix), "/", 2)[0], nil
}

func tagResource(_ context.Context, req *emulator.Request) (map[string]any, error) {
	arn := str(req.Input, "ResourceArn")
	name, err := tableFromARN(req, arn)
	if err != nil {
		return nil, err
	}
	return nil, req.Store.Update(func(tx *store.Tx) error {
		t, err := loadTable(tx, name)
		if err != nil {
			return err
		}
		if t == nil {
			return notFound("Requested resource not found: ResourcArn: %s not found", arn)
		}
		for _, e := range list(req.Input, "Tags") {
			m, _ := e.(map[string]any)
			k, v := str(m, "Key"), str(m, "Value")
			replaced := false
			for i := range t.Tags {
				if t.Tags[i].Key == k {
					t.Tags[i].Value, replaced = v, true
				}
			}
			if !replaced {
				t.Tags = append(t.Tags, tag{k, v})
			}
		}
		if len(t.Tags) > 50 {
			return validationf("One or more parameter values were invalid: The number of tags exceeds the limit of 50")
		}
		return saveTable(tx, t)
	})
}

func untagResource(_ context.Context, req *emulator.Request) (map[string]any, error) {
	arn := str(req.Input, "ResourceArn")
	name, err := tableFromARN(req, arn)
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, k := range list(req.Input, "TagKeys") {
		s, _ := k.(string)
		drop[s] = true
	}
	return nil, req.Store.Update(func(tx *store.Tx) error {
		t, err := loadTable(tx, name)
		if err != nil {
			return err
		}
		if t == nil {
			return notFound("Requested resource not found: ResourcArn: %s not found", arn)
		}
		kept := t.Tags[:0]
		for _, tg := range t.Tags {
			if !drop[tg.Key] {
				kept = append(kept, tg)
			}
		}
		t.Tags = kept
		return saveTable(tx, t)
	})
}

func listTagsOfResource(_ context.Context, req *emulator.Request) (map[string]any, error) {
	arn := str(req.Input, "ResourceArn")
	name, err := tableFromARN(req, arn)
	if err != nil {
		return nil, err
	}
	t, err := getTable(req, name)
	if err != nil {
		return nil, notFound("Requested resource not found: ResourcArn: %s not found", arn)
	}
	tags := []any{}
	for _, tg := range t.Tags {
		tags = append(tags, map[string]any{"Key": tg.Key, "Value": tg.Value})
	}
	return map[string]any{"Tags": tags}, nil
}
