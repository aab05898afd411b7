package dynamodb

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// The error codes DynamoDB answers with. The json codec writes the code as
// __type; SDKs strip any "namespace#" prefix, so the bare code is what they
// match.
const (
	codeValidation          = "ValidationException"
	codeNotFound            = "ResourceNotFoundException"
	codeInUse               = "ResourceInUseException"
	codeConditionalFailed   = "ConditionalCheckFailedException"
	codeTxCanceled          = "TransactionCanceledException"
	codeIdempotentMismatch  = "IdempotentParameterMismatchException"
	codeTxConflict          = "TransactionConflictException"
	codeItemCollectionLimit = "ItemCollectionSizeLimitExceededException"
)

func validationf(format string, args ...any) *protocol.APIError {
	return emulator.Errorf(codeValidation, http.StatusBadRequest, "%s", fmt.Sprintf(format, args...))
}

func notFound(format string, args ...any) *protocol.APIError {
	if format == "" {
		return emulator.Errorf(codeNotFound, http.StatusBadRequest, "Requested resource not found")
	}
	return emulator.Errorf(codeNotFound, http.StatusBadRequest, "%s", fmt.Sprintf(format, args...))
}

func conditionFailed(item expr.Item) *protocol.APIError {
	e := emulator.Errorf(codeConditionalFailed, http.StatusBadRequest, "The conditional request failed")
	if item != nil {
		e.Fields = map[string]any{"Item": item}
	}
	return e
}

// apiError turns expression-package errors into ValidationException and
// passes API errors through.
func apiError(err error) error {
	if err == nil {
		return nil
	}
	var ee *expr.Error
	if errors.As(err, &ee) {
		return validationf("%s", ee.Message)
	}
	var ae *protocol.APIError
	if errors.As(err, &ae) {
		return ae
	}
	return err
}
