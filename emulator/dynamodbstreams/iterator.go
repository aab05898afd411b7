package dynamodbstreams

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// iteratorTTL is how long a shard iterator stays valid: "A shard iterator
// expires 15 minutes after it is returned to the requester."
const iteratorTTL = 15 * time.Minute

// iterator is a position in a stream's single shard: the records after Seq
// (After) or from Seq on. The token looks like AWS's, the stream ARN then
// "|1|" and an opaque part.
type iterator struct {
	Stream string    `json:"-"`
	Shard  string    `json:"s"`
	Seq    string    `json:"q,omitempty"`
	After  bool      `json:"a,omitempty"`
	Issued time.Time `json:"t"`
}

var errBadIterator = errors.New("invalid shard iterator")

func (it iterator) token() string {
	data, _ := json.Marshal(it) // a struct of strings, a bool and a time cannot fail
	return it.Stream + "|1|" + base64.RawURLEncoding.EncodeToString(data)
}

// decodeIterator parses a token; anything malformed is errBadIterator.
func decodeIterator(tok string) (iterator, error) {
	i := strings.LastIndex(tok, "|1|")
	if i <= 0 {
		return iterator{}, errBadIterator
	}
	data, err := base64.RawURLEncoding.DecodeString(tok[i+3:])
	if err != nil {
		return iterator{}, errBadIterator
	}
	var it iterator
	if err := json.Unmarshal(data, &it); err != nil || it.Shard == "" || it.Issued.IsZero() {
		return iterator{}, errBadIterator
	}
	if it.Seq != "" && !validSeq(it.Seq) {
		return iterator{}, errBadIterator
	}
	it.Stream = tok[:i]
	return it, nil
}

// validSeq reports whether s looks like a sequence number: 21 to 40 digits.
func validSeq(s string) bool {
	if len(s) < 21 || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
