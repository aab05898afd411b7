package sns

import (
	"fmt"

	"github.com/fakecloud/fakecloud/internal/protocol"
)

// SNS (awsQuery) modeled errors, with the codes of the model's error traits.

func errNotFound(format string, args ...any) *protocol.APIError {
	return &protocol.APIError{Code: "NotFound", StatusCode: 404, Type: "Sender", Message: fmt.Sprintf(format, args...)}
}

func errInvalid(format string, args ...any) *protocol.APIError {
	return &protocol.APIError{Code: "InvalidParameter", StatusCode: 400, Type: "Sender", Message: "Invalid parameter: " + fmt.Sprintf(format, args...)}
}

func errBatch(code, format string, args ...any) *protocol.APIError {
	return &protocol.APIError{Code: code, StatusCode: 400, Type: "Sender", Message: fmt.Sprintf(format, args...)}
}

type apiError = protocol.APIError
