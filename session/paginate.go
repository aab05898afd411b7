package session

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"iter"
	"reflect"
	"strings"

	"github.com/fakecloud/fakecloud/internal/model"
)

// CanPaginate reports whether an operation (model or snake_case name) has a
// paginator (4.34). Unlike boto3 an unknown name gives false, not KeyError.
func (c *Client) CanPaginate(operation string) bool {
	op, ok := c.svc.Operation(operation)
	if !ok {
		return false
	}
	_, ok = c.svc.Paginators[op.Name]
	return ok
}

// Paginator returns the paginator of an operation, or
// *OperationNotPageableError (4.35).
func (c *Client) Paginator(operation string) (*Paginator, error) {
	op, ok := c.svc.Operation(operation)
	if !ok {
		return nil, &UnknownClientMethodError{Method: operation}
	}
	pm, ok := c.svc.Paginators[op.Name]
	if !ok {
		return nil, &OperationNotPageableError{Operation: operation}
	}
	return &Paginator{c: c, op: op, model: pm}, nil
}

// Paginator pages through an operation as botocore's does (4.36–4.45).
type Paginator struct {
	c     *Client
	op    *model.Operation
	model *model.Paginator
}

// Name is botocore's paginator class name: "DynamoDB.Paginator.ListTables".
func (p *Paginator) Name() string {
	return strings.ReplaceAll(p.c.svc.Metadata.ServiceID, " ", "") + ".Paginator." + p.op.Name
}

// PaginationConfig is boto3's PaginationConfig.
type PaginationConfig struct {
	// MaxItems caps the total number of primary result items (4.38).
	MaxItems int
	// PageSize sets the operation's limit key on every request (4.37).
	PageSize int
	// StartingToken resumes a truncated pagination (4.39, 4.40).
	StartingToken string
}

// PageIterator is a lazy sequence of pages; after a truncated iteration
// ResumeToken holds the token to continue from.
type PageIterator struct {
	p      *Paginator
	ctx    context.Context
	params Params
	cfg    PaginationConfig
	resume string
	first  map[string]any // non-aggregate values of the first page
}

// Pages returns a lazy page iterator: nothing is sent until it is ranged over.
func (p *Paginator) Pages(ctx context.Context, params Params, cfg PaginationConfig) *PageIterator {
	return &PageIterator{p: p, ctx: ctx, params: params, cfg: cfg}
}

// ResumeToken is boto3's resume_token: base64 of JSON {"<InputToken>": value,
// "boto_truncate_amount": n}, "" when the last iteration was not truncated.
func (it *PageIterator) ResumeToken() string { return it.resume }

func encodeToken(tok map[string]any) string {
	b, _ := json.Marshal(tok)
	return base64.StdEncoding.EncodeToString(b)
}

// parseStartingToken decodes a resume token; a string that is not one is
// the legacy form, input token values joined by "___" (4.40).
func (it *PageIterator) parseStartingToken() (map[string]any, int) {
	in := it.p.model.InputToken
	tok := map[string]any{}
	if b, err := base64.StdEncoding.DecodeString(it.cfg.StartingToken); err == nil {
		var m map[string]any
		if json.Unmarshal(b, &m) == nil && m != nil {
			trunc := 0
			if v, ok := m["boto_truncate_amount"].(float64); ok {
				trunc = int(v)
			}
			delete(m, "boto_truncate_amount")
			return m, trunc
		}
	}
	parts := strings.Split(it.cfg.StartingToken, "___")
	for i, k := range in {
		if i < len(parts) && parts[i] != "" {
			tok[k] = parts[i]
		} else {
			tok[k] = nil
		}
	}
	return tok, 0
}

