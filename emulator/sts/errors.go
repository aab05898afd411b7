package sts

import (
	"fmt"

	"github.com/fakecloud/fakecloud/internal/protocol"
)

// STS (awsQuery) error codes as the service sends them.

func errValidation(format string, args ...any) *protocol.APIError {
	return &protocol.APIError{Code: "ValidationError", StatusCode: 400, Type: "Sender", Message: fmt.Sprintf(format, args...)}
}

func errExpired() *protocol.APIError {
	return &protocol.APIError{Code: "ExpiredToken", StatusCode: 400, Type: "Sender",
		Message: "The security token included in the request is expired"}
}

func errInvalidIdentityToken(msg string) *protocol.APIError {
	return &protocol.APIError{Code: "InvalidIdentityToken", StatusCode: 400, Type: "Sender", Message: msg}
}

func errMalformedPolicy() *protocol.APIError {
	return &protocol.APIError{Code: "MalformedPolicyDocument", StatusCode: 400, Type: "Sender",
		Message: "The policy is not in the valid JSON format."}
}

func errMissingAuth() *protocol.APIError {
	return &protocol.APIError{Code: "MissingAuthenticationToken", StatusCode: 403, Type: "Sender",
		Message: "Request is missing Authentication Token"}
}

func errAccessDenied() *protocol.APIError {
	return &protocol.APIError{Code: "AccessDenied", StatusCode: 403, Type: "Sender",
		Message: "Cannot call GetSessionToken with session credentials"}
}
