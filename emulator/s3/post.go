package s3

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/restxml"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// Browser POST uploads (presigned POST policy): a multipart/form-data POST
// to a bucket whose fields (key, policy, signature, Content-Type,
// x-amz-meta-*, success_action_status ...) precede the "file" field. The
// fields are read into memory (bounded as S3 bounds them); the file is
// streamed to the blob store through PutObject's own code.

// maxPostFields bounds the form fields before the file, as S3 does.
const maxPostFields = 20 << 10

var postObject = withEvents("PostObject", putObject)

// postForm is a parsed form: its fields by lower-case name, in the order
// and spelling they came.
type postForm struct {
	vals  map[string]string
	names []string // original spelling, arrival order
}

func (f *postForm) get(name string) string { return f.vals[strings.ToLower(name)] }

func (f *postForm) has(name string) bool {
	_, ok := f.vals[strings.ToLower(name)]
	return ok
}

func postUpload(ctx context.Context, req *emulator.Request, w http.ResponseWriter) error {
	r := req.HTTP
	bucket, key := bucketKey(r)
	if bucket == "" || key != "" || len(r.URL.Query()) > 0 {
		return emulator.ErrNotHandled
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return errPreconditionFailed("Bucket POST must be of the enclosure-type multipart/form-data")
	}
	b, err := lookupBucket(req, bucket)
	if err != nil {
		return err
	}
	form, file, err := readPostForm(multipart.NewReader(r.Body, params["boundary"]))
	if err != nil {
		return err
	}
	if file != nil {
		defer file.Close()
	}
	if form.get("key") == "" {
		return postMissing("key")
	}
	if file == nil {
		return withFields(errInvalidArgument("POST requires exactly one file upload per request."), "ArgumentName", "file", "ArgumentValue", "0")
	}
	objKey := strings.ReplaceAll(form.get("key"), "${filename}", file.FileName())
	form.vals["key"] = objKey
	pol, err := checkPostAuth(ctx, req, form)
	if err != nil {
		return err
	}
	body := &sizedReader{r: file, max: -1}
	if pol != nil {
		if err := pol.check(form, bucket); err != nil {
			return err
		}
		body.min, body.max = pol.minSize, pol.maxSize
	}
	in, err := postInput(req, form, bucket, objKey)
	if err != nil {
		return err
	}
	in["Body"] = io.NopCloser(body)
	req.Input = in
	out, err := postObject(ctx, req)
	if ae := body.sizeError(); ae != nil {
		return ae
	}
	if err != nil {
		return err
	}
	etag := str(out, "ETag")
	h := w.Header()
	if origin := r.Header.Get("Origin"); origin != "" {
		if rule, pat := matchCORS(corsRules(b.meta), origin, http.MethodPost, nil); rule != nil {
			setCORSHeaders(h, rule, pat, origin, nil)
		}
	}
	location := objectURL(req.HTTP, bucket, objKey)
	h.Set("ETag", etag)
	h.Set("Location", location)
	if v := str(out, "VersionId"); v != "" {
		h.Set("x-amz-version-id", v)
	}
	if sse := str(out, "ServerSideEncryption"); sse != "" {
		h.Set("x-amz-server-side-encryption", sse)
	}
	redirect := form.get("success_action_redirect")
	if redirect == "" {
		redirect = form.get("redirect")
	}
	if u, perr := url.Parse(redirect); redirect != "" && perr == nil && u.Scheme != "" && u.Host != "" {
		q := u.Query()
		q.Set("bucket", bucket)
		q.Set("key", objKey)
		q.Set("etag", etag)
		u.RawQuery = q.Encode()
		h.Set("Location", u.String())
		return restxml.WriteS3Raw(w, http.StatusSeeOther, meta(req), nil)
	}
	switch form.get("success_action_status") {
	case "200":
		return restxml.WriteS3Raw(w, http.StatusOK, meta(req), nil)
	case "201":
		return restxml.WriteS3Raw(w, http.StatusCreated, meta(req), restxml.PostResponse(location, bucket, objKey, etag))
	}
	return restxml.WriteS3Raw(w, http.StatusNoContent, meta(req), nil)
}

