package s3

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"sort"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
	bolt "go.etcd.io/bbolt"
)

// validBucketName applies S3's general-purpose bucket naming rules.
func validBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	first, last := name[0], name[len(name)-1]
	if first == '.' || first == '-' || last == '.' || last == '-' {
		return false
	}
	if strings.Contains(name, "..") || strings.Contains(name, ".-") || strings.Contains(name, "-.") {
		return false
	}
	if ip := net.ParseIP(name); ip != nil && ip.To4() != nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

func createBucket(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "Bucket")
	if !validBucketName(name) {
		return nil, errInvalidBucketName(name)
	}
	constraint := str(mapOf(req.Input, "CreateBucketConfiguration"), "LocationConstraint")
	region := req.Region
	switch {
	case req.Region == "us-east-1":
		// The us-east-1 endpoint takes no constraint (naming us-east-1 is an
		// error); any other region creates the bucket there.
		if constraint == "us-east-1" {
			return nil, emulator.Errorf("InvalidLocationConstraint", http.StatusBadRequest, "The specified location-constraint is not valid")
		}
		if constraint != "" {
			region = constraint
		}
	case constraint == "":
		return nil, emulator.Errorf("IllegalLocationConstraintException", http.StatusBadRequest,
			"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	case constraint == "EU" && req.Region == "eu-west-1":
	case constraint != req.Region:
		return nil, emulator.Errorf("IllegalLocationConstraintException", http.StatusBadRequest,
			"The %s location constraint is incompatible for the region specific endpoint this request was sent to.", constraint)
	}
	// Claim the global name first: it is the one place two accounts race.
	var existing indexEntry
	var exists bool
	err := indexNS(req).Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists(indexBucket)
		if err != nil {
			return err
		}
		if exists, err = b.GetJSON(name, &existing); err != nil || exists {
			return err
		}
		return b.PutJSON(name, indexEntry{Account: req.Account, Region: region})
	})
	if err != nil {
		return nil, err
	}
	if exists {
		if existing.Account != req.Account {
			return nil, errBucketAlreadyExists(name)
		}
		// us-east-1 answers 200 to re-creating your own bucket there.
		if req.Region == "us-east-1" && existing.Region == "us-east-1" {
			return map[string]any{"Location": "/" + name}, nil
		}
		return nil, errBucketAlreadyOwnedByYou(name)
	}
	acl := str(req.Input, "ACL")
	meta := bucketMeta{Name: name, Region: region, Created: req.Clock.Now(), ACL: acl}
	if own := str(req.Input, "ObjectOwnership"); own != "" {
		meta.Config = map[string][]byte{}
		raw, _ := json.Marshal(map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": own}}})
		meta.Config["OwnershipControls"] = raw
	}
	ns := req.Services().Store(req.Account, region, Name)
	err = ns.Update(func(tx *store.Tx) error {
		mb, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(dataPrefix + name); err != nil {
			return err
		}
		return mb.PutJSON(name, meta)
	})
	if err != nil {
		_ = indexNS(req).Update(func(tx *store.Tx) error {
			if b := tx.Bucket(indexBucket); b != nil {
				return b.Delete(name)
			}
			return nil
		})
		return nil, err
	}
	loc := "/" + name
	if region != "us-east-1" {
		loc = "http://" + name + ".s3.amazonaws.com/"
	}
	return map[string]any{"Location": loc, "BucketArn": "arn:aws:s3:::" + name}, nil
}

func headBucket(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"BucketRegion": b.meta.Region, "AccessPointAlias": false,
		"BucketArn": "arn:aws:s3:::" + b.meta.Name}, nil
}

