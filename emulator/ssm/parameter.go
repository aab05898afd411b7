package ssm

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

const (
	paramsBucket   = "parameters"
	maxVersions    = 100
	maxLevels      = 15
	standardLimit  = 4096
	advancedLimit  = 8192
	maxLabels      = 10
	maxBatch       = 10
	tierStandard   = "Standard"
	tierAdvanced   = "Advanced"
	tierIntel      = "Intelligent-Tiering"
	typeString     = "String"
	typeStringList = "StringList"
	typeSecure     = "SecureString"
	defaultKey     = "alias/aws/ssm"
)

// pversion is one version of a parameter with everything PutParameter set.
type pversion struct {
	Version        int64     `json:"version"`
	Type           string    `json:"type"`
	Value          string    `json:"value,omitempty"`   // String, StringList
	Cipher         []byte    `json:"cipher,omitempty"`  // SecureString: KMS ciphertext (or sealed value)
	DataKey        []byte    `json:"dataKey,omitempty"` // SecureString over 4 KB: KMS-encrypted data key
	KeyID          string    `json:"keyId,omitempty"`
	Description    string    `json:"description,omitempty"`
	AllowedPattern string    `json:"allowedPattern,omitempty"`
	Tier           string    `json:"tier"`
	DataType       string    `json:"dataType"`
	Labels         []string  `json:"labels,omitempty"`
	Modified       time.Time `json:"modified"`
	User           string    `json:"user"`
	Policies       []policy  `json:"policies,omitempty"`
}

type tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type param struct {
	Name     string      `json:"name"`
	Versions []*pversion `json:"versions"` // oldest first
	Tags     []tag       `json:"tags,omitempty"`
}

func (p *param) latest() *pversion { return p.Versions[len(p.Versions)-1] }

func (p *param) version(n int64) *pversion {
	for _, v := range p.Versions {
		if v.Version == n {
			return v
		}
	}
	return nil
}

func (p *param) labelled(label string) *pversion {
	for _, v := range p.Versions {
		if slices.Contains(v.Labels, label) {
			return v
		}
	}
	return nil
}

func arnOf(req *emulator.Request, name string) string {
	return fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", req.Region, req.Account, strings.TrimPrefix(name, "/"))
}

func userOf(req *emulator.Request) string {
	return fmt.Sprintf("arn:aws:iam::%s:root", req.Account)
}

var (
	nameChars = regexp.MustCompile(`^[a-zA-Z0-9_.\-/]+$`)
	amiID     = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)
	labelRe   = regexp.MustCompile(`^[a-zA-Z0-9_.\-]+$`)
)

const badName = `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`

// validName applies Parameter Store's naming rules: the allowed characters,
// no aws/ssm prefix, a path must be fully qualified, at most 15 levels.
func validName(name string) error {
	if name == "" || len(name) > 2048 {
		return errValidation("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must have length between 1 and 2048", name)
	}
	if !nameChars.MatchString(name) || strings.Contains(name, "//") || (len(name) > 1 && strings.HasSuffix(name, "/")) || name == "/" {
		return errValidation("%s", badName)
	}
	first := strings.TrimPrefix(name, "/")
	if l := strings.ToLower(first); strings.HasPrefix(l, "aws") || strings.HasPrefix(l, "ssm") {
		return errValidation("%s", badName)
	}
	if strings.Contains(name, "/") && !strings.HasPrefix(name, "/") {
		return errValidation("Parameter name must be a fully qualified name.")
	}
	if strings.Count(first, "/")+1 > maxLevels {
		return errHierarchyLevel()
	}
	return nil
}

// invalidLabel reports whether a label breaks SSM's rules: up to 100
// letters, digits, '.', '-', '_'; not starting with a digit, aws or ssm.
func invalidLabel(l string) bool {
	if l == "" || len(l) > 100 || !labelRe.MatchString(l) || (l[0] >= '0' && l[0] <= '9') {
		return true
	}
	ll := strings.ToLower(l)
	return strings.HasPrefix(ll, "aws") || strings.HasPrefix(ll, "ssm")
}

func loadParam(tx *store.Tx, name string) (*param, error) {
	b := tx.Bucket(paramsBucket)
	if b == nil || name == "" {
		return nil, nil
	}
	var p param
	ok, err := b.GetJSON(name, &p)
	if err != nil || !ok || len(p.Versions) == 0 {
		return nil, err
	}
	return &p, nil
}

func saveParam(tx *store.Tx, p *param) error {
	b, err := tx.CreateBucketIfNotExists(paramsBucket)
	if err != nil {
		return err
	}
	return b.PutJSON(p.Name, p)
}

