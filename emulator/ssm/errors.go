package ssm

import (
	"net/http"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// The modeled SSM errors fakecloud returns (all HTTP 400).

func errValidation(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("ValidationException", http.StatusBadRequest, format, args...)
}

// errNotFound is ParameterNotFound; SSM sends it with an empty message from
// GetParameter and DeleteParameter, and names the parameter elsewhere.
func errNotFound(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("ParameterNotFound", http.StatusBadRequest, format, args...)
}

func errVersionNotFound(name string, version string) *protocol.APIError {
	return emulator.Errorf("ParameterVersionNotFound", http.StatusBadRequest,
		"Systems Manager could not find version %s of %s. Verify the version and try again.", version, name)
}

func errAlreadyExists() *protocol.APIError {
	return emulator.Errorf("ParameterAlreadyExists", http.StatusBadRequest,
		"The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
}

func errMaxVersions(name string, oldest int64) *protocol.APIError {
	return emulator.Errorf("ParameterMaxVersionLimitExceeded", http.StatusBadRequest,
		"You attempted to create a new version of %s by calling the PutParameter API with the overwrite flag. Version %d, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.", name, oldest)
}

func errHierarchyLevel() *protocol.APIError {
	return emulator.Errorf("HierarchyLevelLimitExceededException", http.StatusBadRequest,
		"A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide.")
}

func errTypeMismatch(from, to string) *protocol.APIError {
	return emulator.Errorf("HierarchyTypeMismatchException", http.StatusBadRequest,
		"The parameter type can't be changed from %s to %s. You must create a new, unique parameter.", from, to)
}

func errPatternMismatch(pattern string) *protocol.APIError {
	return emulator.Errorf("ParameterPatternMismatchException", http.StatusBadRequest,
		"Parameter value, cannot be validated against allowedPattern: %s", pattern)
}

func errInvalidAllowedPattern(pattern string) *protocol.APIError {
	return emulator.Errorf("InvalidAllowedPatternException", http.StatusBadRequest,
		"The allowed pattern %s is not a valid regular expression.", pattern)
}

func errInvalidKeyID(msg string) *protocol.APIError {
	return emulator.Errorf("InvalidKeyId", http.StatusBadRequest, "%s", msg)
}

func errLabelLimit() *protocol.APIError {
	return emulator.Errorf("ParameterVersionLabelLimitExceeded", http.StatusBadRequest,
		"A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.")
}

func errInvalidNextToken() *protocol.APIError {
	return emulator.Errorf("InvalidNextToken", http.StatusBadRequest, "The nextToken is not valid.")
}

func errFilterKey(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("InvalidFilterKey", http.StatusBadRequest, format, args...)
}

func errFilterOption(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("InvalidFilterOption", http.StatusBadRequest, format, args...)
}

func errFilterValue(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("InvalidFilterValue", http.StatusBadRequest, format, args...)
}

func errResourceID(id string) *protocol.APIError {
	return emulator.Errorf("InvalidResourceId", http.StatusBadRequest, "The resource ID %q is not valid. Verify the ID and try again.", id)
}

func errResourceType() *protocol.APIError {
	return emulator.Errorf("InvalidResourceType", http.StatusBadRequest, "The resource type is not valid. Parameter Store supports the Parameter resource type.")
}

func errTooManyTags() *protocol.APIError {
	return emulator.Errorf("TooManyTagsError", http.StatusBadRequest,
		"The Targets parameter includes too many tags. Remove one or more tags and try the request again.")
}