func deleteBucket(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "Bucket")
	b, err := lookupBucket(req, name)
	if err != nil {
		return nil, err
	}
	err = b.ns.Update(func(tx *store.Tx) error {
		data := tx.Bucket(dataPrefix + name)
		if data != nil {
			if objs := data.Bucket(objectsBucket); objs != nil {
				if _, _, ok := objs.Cursor().First(); ok {
					return errBucketNotEmpty(name)
				}
			}
			// In-progress multipart uploads do not keep a bucket alive: their
			// parts go with it.
			if ups := data.Bucket(uploadsBucket); ups != nil {
				if err := ups.ForEach(func(k string, v []byte) error {
					var u upload
					if err := json.Unmarshal(v, &u); err != nil {
						return err
					}
					return deletePartBlobs(tx, u)
				}); err != nil {
					return err
				}
			}
		}
		if err := tx.DeleteBucket(dataPrefix + name); err != nil {
			return err
		}
		if mb := tx.Bucket(metaBucket); mb != nil {
			return mb.Delete(name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = indexNS(req).Update(func(tx *store.Tx) error {
		if ib := tx.Bucket(indexBucket); ib != nil {
			return ib.Delete(name)
		}
		return nil
	})
	return nil, err
}

func listBuckets(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	prefix := str(req.Input, "Prefix")
	regionFilter := str(req.Input, "BucketRegion")
	maxBuckets, hasMax := i64(req.Input, "MaxBuckets")
	if hasMax && (maxBuckets < 1 || maxBuckets > 10000) {
		return nil, errInvalidArgument("Argument max-buckets must be an integer between 1 and 10000.")
	}
	after := ""
	if tok := str(req.Input, "ContinuationToken"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			return nil, errInvalidArgument("The continuation token provided is incorrect")
		}
		after = string(raw)
	}
	var owned []indexEntryNamed
	err := indexNS(req).View(func(tx *store.Tx) error {
		ib := tx.Bucket(indexBucket)
		if ib == nil {
			return nil
		}
		return ib.ForEach(func(k string, v []byte) error {
			var e indexEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			if e.Account == req.Account && strings.HasPrefix(k, prefix) && k > after &&
				(regionFilter == "" || e.Region == regionFilter) {
				owned = append(owned, indexEntryNamed{k, e})
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(owned, func(i, j int) bool { return owned[i].name < owned[j].name })
	out := map[string]any{"Owner": owner(req.Account)}
	if prefix != "" {
		out["Prefix"] = prefix
	}
	if hasMax && int64(len(owned)) > maxBuckets {
		owned = owned[:maxBuckets]
		out["ContinuationToken"] = base64.RawURLEncoding.EncodeToString([]byte(owned[len(owned)-1].name))
	}
	buckets := []any{}
	for _, o := range owned {
		var m bucketMeta
		var ok bool
		err := req.Services().Store(o.e.Account, o.e.Region, Name).View(func(tx *store.Tx) error {
			mb := tx.Bucket(metaBucket)
			if mb == nil {
				return nil
			}
			var err error
			ok, err = mb.GetJSON(o.name, &m)
			return err
		})
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // a create in flight or a delete half done
		}
		buckets = append(buckets, map[string]any{"Name": m.Name, "CreationDate": m.Created, "BucketRegion": m.Region,
			"BucketArn": "arn:aws:s3:::" + m.Name})
	}
	out["Buckets"] = buckets
	return out, nil
}

type indexEntryNamed struct {
	name string
	e    indexEntry
}

func getBucketLocation(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	// us-east-1 buckets have an empty LocationConstraint, as in the API.
	if b.meta.Region == "us-east-1" {
		return map[string]any{}, nil
	}
	return map[string]any{"LocationConstraint": b.meta.Region}, nil
}

var cannedACLs = map[string]bool{"private": true, "public-read": true, "public-read-write": true,
	"authenticated-read": true, "aws-exec-read": true, "bucket-owner-read": true, "bucket-owner-full-control": true,
	"log-delivery-write": true}

const (
	allUsers  = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	logUsers  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

// aclValue resolves a PutXxxAcl input to what is stored: a canned ACL name,
// or the JSON of an AccessControlPolicy body.
func aclValue(in map[string]any) (string, error) {
	canned := str(in, "ACL")
	policy := mapOf(in, "AccessControlPolicy")
	if canned != "" && policy != nil {
		return "", errInvalidRequest("Specifying both Canned ACLs and Header Grants is not allowed")
	}
	if canned != "" {
		if !cannedACLs[canned] {
			return "", errInvalidArgument("")
		}
		return canned, nil
	}
	if policy != nil {
		raw, err := json.Marshal(policy)
		if err != nil {
			return "", err
		}
		return string(raw), nil
	}
	return "", errMalformedACL()
}

func errMalformedACL() error {
	return emulator.Errorf("MalformedACLError", http.StatusBadRequest,
		"The XML you provided was not well-formed or did not validate against our published schema")
}

// aclOutput renders a stored ACL as Owner and Grants.
func aclOutput(req *emulator.Request, account, acl string, op string) (map[string]any, error) {
	if strings.HasPrefix(acl, "{") {
		var policy map[string]any
		if err := json.Unmarshal([]byte(acl), &policy); err != nil {
			return nil, err
		}
		out := map[string]any{"Owner": owner(account), "Grants": []any{}}
		for k, v := range policy {
			out[k] = v
		}
		return normalizeOutput(req, out)
	}
	own := owner(account)
	user := func(perm string) any {
		return map[string]any{"Grantee": map[string]any{"ID": own["ID"], "DisplayName": own["DisplayName"], "Type": "CanonicalUser"}, "Permission": perm}
	}
	group := func(uri, perm string) any {
		return map[string]any{"Grantee": map[string]any{"URI": uri, "Type": "Group"}, "Permission": perm}
	}
	grants := []any{user("FULL_CONTROL")}
	switch acl {
	case "public-read":
		grants = append(grants, group(allUsers, "READ"))
	case "public-read-write":
		grants = append(grants, group(allUsers, "READ"), group(allUsers, "WRITE"))
	case "authenticated-read":
		grants = append(grants, group(authUsers, "READ"))
	case "log-delivery-write":
		grants = append(grants, group(logUsers, "WRITE"), group(logUsers, "READ_ACP"))
	}
	return map[string]any{"Owner": own, "Grants": grants}, nil
}

func getBucketACL(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	return aclOutput(req, b.account, b.meta.ACL, "GetBucketAcl")
}

func putBucketACL(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	acl, err := aclValue(req.Input)
	if err != nil {
		return nil, err
	}
	return nil, b.updateMeta(func(m *bucketMeta) error { m.ACL = acl; return nil })
}

var _ = errors.Is
var _ = bolt.ErrBucketExists
