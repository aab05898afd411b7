// Package xmlutil encodes and decodes XML bodies driven by botocore shapes,
// for the XML-family protocols (query and ec2 responses, rest-xml bodies).
//
// It implements the serialization traits of the model: locationName on
// members and list members, flattened and wrapped lists and maps, map
// entry/key/value names, xmlAttribute, xmlNamespace (with or without prefix),
// timestamps (iso8601 by default, or the timestampFormat trait), base64 blobs,
// booleans, and floats including NaN and ±Infinity. An empty element decodes
// to an empty value ("" / [] / {}); an absent element leaves the member absent.
//
// Parsing is safe for untrusted input: a document with a DOCTYPE (and so any
// entity declaration) is rejected, element nesting is capped at MaxDepth and
// the document size at MaxBytes; Go's encoding/xml never expands external
// entities. Values follow the conventions of package protocol.
package xmlutil
