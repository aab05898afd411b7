package protocol

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/fakecloud/fakecloud/internal/model"
)

// Codec is one AWS wire protocol, both directions.
type Codec interface {
	// Name is the protocol's botocore name: "query", "ec2", "json",
	// "rest-json" or "rest-xml".
	Name() string

	// MarshalRequest builds the HTTP request a client sends for op with the
	// given params. endpoint is the service endpoint (scheme, host and an
	// optional base path); the request is not signed.
	MarshalRequest(ctx context.Context, op *model.Operation, endpoint *url.URL, params map[string]any) (*http.Request, error)

	// UnmarshalResponse parses an HTTP response. A success gives the output
	// value (an empty map for operations without output); an error response
	// gives a nil map and an *APIError. A streaming payload member is the
	// response body itself, left open for the caller.
	UnmarshalResponse(op *model.Operation, resp *http.Response) (map[string]any, error)

	// DecodeRequest parses a request a client sent for op into its input
	// value. Malformed input gives an *APIError shaped as the service would
	// answer it (for example SerializationException or MalformedXML).
	DecodeRequest(op *model.Operation, r *http.Request) (map[string]any, error)

	// EncodeResponse writes output as the successful response to op.
	EncodeResponse(w http.ResponseWriter, op *model.Operation, output map[string]any, meta ResponseMeta) error

	// EncodeError writes err as the service would. op may be nil when the
	// request named no known operation.
	EncodeError(w http.ResponseWriter, op *model.Operation, err *APIError, meta ResponseMeta) error
}

// ResponseMeta carries the per-response values a server adds to every answer.
type ResponseMeta struct {
	RequestID string // x-amzn-RequestId / x-amz-request-id / RequestId element
	HostID    string // S3's x-amz-id-2
}

// APIError is an AWS error response: what a server encodes and what a client
// unmarshals.
type APIError struct {
	Code       string // the error code on the wire, e.g. "NoSuchKey"
	Message    string
	StatusCode int    // HTTP status
	Type       string // "Sender" or "Receiver" where the protocol carries it
	RequestID  string
	HostID     string
	// Fields are the modeled members of the error shape other than the
	// message (for example S3's BucketName, DynamoDB's CancellationReasons).
	Fields map[string]any
	// Header holds extra response headers (client side: all of them).
	Header http.Header
	// QueryCode is the awsQueryCompatible code ("AWS.SimpleQueueService.NonExistentQueue")
	// carried in x-amzn-query-error for services that moved from query to JSON.
	QueryCode string
}

func (e *APIError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("%s (HTTP %d)", e.Code, e.StatusCode)
	}
	return fmt.Sprintf("%s: %s (HTTP %d)", e.Code, e.Message, e.StatusCode)
}

// NewError returns an APIError with a code, HTTP status and message.
func NewError(code string, status int, format string, args ...any) *APIError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &APIError{Code: code, StatusCode: status, Message: msg}
}
