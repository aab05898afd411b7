// Package protocol defines the one interface through which every part of
// fakecloud speaks AWS wire formats, and the value conventions all codecs share.
//
// A Codec implements one wire protocol (query, ec2, json, rest-json, rest-xml)
// in both directions:
//
//	client: params --MarshalRequest--> *http.Request --> ... *http.Response --UnmarshalResponse--> output / *APIError
//	server: *http.Request --DecodeRequest--> input --> handler --> output --EncodeResponse--> http.ResponseWriter
//	                                                          \--> *APIError --EncodeError------^
//
// The implementations live in the sub-packages (query, ec2, jsonrpc, restjson,
// restxml); package codecs picks one for a service model.
//
// # Values
//
// Inputs and outputs are plain Go values shaped by the model:
//
//	structure          map[string]any (member name -> value; an absent member is absent)
//	list               []any
//	map                map[string]any
//	string, enum       string
//	integer, long,
//	short, byte        int64
//	float, double      float64
//	boolean            bool
//	timestamp          time.Time (UTC)
//	blob               []byte
//	streaming blob     io.Reader (never buffered by a codec; a decoded request or
//	                   response body is an io.ReadCloser the caller must close)
//	document           any (as encoding/json decodes it, numbers as float64)
//	bigInteger,
//	bigDecimal         string (the decimal text)
//
// Normalize converts looser Go values (int, float32, json.Number, numeric
// strings for timestamps ...) to this canonical form.
package protocol
