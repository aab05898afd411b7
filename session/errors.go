package session

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/fakecloud/fakecloud/internal/awsconfig"
	"github.com/fakecloud/fakecloud/internal/endpoints"
	"github.com/fakecloud/fakecloud/internal/model"
)

// Errors shared with the internal packages. They are aliases, so errors.Is
// and errors.As work whichever package produced them.
var (
	// ErrNoRegion is botocore's NoRegionError: "You must specify a region."
	ErrNoRegion = endpoints.ErrNoRegion
	// ErrNoCredentials is botocore's NoCredentialsError.
	ErrNoCredentials = awsconfig.ErrNoCredentials
	// ErrUnknownRegion is botocore's UnknownRegionError (PartitionForRegion).
	ErrUnknownRegion = endpoints.ErrUnknownRegion
)

type (
	// ProfileNotFoundError is botocore's ProfileNotFound (item 1.05).
	ProfileNotFoundError = awsconfig.ProfileNotFoundError
	// PartialCredentialsError is botocore's PartialCredentialsError (1.41, 2.07).
	PartialCredentialsError = awsconfig.PartialCredentialsError
	// UnknownServiceError is botocore's UnknownServiceError (1.32).
	UnknownServiceError = model.UnknownServiceError
	// InvalidRegionError is botocore's InvalidRegionError (1.08).
	InvalidRegionError = endpoints.InvalidRegionError
	// ConfigParseError is botocore's ConfigParseError (2.18).
	ConfigParseError = awsconfig.ParseError
	// InvalidConfigError is botocore's InvalidConfigError.
	InvalidConfigError = awsconfig.InvalidConfigError
)

// DataNotFoundError is botocore's DataNotFoundError: an api_version that has
// no model (item 1.37).
type DataNotFoundError struct{ Path string }

func (e *DataNotFoundError) Error() string { return "Unable to load data for: " + e.Path }

// InvalidEndpointError is botocore's "ValueError: Invalid endpoint: …" for an
// endpoint_url without scheme and host, or an empty region (1.07, 1.40).
type InvalidEndpointError struct{ URL string }

func (e *InvalidEndpointError) Error() string { return "Invalid endpoint: " + e.URL }

// UnknownClientMethodError is botocore's UnknownClientMethodError (4.52).
type UnknownClientMethodError struct{ Method string }

func (e *UnknownClientMethodError) Error() string {
	return "Client does not have method: " + e.Method
}

// OperationNotPageableError is botocore's OperationNotPageableError (4.35).
type OperationNotPageableError struct{ Operation string }

func (e *OperationNotPageableError) Error() string {
	return "Operation cannot be paginated: " + e.Operation
}

// PaginationError is botocore's PaginationError (4.43).
type PaginationError struct{ Message string }

func (e *PaginationError) Error() string { return "Error during pagination: " + e.Message }

// InvalidConfigValueError reports a Config value botocore rejects at
// construction or client creation: addressing style (3.05), retry mode or
// max attempts (3.06), defaults mode (3.07), compression size (3.22).
type InvalidConfigValueError struct {
	Option string
	Value  any
	Msg    string
}

func (e *InvalidConfigValueError) Error() string { return e.Msg }

// ParamValidationError is botocore's ParamValidationError: every problem
// found in the parameters, reported together (4.15).
type ParamValidationError struct {
	Problems []string
}

func (e *ParamValidationError) Error() string {
	return "Parameter validation failed:\n" + strings.Join(e.Problems, "\n")
}

// APIError is a service error response, boto3's ClientError: the error code
// and message, HTTP status, request id and the response's headers, plus the
// modeled error members in Fields (4.09, 4.13, 8.14).
type APIError struct {
	Code       string
	Message    string
	HTTPStatus int
	RequestID  string
	HostID     string
	// Type is "Sender" or "Receiver" where the protocol carries it.
	Type string
	// Operation is the CamelCase operation name.
	Operation string
	Headers   http.Header
	// RetryAttempts is the number of retries made before this error.
	RetryAttempts int
	// MaxAttemptsReached reports that retries were exhausted.
	MaxAttemptsReached bool
	// RetryQuotaReached reports that the standard-mode retry quota was empty.
	RetryQuotaReached bool
	Fields            map[string]any
	// Modeled reports that Code names an error shape of the service model.
	Modeled bool
	// QueryErrorCode is the error shape name when an awsQueryCompatible
	// JSON service answered with an x-amzn-query-error code (4.83).
	QueryErrorCode string
}