// readPostForm reads the fields up to the file field; fields after the file
// are ignored, as S3 ignores them. The file part is returned unread.
func readPostForm(mr *multipart.Reader) (*postForm, *multipart.Part, error) {
	form := &postForm{vals: map[string]string{}}
	total := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return form, nil, nil
		}
		if err != nil {
			return nil, nil, errMalformedPOST()
		}
		name := p.FormName()
		if strings.EqualFold(name, "file") {
			return form, p, nil
		}
		v, err := io.ReadAll(io.LimitReader(p, int64(maxPostFields-total+1)))
		p.Close()
		if err != nil {
			return nil, nil, errMalformedPOST()
		}
		total += len(name) + len(v)
		if total > maxPostFields {
			return nil, nil, emulator.Errorf("MaxPostPreDataLengthExceeded", http.StatusBadRequest,
				"Your POST request fields preceding the upload file were too large.")
		}
		lname := strings.ToLower(name)
		if _, dup := form.vals[lname]; !dup {
			form.names = append(form.names, name)
		}
		form.vals[lname] = string(v)
	}
}

func errMalformedPOST() *protocol.APIError {
	return emulator.Errorf("MalformedPOSTRequest", http.StatusBadRequest,
		"The body of your POST request is not well-formed multipart/form-data.")
}

func postMissing(field string) *protocol.APIError {
	return withFields(errInvalidArgument("Bucket POST must contain a field named '%s'.  If it is specified, please check the order of the fields.", field),
		"ArgumentName", field, "ArgumentValue", "")
}

func errPolicy(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("AccessDenied", http.StatusForbidden, "Invalid according to Policy: "+format, args...)
}

var (
	v4PostFields = []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature", "Policy"}
	v2PostFields = []string{"AWSAccessKeyId", "Signature", "Policy"}
)

// checkPostAuth checks the signature fields and, when the emulator verifies
// signatures, the signature over the base64 policy; it returns the decoded
// policy (nil for a form without one: an anonymous upload).
func checkPostAuth(ctx context.Context, req *emulator.Request, form *postForm) (*postPolicy, error) {
	v4 := form.has("x-amz-signature") || form.has("x-amz-credential") || form.has("x-amz-algorithm") || form.has("x-amz-date")
	v2 := form.has("awsaccesskeyid") || form.has("signature")
	fields := v4PostFields
	if !v4 {
		fields = v2PostFields
	}
	if v4 || v2 {
		for _, f := range fields {
			if !form.has(f) {
				return nil, postMissing(f)
			}
		}
	}
	if !form.has("policy") {
		if req.VerifiesSignatures() {
			return nil, emulator.Errorf("AccessDenied", http.StatusForbidden, "Access Denied")
		}
		return nil, nil
	}
	p64 := form.get("policy")
	if !v4 && !v2 {
		return nil, postMissing("AWSAccessKeyId")
	}
	if req.VerifiesSignatures() {
		if err := verifyPostSignature(ctx, req, form, v4, p64); err != nil {
			return nil, err
		}
	}
	pol, err := parsePolicy(p64)
	if err != nil {
		return nil, err
	}
	if !req.Clock.Now().Before(pol.expiration) {
		return nil, errPolicy("Policy expired.")
	}
	return pol, nil
}

