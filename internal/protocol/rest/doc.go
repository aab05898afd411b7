// Package rest is the HTTP binding shared by the rest-json and rest-xml
// protocols: everything about a REST request and response except the body.
//
// Client side, BuildRequest expands the operation's requestUri template
// (labels "{Name}" percent-encode "/" too, greedy labels "{Key+}" keep it),
// adds the template's literal query ("?uploads", "?x-id=GetObject"), the
// querystring members, the header members and the endpoint trait's host
// prefix. DecodeResponse reads header, headers-prefix and statusCode members
// from a response.
//
// Server side, DecodeRequest reverses BuildRequest (minus the body) and
// WriteResponseHeaders writes an output's header and status members.
//
// AWS quirks kept here:
//   - Query strings are percent-encoded per RFC 3986 (space is %20, never +).
//   - A querystring map member (no locationName) carries free-form parameters;
//     a named querystring member wins over a map key of the same name.
//   - Header lists are comma-joined; a string item holding a comma or a double
//     quote is quoted with backslash escapes. Timestamp lists are joined
//     unquoted, so "Mon, 16 Dec 2019 ..." items are re-paired when split.
//   - Timestamps default to rfc822 (HTTP date) in headers and iso8601 in
//     labels and query strings; jsonvalue headers are base64 of the JSON text;
//     blob headers are base64.
//   - Header maps ("headers" location with a prefix such as x-amz-meta-) are
//     read back with lower-cased keys, as S3 returns them.
//   - Idempotency tokens: top-level members with the idempotencyToken trait
//     that the caller left out are filled by NewIdempotencyToken (a UUID v4;
//     replace the variable in tests for deterministic output).
package rest