// Error is boto3's ClientError text: "An error occurred (Code) when calling
// the Op operation: Message", with "(reached max retries: N)" after exhausted
// retries.
func (e *APIError) Error() string {
	retries := ""
	if e.MaxAttemptsReached && e.RetryAttempts > 0 {
		retries = fmt.Sprintf(" (reached max retries: %d)", e.RetryAttempts)
	}
	return fmt.Sprintf("An error occurred (%s) when calling the %s operation%s: %s", e.Code, e.Operation, retries, e.Message)
}

// Is makes errors.Is(err, ErrorCode("NoSuchKey")) true for an *APIError with
// that code.
func (e *APIError) Is(target error) bool {
	if c, ok := target.(ErrorCode); ok {
		return string(c) == e.Code || (e.QueryErrorCode != "" && string(c) == e.QueryErrorCode)
	}
	return false
}

// ErrorCode is a service error code used as an error value, the Go analogue
// of client.exceptions.NoSuchKey: errors.Is(err, session.ErrorCode("NoSuchKey")).
type ErrorCode string

func (c ErrorCode) Error() string { return string(c) }

// WaiterError is botocore's WaiterError (4.49–4.51).
type WaiterError struct {
	Name         string
	Reason       string
	LastResponse *Output
	// Err is the last service error, when the waiter stopped on one.
	Err error
}

func (e *WaiterError) Error() string {
	return fmt.Sprintf("Waiter %s failed: %s", e.Name, e.Reason)
}

func (e *WaiterError) Unwrap() error { return e.Err }

// Exceptions lists the error codes a client's service models, by shape name
// (client.exceptions, 4.10, 4.11).
type Exceptions struct {
	mu      sync.RWMutex
	byShape map[string]string
	byCode  map[string]string
}

func newExceptions(svc *model.Service) *Exceptions {
	ex := &Exceptions{byShape: map[string]string{}, byCode: map[string]string{}}
	for name, sh := range svc.Shapes {
		if !sh.Exception {
			continue
		}
		code := name
		if sh.Error != nil && sh.Error.Code != "" {
			code = sh.Error.Code
		}
		ex.byShape[name] = code
		ex.byCode[code] = name
	}
	return ex
}

// Names returns the modeled exception shape names, sorted.
func (x *Exceptions) Names() []string {
	out := make([]string, 0, len(x.byShape))
	for n := range x.byShape {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Code returns the error value for an exception shape name. Its wire code may
// differ from the name (SQS QueueDoesNotExist is
// AWS.SimpleQueueService.NonExistentQueue); errors.Is matches either.
func (x *Exceptions) Code(shape string) (ErrorCode, bool) {
	c, ok := x.byShape[shape]
	return ErrorCode(c), ok
}

// FromCode returns the exception shape name for a wire code, or
// "ClientError" when the code is not modeled (from_code).
func (x *Exceptions) FromCode(code string) string {
	if n, ok := x.shapeFor(code); ok {
		return n
	}
	return "ClientError"
}

// alias records a wire code learned from a response (a query-compatible
// code) for a shape.
func (x *Exceptions) alias(code, shape string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.byCode[code]; !ok {
		x.byCode[code] = shape
	}
}

// shapeFor reports the modeled shape name of an error code.
func (x *Exceptions) shapeFor(code string) (string, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if n, ok := x.byCode[code]; ok {
		return n, true
	}
	_, ok := x.byShape[code]
	return code, ok
}

// isAPIError is errors.As for *APIError.
func isAPIError(err error) (*APIError, bool) {
	var ae *APIError
	ok := errors.As(err, &ae)
	return ae, ok
}