// All iterates the pages. An error ends the sequence.
func (it *PageIterator) All() iter.Seq2[*Output, error] {
	return func(yield func(*Output, error) bool) {
		pm := it.p.model
		kwargs := Params{}
		for k, v := range it.params {
			kwargs[k] = v
		}
		if it.cfg.PageSize > 0 && pm.LimitKey != "" {
			kwargs[pm.LimitKey] = it.cfg.PageSize
		}
		nextToken := map[string]any{}
		for _, k := range pm.InputToken {
			nextToken[k] = nil
		}
		startTrunc := 0
		if it.cfg.StartingToken != "" {
			nextToken, startTrunc = it.parseStartingToken()
			for k, v := range nextToken {
				if v != nil {
					kwargs[k] = v
				}
			}
		}
		it.resume = ""
		var prev map[string]any
		total := 0
		first := true
		primary := ""
		if len(pm.ResultKey) > 0 {
			primary = pm.ResultKey[0]
		}
		for {
			out, err := it.p.c.Call(it.ctx, it.p.op.Name, kwargs)
			if err != nil {
				yield(nil, err)
				return
			}
			if first {
				if it.cfg.StartingToken != "" && primary != "" {
					it.truncateFirst(out.Data, startTrunc)
				} else {
					startTrunc = 0
				}
				first = false
				it.first = map[string]any{}
				for _, k := range pm.NonAggregateKeys {
					if v, _ := jmesSearch(k, out.Data); v != nil {
						it.first[k] = v
					}
				}
			} else {
				startTrunc = 0
			}
			var items []any
			if primary != "" {
				v, _ := jmesSearch(primary, out.Data)
				items, _ = v.([]any)
			}
			if it.cfg.MaxItems > 0 && total+len(items) > it.cfg.MaxItems {
				keep := len(items) - (total + len(items) - it.cfg.MaxItems)
				if simplePath.MatchString(primary) {
					setPath(out.Data, primary, items[:keep])
				}
				tok := map[string]any{}
				for k, v := range nextToken {
					tok[k] = v
				}
				tok["boto_truncate_amount"] = keep + startTrunc
				it.resume = encodeToken(tok)
				yield(out, nil)
				return
			}
			if !yield(out, nil) {
				return
			}
			total += len(items)
			nextToken = it.nextToken(out.Data)
			done := true
			for _, v := range nextToken {
				done = done && v == nil
			}
			if done {
				return
			}
			if it.cfg.MaxItems > 0 && total == it.cfg.MaxItems {
				it.resume = encodeToken(nextToken)
				return
			}
			if prev != nil && reflect.DeepEqual(prev, nextToken) {
				b, _ := json.Marshal(jsonish(nextToken))
				yield(nil, &PaginationError{Message: fmt.Sprintf("The same next token was received twice: %s", b)})
				return
			}
			for k, v := range nextToken {
				if v == nil {
					delete(kwargs, k)
				} else {
					kwargs[k] = v
				}
			}
			prev = nextToken
		}
	}
}

func (it *PageIterator) truncateFirst(data map[string]any, n int) {
	pm := it.p.model
	primary := pm.ResultKey[0]
	if v, _ := jmesSearch(primary, data); simplePath.MatchString(primary) {
		switch x := v.(type) {
		case []any:
			setPath(data, primary, x[min(n, len(x)):])
		case string:
			setPath(data, primary, x[min(n, len(x)):])
		}
	}
	for _, k := range pm.ResultKey[1:] {
		if !simplePath.MatchString(k) {
			continue
		}
		v, _ := jmesSearch(k, data)
		var empty any
		switch v.(type) {
		case []any:
			empty = []any{}
		case string:
			empty = ""
		case int64, float64:
			empty = int64(0)
		}
		setPath(data, k, empty)
	}
}

// nextToken reads the output tokens; more_results false means done (4.36).
func (it *PageIterator) nextToken(data map[string]any) map[string]any {
	pm := it.p.model
	if pm.MoreResults != "" {
		v, _ := jmesSearch(pm.MoreResults, data)
		if b, _ := v.(bool); !b {
			return map[string]any{}
		}
	}
	out := map[string]any{}
	for i, ot := range pm.OutputToken {
		if i >= len(pm.InputToken) {
			break
		}
		v, _ := jmesSearch(ot, data)
		if isEmptyToken(v) {
			v = nil
		}
		out[pm.InputToken[i]] = v
	}
	return out
}

func isEmptyToken(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	case bool:
		return !x
	}
	return false
}

// BuildFullResult concatenates every result key across pages (4.41);
// "NextToken" is set only when the iteration was truncated.
func (it *PageIterator) BuildFullResult() (map[string]any, error) {
	full := map[string]any{}
	for page, err := range it.All() {
		if err != nil {
			return nil, err
		}
		for _, rk := range it.p.model.ResultKey {
			v, _ := jmesSearch(rk, page.Data)
			if v == nil {
				continue
			}
			existing, _ := jmesSearch(rk, full)
			if existing == nil {
				if l, ok := v.([]any); ok {
					v = append([]any(nil), l...)
				}
				setPath(full, rk, v)
				continue
			}
			switch e := existing.(type) {
			case []any:
				l, _ := v.([]any)
				setPath(full, rk, append(e, l...))
			case int64:
				n, _ := v.(int64)
				setPath(full, rk, e+n)
			case float64:
				n, _ := v.(float64)
				setPath(full, rk, e+n)
			case string:
				s, _ := v.(string)
				setPath(full, rk, e+s)
			}
		}
	}
	for k, v := range it.first {
		setPath(full, k, v)
	}
	if it.resume != "" {
		full["NextToken"] = it.resume
	}
	return full, nil
}

// Search applies a JMESPath expression to every page, yielding list results
// item by item and other results as one value per page (4.42).
func (it *PageIterator) Search(expr string) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		if _, err := compileJMES(expr); err != nil {
			yield(nil, err)
			return
		}
		for page, err := range it.All() {
			if err != nil {
				yield(nil, err)
				return
			}
			v, err := jmesSearch(expr, page.Data)
			if err != nil {
				yield(nil, err)
				return
			}
			if l, ok := v.([]any); ok {
				for _, x := range l {
					if !yield(x, nil) {
						return
					}
				}
				continue
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}