func verifyPostSignature(ctx context.Context, req *emulator.Request, form *postForm, v4 bool, p64 string) error {
	var akid, want string
	if v4 {
		if alg := form.get("x-amz-algorithm"); alg != sigv4.Algorithm {
			return withFields(errInvalidArgument("Invalid algorithm: %s", alg), "ArgumentName", "X-Amz-Algorithm", "ArgumentValue", alg)
		}
		parts := strings.Split(form.get("x-amz-credential"), "/")
		if len(parts) != 5 || parts[4] != "aws4_request" {
			return withFields(errInvalidArgument("Invalid credential: %s", form.get("x-amz-credential")), "ArgumentName", "X-Amz-Credential", "ArgumentValue", form.get("x-amz-credential"))
		}
		akid = parts[0]
		creds, ok := req.Credentials(ctx, akid)
		if !ok {
			return errUnknownKey(akid)
		}
		if err := checkPostToken(form, creds); err != nil {
			return err
		}
		var sg sigv4.Signer
		m := hmac.New(sha256.New, sg.SigningKey(creds.SecretAccessKey, parts[1], parts[2], parts[3]))
		m.Write([]byte(p64))
		want = hex.EncodeToString(m.Sum(nil))
		if !hmac.Equal([]byte(want), []byte(strings.ToLower(form.get("x-amz-signature")))) {
			return errPostSignature(akid, p64)
		}
		return nil
	}
	akid = form.get("awsaccesskeyid")
	creds, ok := req.Credentials(ctx, akid)
	if !ok {
		return errUnknownKey(akid)
	}
	if err := checkPostToken(form, creds); err != nil {
		return err
	}
	if !hmac.Equal([]byte(sigv4.SignatureV2(creds.SecretAccessKey, p64)), []byte(form.get("signature"))) {
		return errPostSignature(akid, p64)
	}
	return nil
}

// checkPostToken requires the x-amz-security-token field of temporary
// credentials (an STS session), as the X-Amz-Security-Token header is
// required of a signed request: a missing or different token is S3's
// InvalidToken, whichever signature version signed the policy.
func checkPostToken(form *postForm, creds emulator.Credentials) error {
	if creds.SessionToken != "" && form.get("x-amz-security-token") != creds.SessionToken {
		return emulator.Errorf("InvalidToken", http.StatusBadRequest, "The provided token is malformed or otherwise invalid.")
	}
	return nil
}

func errUnknownKey(akid string) *protocol.APIError {
	return withFields(emulator.Errorf("InvalidAccessKeyId", http.StatusForbidden,
		"The AWS Access Key Id you provided does not exist in our records."), "AWSAccessKeyId", akid)
}

func errPostSignature(akid, p64 string) *protocol.APIError {
	return withFields(emulator.Errorf("SignatureDoesNotMatch", http.StatusForbidden,
		"The request signature we calculated does not match the signature you provided. Check your key and signing method."),
		"AWSAccessKeyId", akid, "StringToSign", p64)
}

// postPolicy is a decoded POST policy document.
type postPolicy struct {
	expiration time.Time
	conds      []policyCond
	// content-length-range bounds; max -1 when there is none.
	minSize, maxSize int64
}

type policyCond struct {
	op, field, value string // op "eq" or "starts-with"; field lower-case, without "$"
	text             string // as S3 quotes it in "Policy Condition failed: ..."
}

func errInvalidPolicy(detail string) *protocol.APIError {
	return emulator.Errorf("InvalidPolicyDocument", http.StatusBadRequest, "Invalid Policy: %s", detail)
}