// plainName maps a parameter ARN of the caller's account and region to the
// name; other names pass through.
func plainName(req *emulator.Request, tx *store.Tx, name string) string {
	prefix := fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/", req.Region, req.Account)
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return name
	}
	if p, _ := loadParam(tx, "/"+rest); p != nil {
		return "/" + rest
	}
	return rest
}

func viewParam(req *emulator.Request, name string) (*param, error) {
	var p *param
	err := req.Store.View(func(tx *store.Tx) error {
		var err error
		p, err = loadParam(tx, plainName(req, tx, name))
		return err
	})
	return p, err
}

func putParameter(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	name, value, typ := str(in, "Name"), str(in, "Value"), str(in, "Type")
	overwrite := boolean(in, "Overwrite")
	if err := validName(name); err != nil {
		return nil, err
	}
	if _, ok := in["Value"]; !ok {
		return nil, errValidation("1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null")
	}
	if value == "" {
		return nil, errValidation("1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	switch typ {
	case "", typeString, typeStringList, typeSecure:
	default:
		return nil, errValidation("1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]", typ)
	}
	tier := str(in, "Tier")
	switch tier {
	case "", tierStandard, tierAdvanced, tierIntel:
	default:
		return nil, errValidation("1 validation error detected: Value '%s' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]", tier)
	}
	dataType := str(in, "DataType")
	switch dataType {
	case "", "text", "aws:ssm:integration":
	case "aws:ec2:image":
		if !amiID.MatchString(value) {
			return nil, errValidation("Parameter value, %s, is not a valid image ID for data type aws:ec2:image.", value)
		}
	default:
		return nil, errValidation("The following data type is not supported: %s (Data type names are all lowercase.)", dataType)
	}
	tags := list(in, "Tags")
	if len(tags) > 0 && overwrite {
		return nil, errValidation("Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.")
	}
	if len(tags) > 50 {
		return nil, errTooManyTags()
	}
	if pat := str(in, "AllowedPattern"); pat != "" {
		re, err := regexp.Compile(pat)
		if err != nil || len(pat) > 1024 {
			return nil, errInvalidAllowedPattern(pat)
		}
		if !re.MatchString(value) {
			return nil, errPatternMismatch(pat)
		}
	}
	if len(str(in, "Description")) > 1024 {
		return nil, errValidation("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024")
	}

	// Checks that need the stored parameter run first in a read transaction,
	// so a refused request never reaches KMS; the write re-checks.
	var old *param
	if err := req.Store.View(func(tx *store.Tx) error {
		var err error
		old, err = loadParam(tx, name)
		return err
	}); err != nil {
		return nil, err
	}
	v, err := newVersion(req, in, old)
	if err != nil {
		return nil, err
	}
	if v.Type == typeSecure {
		if err := seal(ctx, req, name, v, value); err != nil {
			return nil, err
		}
	} else {
		v.Value = value
	}
	err = req.Store.Update(func(tx *store.Tx) error {
		p, err := loadParam(tx, name)
		if err != nil {
			return err
		}
		if p == nil {
			p = &param{Name: name}
			for _, t := range tags {
				m, _ := t.(map[string]any)
				p.Tags = setTag(p.Tags, str(m, "Key"), str(m, "Value"))
			}
			v.Version = 1
		} else {
			if !overwrite {
				return errAlreadyExists()
			}
			if len(p.Versions) >= maxVersions {
				oldest := p.Versions[0]
				if len(oldest.Labels) > 0 {
					return errMaxVersions(name, oldest.Version)
				}
				p.Versions = p.Versions[1:]
			}
			v.Version = p.latest().Version + 1
		}
		p.Versions = append(p.Versions, v)
		if err := indexExpiry(tx, p); err != nil {
			return err
		}
		return saveParam(tx, p)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Version": v.Version, "Tier": v.Tier}, nil
}

// newVersion builds the next version from the request and the current one:
// an overwrite keeps the type, key, description, pattern and tier it does
// not restate, as SSM does.
func newVersion(req *emulator.Request, in map[string]any, old *param) (*pversion, error) {
	value := str(in, "Value")
	v := &pversion{
		Type: str(in, "Type"), KeyID: str(in, "KeyId"), Description: str(in, "Description"),
		AllowedPattern: str(in, "AllowedPattern"), Tier: str(in, "Tier"), DataType: str(in, "DataType"),
		Modified: now(req), User: userOf(req),
	}
	if old != nil {
		if !boolean(in, "Overwrite") {
			return nil, errAlreadyExists()
		}
		cur := old.latest()
		if v.Type == "" {
			v.Type = cur.Type
		} else if (v.Type == typeSecure) != (cur.Type == typeSecure) {
			return nil, errTypeMismatch(cur.Type, v.Type)
		}
		if _, ok := in["Description"]; !ok {
			v.Description = cur.Description
		}
		if _, ok := in["AllowedPattern"]; !ok {
			v.AllowedPattern = cur.AllowedPattern
			if v.AllowedPattern != "" {
				if re, err := regexp.Compile(v.AllowedPattern); err == nil && !re.MatchString(value) {
					return nil, errPatternMismatch(v.AllowedPattern)
				}
			}
		}
		if v.KeyID == "" && v.Type == typeSecure && cur.Type == typeSecure {
			v.KeyID = cur.KeyID
		}
		if v.DataType == "" {
			v.DataType = cur.DataType
		}
		switch {
		case v.Tier == tierStandard && cur.Tier == tierAdvanced:
			return nil, errValidation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.")
		case v.Tier == "" || (v.Tier == tierIntel && cur.Tier == tierAdvanced):
			v.Tier = cur.Tier
		}
	} else if v.Type == "" {
		return nil, errValidation("A parameter type is required when you create a parameter.")
	}
	if v.DataType == "" {
		v.DataType = "text"
	}
	if v.KeyID != "" && v.Type != typeSecure {
		return nil, errValidation("KeyId is required for SecureString type parameter only.")
	}
	if v.Type == typeSecure && v.KeyID == "" {
		v.KeyID = defaultKey
	}
	// Policies replace the current version's when given ("[]" clears them)
	// and carry over when not.
	if text, ok := in["Policies"].(string); ok {
		ps, err := parsePolicies(text, req.Clock.Now())
		if err != nil {
			return nil, err
		}
		v.Policies = ps
	} else if old != nil {
		v.Policies = old.latest().Policies
	}
	if len(v.Policies) > 0 && v.Tier == tierIntel {
		v.Tier = tierAdvanced // Intelligent-Tiering upgrades a parameter that has policies
	}
	size := len(value)
	switch v.Tier {
	case "", tierStandard:
		v.Tier = tierStandard
		if size > standardLimit {
			return nil, errValidation("Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
		}
	case tierIntel:
		v.Tier = tierStandard
		if size > standardLimit {
			v.Tier = tierAdvanced
		}
	}
	if len(v.Policies) > 0 && v.Tier != tierAdvanced {
		return nil, errValidation("Parameter policies are supported only for advanced-parameter tier parameters. Use the Advanced tier (or Intelligent-Tiering) to attach policies to %s.", str(in, "Name"))
	}
	if v.Tier == tierAdvanced && size > advancedLimit {
		return nil, errValidation("Advanced tier parameters support a maximum parameter value of 8192 characters.")
	}
	if !utf8.ValidString(value) {
		return nil, errValidation("Parameter value must be valid UTF-8.")
	}
	return v, nil
}

// selector splits GetParameter's name:version and name:label forms.
func selector(s string) (name, sel string) {
	if i := strings.IndexByte(s, ':'); i >= 0 && !strings.HasPrefix(s, "arn:") {
		return s[:i], s[i:]
	}
	if strings.HasPrefix(s, "arn:") {
		// arn:aws:ssm:r:a:parameter/x:3 — the selector follows the resource.
		if j := strings.Index(s, ":parameter/"); j >= 0 {
			if k := strings.IndexByte(s[j+len(":parameter/"):], ':'); k >= 0 {
				cut := j + len(":parameter/") + k
				return s[:cut], s[cut:]
			}
		}
	}
	return s, ""
}

// pick finds the version a selector names; notFound is the error for an
// unknown parameter.
func pick(req *emulator.Request, full string, notFound error) (*param, *pversion, string, error) {
	name, sel := selector(full)
	p, err := viewParam(req, name)
	if err != nil {
		return nil, nil, "", err
	}
	if p == nil {
		return nil, nil, "", notFound
	}
	if sel == "" {
		return p, p.latest(), "", nil
	}
	s := sel[1:]
	if s == "" {
		return nil, nil, "", errValidation("Invalid parameter selector %q.", sel)
	}
	if s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, nil, "", errValidation("Invalid parameter selector %q.", sel)
		}
		v := p.version(n)
		if v == nil {
			return nil, nil, "", errVersionNotFound(p.Name, s)
		}
		return p, v, sel, nil
	}
	v := p.labelled(s)
	if v == nil {
		return nil, nil, "", errVersionNotFound(p.Name, s)
	}
	return p, v, sel, nil
}

// valueOf is the value as the caller may see it: plaintext, or for a
// SecureString read without decryption the ciphertext in base64.
func valueOf(ctx context.Context, req *emulator.Request, p *param, v *pversion, decrypt bool) (string, error) {
	if v.Type != typeSecure {
		return v.Value, nil
	}
	if !decrypt {
		return base64.StdEncoding.EncodeToString(v.Cipher), nil
	}
	return unseal(ctx, req, p.Name, v)
}

func paramOut(ctx context.Context, req *emulator.Request, p *param, v *pversion, sel string, decrypt bool) (map[string]any, error) {
	val, err := valueOf(ctx, req, p, v, decrypt)
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"Name": p.Name, "Type": v.Type, "Value": val, "Version": v.Version,
		"LastModifiedDate": v.Modified, "ARN": arnOf(req, p.Name), "DataType": v.DataType,
	}
	if sel != "" {
		out["Selector"] = sel
	}
	return out, nil
}

func getParameter(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	full := str(req.Input, "Name")
	p, v, sel, err := pick(req, full, errNotFound(""))
	if err != nil {
		return nil, err
	}
	out, err := paramOut(ctx, req, p, v, sel, boolean(req.Input, "WithDecryption"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Parameter": out}, nil
}

func getParameters(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	names := strs(req.Input, "Names")
	if len(names) == 0 || len(names) > maxBatch {
		return nil, errValidation("1 validation error detected: Value '[%s]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10", strings.Join(names, ", "))
	}
	params, invalid := []any{}, []any{}
	seen := map[string]bool{}
	for _, full := range names {
		if seen[full] {
			continue
		}
		seen[full] = true
		p, v, sel, err := pick(req, full, errNotFound(""))
		if err != nil {
			if _, ok := asAPI(err); ok {
				invalid = append(invalid, full)
				continue
			}
			return nil, err
		}
		out, err := paramOut(ctx, req, p, v, sel, boolean(req.Input, "WithDecryption"))
		if err != nil {
			return nil, err
		}
		params = append(params, out)
	}
	return map[string]any{"Parameters": params, "InvalidParameters": invalid}, nil
}

func deleteParameter(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "Name")
	err := req.Store.Update(func(tx *store.Tx) error {
		name = plainName(req, tx, name)
		p, err := loadParam(tx, name)
		if err != nil {
			return err
		}
		if p == nil {
			return errNotFound("")
		}
		return tx.Bucket(paramsBucket).Delete(name)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func deleteParameters(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	names := strs(req.Input, "Names")
	if len(names) == 0 || len(names) > maxBatch {
		return nil, errValidation("1 validation error detected: Value '[%s]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10", strings.Join(names, ", "))
	}
	deleted, invalid := []any{}, []any{}
	err := req.Store.Update(func(tx *store.Tx) error {
		for _, n := range names {
			name := plainName(req, tx, n)
			p, err := loadParam(tx, name)
			if err != nil {
				return err
			}
			if p == nil {
				invalid = append(invalid, n)
				continue
			}
			if err := tx.Bucket(paramsBucket).Delete(name); err != nil {
				return err
			}
			deleted = append(deleted, n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"DeletedParameters": deleted, "InvalidParameters": invalid}, nil
}

func getParameterHistory(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "Name")
	max, err := maxResults(req.Input, 50, 50)
	if err != nil {
		return nil, err
	}
	p, err := viewParam(req, name)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errNotFound("Parameter %s not found.", name)
	}
	start, err := offsetToken(str(req.Input, "NextToken"))
	if err != nil {
		return nil, err
	}
	if start > len(p.Versions) {
		return nil, errInvalidNextToken()
	}
	end := min(start+max, len(p.Versions))
	hist := []any{}
	for _, v := range p.Versions[start:end] {
		val, err := valueOf(ctx, req, p, v, boolean(req.Input, "WithDecryption"))
		if err != nil {
			return nil, err
		}
		h := map[string]any{
			"Name": p.Name, "Type": v.Type, "LastModifiedDate": v.Modified, "LastModifiedUser": v.User,
			"Value": val, "Version": v.Version, "Labels": anyList(v.Labels), "Tier": v.Tier,
			"Policies": policiesOut(v.Policies), "DataType": v.DataType,
		}
		if v.KeyID != "" {
			h["KeyId"] = v.KeyID
		}
		if v.Description != "" {
			h["Description"] = v.Description
		}
		if v.AllowedPattern != "" {
			h["AllowedPattern"] = v.AllowedPattern
		}
		hist = append(hist, h)
	}
	out := map[string]any{"Parameters": hist}
	if end < len(p.Versions) {
		out["NextToken"] = makeOffsetToken(end)
	}
	return out, nil
}

func anyList(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
