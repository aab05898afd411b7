package dynamodbstreams

import (
	"fmt"
	"net/http"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// DynamoDB Streams' error codes; the json codec namespaces them on the wire
// as DynamoDB does (com.amazonaws.dynamodb.v20120810#...).
const (
	codeValidation = "ValidationException"
	codeNotFound   = "ResourceNotFoundException"
	codeExpired    = "ExpiredIteratorException"
	codeTrimmed    = "TrimmedDataAccessException"
)

func validationf(format string, args ...any) *protocol.APIError {
	return emulator.Errorf(codeValidation, http.StatusBadRequest, "%s", fmt.Sprintf(format, args...))
}

func streamNotFound(arn string) *protocol.APIError {
	return emulator.Errorf(codeNotFound, http.StatusBadRequest, "Requested resource not found: Stream: %s not found", arn)
}
