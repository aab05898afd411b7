// Package session is a Go implementation of boto3's Session and its
// model-driven clients.
//
// A Session resolves credentials, region and profiles exactly as boto3 does
// (through internal/awsconfig), and Session.Client makes a client for any
// service that has a botocore model (internal/model). A client call runs
// botocore's pipeline: events (provide-client-params, before-parameter-build,
// before-call, request-created, choose-signer, before-sign, before-send,
// needs-retry, after-call), parameter validation, serialisation by the
// protocol layer (internal/protocol/codecs), SigV4 signing (internal/sigv4),
// retries in legacy, standard or adaptive mode, and parsing into an *Output or
// an *APIError.
//
// Every client takes an *http.Client, which is how the recorder or the
// in-process emulator is plugged in:
//
//	s, _ := session.New(session.Options{Region: "us-east-1", AccessKeyID: "AK", SecretAccessKey: "SK"})
//	c, _ := s.Client("dynamodb", session.ClientOptions{EndpointURL: srv.URL})
//	out, err := c.Call(ctx, "list_tables", session.Params{"Limit": 10})
//
// Tests that need canned answers use a Stubber, botocore's stub.Stubber
// (5.21, 5.22): responses are queued per operation, checked against the
// output shape when added, and handed back from a before-call handler, so
// nothing is sent; expected params (with ANY) are checked before the call.
//
// There is no port of placebo (5.23), the boto3 library that saves each
// response to <service>.<Operation>_<N>.json and plays them back from a
// before-call handler. The recorder package plays that role, and does more:
// it records at the HTTP layer, so signing, retries and parsing still run on
// replay, and stores whole cassettes with matchers and redaction. Plug it in
// as the client's HTTP client:
//
//	rec := recorder.ForTest(t, "list-tables")
//	s, _ := session.New(session.Options{Region: "us-east-1", HTTPClient: rec.Client()})
//
// See https://pkg.go.dev/github.com/fakecloud/fakecloud/recorder.
//
// Clients honour Config.Proxies and Config.ProxiesConfig (3.15, 2.51) as
// botocore does: a proxy per scheme (or scheme://host), else the HTTP_PROXY /
// HTTPS_PROXY / NO_PROXY environment; proxy_ca_bundle and proxy_client_cert
// for TLS to an https:// proxy; proxy_use_forwarding_for_https to send https
// requests to an https:// proxy in absolute form instead of a CONNECT tunnel.
//
// Item numbers in comments and test names (1.05, 4.28, …) refer to the
// acceptance checklist specs/session-spec.md.
package session
