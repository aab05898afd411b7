package sqs

import (
	"fmt"

	"github.com/fakecloud/fakecloud/internal/protocol"
)

// queryCodes maps SQS's awsJson error names to the awsQuery codes the service
// answered before it moved to JSON. SQS is awsQueryCompatible: JSON clients
// get the shape name in __type and the query code in x-amzn-query-error,
// query clients get the query code in <Code>. The botocore model we load has
// the shapes but not their error.code traits, so the codes live here (they are
// the "awsQueryError" traits of SQS's Smithy model).
var queryCodes = map[string]struct {
	code   string
	status int
}{
	"QueueDoesNotExist":            {"AWS.SimpleQueueService.NonExistentQueue", 400},
	"QueueNameExists":              {"QueueAlreadyExists", 400},
	"QueueDeletedRecently":         {"AWS.SimpleQueueService.QueueDeletedRecently", 400},
	"PurgeQueueInProgress":         {"AWS.SimpleQueueService.PurgeQueueInProgress", 403},
	"MessageNotInflight":           {"AWS.SimpleQueueService.MessageNotInflight", 400},
	"ReceiptHandleIsInvalid":       {"ReceiptHandleIsInvalid", 404},
	"InvalidIdFormat":              {"InvalidIdFormat", 400},
	"EmptyBatchRequest":            {"AWS.SimpleQueueService.EmptyBatchRequest", 400},
	"TooManyEntriesInBatchRequest": {"AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400},
	"BatchEntryIdsNotDistinct":     {"AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400},
	"InvalidBatchEntryId":          {"AWS.SimpleQueueService.InvalidBatchEntryId", 400},
	"BatchRequestTooLong":          {"AWS.SimpleQueueService.BatchRequestTooLong", 400},
	"UnsupportedOperation":         {"AWS.SimpleQueueService.UnsupportedOperation", 400},
	"InvalidAttributeName":         {"InvalidAttributeName", 400},
	"InvalidAttributeValue":        {"InvalidAttributeValue", 400},
	"InvalidMessageContents":       {"InvalidMessageContents", 400},
	"OverLimit":                    {"OverLimit", 403},
	"ResourceNotFoundException":    {"ResourceNotFoundException", 404},
	// Not modeled as shapes, but answered by SQS with these codes.
	"InvalidParameterValue":       {"InvalidParameterValue", 400},
	"MissingParameter":            {"MissingParameter", 400},
	"InvalidAddress":              {"InvalidAddress", 404},
	"InvalidClientTokenId":        {"InvalidClientTokenId", 403},
	"AccessDenied":                {"AccessDenied", 403},
	"ValidationError":             {"ValidationError", 400},
	"InvalidParameterCombination": {"InvalidParameterCombination", 400},
}

// sqsError returns the modeled error code with its query code and status.
func sqsError(code, format string, args ...any) *protocol.APIError {
	q, ok := queryCodes[code]
	if !ok {
		q.code, q.status = code, 400
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &protocol.APIError{Code: code, QueryCode: q.code, StatusCode: q.status, Message: msg, Type: "Sender"}
}

func errNoQueue() *protocol.APIError {
	return sqsError("QueueDoesNotExist", "The specified queue does not exist.")
}

func errInvalidValue(name string) *protocol.APIError {
	return sqsError("InvalidAttributeValue", "Invalid value for the parameter %s.", name)
}

func errParam(format string, args ...any) *protocol.APIError {
	return sqsError("InvalidParameterValue", format, args...)
}

func errMissing(name string) *protocol.APIError {
	return sqsError("MissingParameter", "The request must contain the parameter %s.", name)
}