func parsePolicy(p64 string) (*postPolicy, error) {
	raw, err := base64.StdEncoding.DecodeString(p64)
	if err != nil {
		return nil, errInvalidPolicy("Invalid JSON.")
	}
	var doc struct {
		Expiration *string           `json:"expiration"`
		Conditions []json.RawMessage `json:"conditions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, errInvalidPolicy("Invalid JSON.")
	}
	if doc.Expiration == nil {
		return nil, errInvalidPolicy("Policy missing expiration.")
	}
	if doc.Conditions == nil {
		return nil, errInvalidPolicy("Policy missing conditions.")
	}
	exp, err := time.Parse(time.RFC3339Nano, *doc.Expiration)
	if err != nil {
		return nil, errInvalidPolicy("Invalid 'expiration' value: '" + *doc.Expiration + "'")
	}
	p := &postPolicy{expiration: exp, maxSize: -1}
	for _, c := range doc.Conditions {
		if err := p.add(c); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *postPolicy) add(raw json.RawMessage) error {
	var simple map[string]string
	if json.Unmarshal(raw, &simple) == nil {
		if len(simple) != 1 {
			return errInvalidPolicy("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.")
		}
		for k, v := range simple {
			p.conds = append(p.conds, policyCond{op: "eq", field: strings.ToLower(k), value: v, text: quoteCond("eq", "$"+k, v)})
		}
		return nil
	}
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) != nil || len(arr) != 3 {
		return errInvalidPolicy("Invalid Condition: " + string(raw))
	}
	var op string
	if json.Unmarshal(arr[0], &op) != nil {
		return errInvalidPolicy("Invalid Condition: " + string(raw))
	}
	switch strings.ToLower(op) {
	case "content-length-range":
		var lo, hi int64
		if json.Unmarshal(arr[1], &lo) != nil || json.Unmarshal(arr[2], &hi) != nil || lo < 0 || hi < lo {
			return errInvalidPolicy("Invalid content-length-range: " + string(raw))
		}
		p.minSize, p.maxSize = lo, hi
		return nil
	case "eq", "starts-with":
		var field, value string
		if json.Unmarshal(arr[1], &field) != nil || json.Unmarshal(arr[2], &value) != nil || !strings.HasPrefix(field, "$") {
			return errInvalidPolicy("Invalid Condition: " + string(raw))
		}
		p.conds = append(p.conds, policyCond{op: strings.ToLower(op), field: strings.ToLower(field[1:]), value: value, text: quoteCond(op, field, value)})
		return nil
	}
	return errInvalidPolicy("Invalid Condition: " + string(raw))
}

// quoteCond renders a condition as S3 does in its message:
// ["eq", "$key", "value"] (a simple {"key": "value"} reads the same).
func quoteCond(op, field, value string) string {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	return "[" + q(op) + ", " + q(field) + ", " + q(value) + "]"
}

// postFieldsExempt are the form fields a policy need not mention.
var postFieldsExempt = map[string]bool{"policy": true, "x-amz-signature": true, "signature": true, "awsaccesskeyid": true, "file": true}

// check applies the conditions in policy order, then requires every form
// field to be covered by one.
func (p *postPolicy) check(form *postForm, bucket string) error {
	covered := map[string]bool{}
	for _, c := range p.conds {
		covered[c.field] = true
		var got string
		if c.field == "bucket" {
			got = bucket
		} else {
			got = form.vals[c.field]
		}
		ok := got == c.value
		if c.op == "starts-with" {
			ok = strings.HasPrefix(got, c.value)
			if c.field == "content-type" && !ok {
				// A Content-Type list must match member by member.
				ok = true
				for _, part := range strings.Split(got, ",") {
					ok = ok && strings.HasPrefix(strings.TrimSpace(part), c.value)
				}
			}
		}
		if !ok {
			return errPolicy("Policy Condition failed: %s", c.text)
		}
	}
	for _, name := range form.names {
		l := strings.ToLower(name)
		if postFieldsExempt[l] || strings.HasPrefix(l, "x-ignore-") || covered[l] {
			continue
		}
		return errPolicy("Extra input fields: %s", name)
	}
	return nil
}

// sizedReader counts the file's bytes against content-length-range: past
// max it fails (and counts the rest for S3's ProposedSize); below min at
// EOF it fails.
type sizedReader struct {
	r        io.Reader
	n        int64
	min, max int64 // max -1: unbounded
	err      *protocol.APIError
}

var errPostSize = errors.New("s3: POST file outside content-length-range")

func (s *sizedReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, errPostSize
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	if s.max >= 0 && s.n > s.max {
		rest, _ := io.Copy(io.Discard, s.r)
		s.n += rest
		s.err = withFields(emulator.Errorf("EntityTooLarge", http.StatusBadRequest, "Your proposed upload exceeds the maximum allowed size"),
			"ProposedSize", itoa(s.n), "MaxSizeAllowed", itoa(s.max))
		return 0, errPostSize
	}
	if errors.Is(err, io.EOF) && s.n < s.min {
		s.err = withFields(emulator.Errorf("EntityTooSmall", http.StatusBadRequest, "Your proposed upload is smaller than the minimum allowed size"),
			"ProposedSize", itoa(s.n), "MinSizeAllowed", itoa(s.min))
		return n, errPostSize
	}
	return n, err
}

func (s *sizedReader) sizeError() *protocol.APIError { return s.err }

// postFieldMembers maps form fields to PutObject's input members.
var postFieldMembers = map[string]string{
	"content-type": "ContentType", "cache-control": "CacheControl", "content-disposition": "ContentDisposition",
	"content-encoding": "ContentEncoding", "content-language": "ContentLanguage", "acl": "ACL",
	"x-amz-storage-class": "StorageClass", "x-amz-server-side-encryption": "ServerSideEncryption",
	"x-amz-server-side-encryption-aws-kms-key-id": "SSEKMSKeyId", "x-amz-website-redirect-location": "WebsiteRedirectLocation",
	"x-amz-checksum-algorithm": "ChecksumAlgorithm",
	"x-amz-checksum-crc32":     "ChecksumCRC32", "x-amz-checksum-crc32c": "ChecksumCRC32C", "x-amz-checksum-crc64nvme": "ChecksumCRC64NVME",
	"x-amz-checksum-sha1": "ChecksumSHA1", "x-amz-checksum-sha256": "ChecksumSHA256",
}

// postInput maps the form fields to PutObject's input members. The
// x-amz-checksum-* fields are verified against the file by PutObject's own
// ingest (BadDigest on a mismatch), as the headers of a PUT are.
func postInput(req *emulator.Request, form *postForm, bucket, key string) (map[string]any, error) {
	in := map[string]any{"Bucket": bucket, "Key": key}
	for field, member := range postFieldMembers {
		if v := form.get(field); v != "" {
			in[member] = v
		}
	}
	if v := form.get("expires"); v != "" {
		t, err := http.ParseTime(v)
		if err != nil {
			return nil, withFields(errInvalidArgument("Invalid Expires: %s", v), "ArgumentName", "Expires", "ArgumentValue", v)
		}
		in["Expires"] = t.UTC()
	}
	if form.has("tagging") {
		tagging, err := postTagging(req, form.get("tagging"))
		if err != nil {
			return nil, err
		}
		in["Tagging"] = tagging
	}
	meta := map[string]any{}
	for _, name := range form.names {
		l := strings.ToLower(name)
		if k, ok := strings.CutPrefix(l, "x-amz-meta-"); ok && k != "" {
			meta[k] = form.vals[l]
		}
	}
	if len(meta) > 0 {
		in["Metadata"] = meta
	}
	return in, nil
}

// postTagging reads the form's tagging field, a Tagging XML document as
// PutObjectTagging takes it (decoded by the rest-xml codec against that
// operation's input), into x-amz-tagging's query form, which PutObject
// stores. Tag rules are PutObjectTagging's (InvalidTag).
func postTagging(req *emulator.Request, doc string) (string, error) {
	op := req.Service.Operations["PutObjectTagging"]
	if op == nil {
		return "", errMalformedXML()
	}
	hr, err := http.NewRequest(http.MethodPut, "/b/k?tagging", strings.NewReader(doc))
	if err != nil {
		return "", errMalformedXML()
	}
	hr.Header.Set("Content-Type", "application/xml")
	in, err := restxml.New().DecodeRequest(op, hr)
	if err != nil {
		return "", errMalformedXML()
	}
	tagging := mapOf(in, "Tagging")
	if tagging == nil {
		return "", errMalformedXML()
	}
	tags := tagsFromSet(listOf(tagging, "TagSet"))
	if err := validateTags(tags); err != nil {
		return "", err
	}
	q := url.Values{}
	for _, t := range tags {
		q.Set(t.Key, t.Value)
	}
	return q.Encode(), nil
}

// objectURL is the Location S3 reports for an uploaded object: the
// object's URL at the endpoint the form was posted to.
func objectURL(r *http.Request, bucket, key string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	esc := (&url.URL{Path: key}).EscapedPath()
	if strings.HasPrefix(strings.ToLower(host), strings.ToLower(bucket)+".") {
		return scheme + "://" + host + "/" + esc
	}
	return scheme + "://" + host + "/" + bucket + "/" + esc
}
