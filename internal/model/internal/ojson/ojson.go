// Package ojson is a small order-preserving JSON tree used to merge and strip
// botocore model documents without reordering keys: the XML and query
// protocols serialize structure members in model order, and model.Parse reads
// operation and member order from the document.
package ojson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Object is a JSON object that keeps its keys in document order.
type Object struct {
	keys []string
	vals map[string]any
}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{vals: map[string]any{}} }

// Get returns the value of key k.
func (o *Object) Get(k string) (any, bool) { v, ok := o.vals[k]; return v, ok }

// Set replaces the value of an existing key in place (as a Python dict does)
// or appends a new key.
func (o *Object) Set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// Del removes key k.
func (o *Object) Del(k string) {
	if _, ok := o.vals[k]; !ok {
		return
	}
	delete(o.vals, k)
	for i, kk := range o.keys {
		if kk == k {
			o.keys = append(o.keys[:i], o.keys[i+1:]...)
			break
		}
	}
}

// Decode reads one JSON document into an ordered tree: *Object, []any,
// string, json.Number, bool or nil.
func Decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after JSON document")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := NewObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is not a string")
				}
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				o.Set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			l := []any{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return l, nil
		}
		return nil, fmt.Errorf("unexpected delimiter %v", t)
	default:
		return tok, nil
	}
}

// Encode writes v as compact JSON without HTML escaping, keys in order.
func Encode(w *bytes.Buffer, v any) error {
	switch t := v.(type) {
	case *Object:
		w.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := encodeString(w, k); err != nil {
				return err
			}
			w.WriteByte(':')
			if err := Encode(w, t.vals[k]); err != nil {
				return err
			}
		}
		w.WriteByte('}')
	case []any:
		w.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := Encode(w, x); err != nil {
				return err
			}
		}
		w.WriteByte(']')
	case string:
		return encodeString(w, t)
	case json.Number:
		w.WriteString(t.String())
	case bool:
		if t {
			w.WriteString("true")
		} else {
			w.WriteString("false")
		}
	case nil:
		w.WriteString("null")
	default:
		return fmt.Errorf("unexpected JSON value %T", v)
	}
	return nil
}

func encodeString(w *bytes.Buffer, s string) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return err
	}
	w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return nil
}

// DeepMerge is botocore.utils.deep_merge, used for *.sdk-extras.json "merge"
// sections: objects on both sides merge recursively, anything else replaces.
func DeepMerge(base, extra *Object) {
	for _, k := range extra.keys {
		ev := extra.vals[k]
		if bv, ok := base.vals[k]; ok {
			bo, bok := bv.(*Object)
			eo, eok := ev.(*Object)
			if bok && eok {
				DeepMerge(bo, eo)
				continue
			}
		}
		base.Set(k, ev)
	}
}

// docKeys are the documentation keys removed from every model.
var docKeys = []string{"documentation", "documentationUrl", "examples"}

// nameMaps are keys whose object's keys are names chosen by the model author
// (a member called "documentation" is data, not a doc string).
var nameMaps = map[string]bool{"members": true, "shapes": true, "operations": true, "pagination": true, "waiters": true}

// StripDocs removes documentation strings everywhere in a model document.
// The keys of a name map ("members", "shapes", ...) are never removed, and a
// member that happens to be called "members" is still an ordinary reference:
// whether an object is a name map depends on its position, not its name.
func StripDocs(v any) { stripDocs(v, false) }

func stripDocs(v any, isNameMap bool) {
	switch t := v.(type) {
	case *Object:
		if isNameMap {
			for _, k := range t.keys {
				stripDocs(t.vals[k], false)
			}
			return
		}
		for _, k := range docKeys {
			t.Del(k)
		}
		for _, k := range t.keys {
			stripDocs(t.vals[k], nameMaps[k])
		}
	case []any:
		for _, x := range t {
			stripDocs(x, false)
		}
	}
}
