package secretsmanager

import (
	"net/http"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// The modeled Secrets Manager errors fakecloud returns (all HTTP 400).

func errNotFound() *protocol.APIError {
	return emulator.Errorf("ResourceNotFoundException", http.StatusBadRequest, "Secrets Manager can't find the specified secret.")
}

func errVersionNotFound(what, id string) *protocol.APIError {
	return emulator.Errorf("ResourceNotFoundException", http.StatusBadRequest,
		"Secrets Manager can't find the specified secret value for %s: %s", what, id)
}

func errExists(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("ResourceExistsException", http.StatusBadRequest, format, args...)
}

func errInvalidParameter(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("InvalidParameterException", http.StatusBadRequest, format, args...)
}

func errInvalidRequest(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("InvalidRequestException", http.StatusBadRequest, format, args...)
}

func errMarkedForDeletion() *protocol.APIError {
	return errInvalidRequest("You can't perform this operation on the secret because it was marked for deletion.")
}

func errInvalidNextToken() *protocol.APIError {
	return emulator.Errorf("InvalidNextTokenException", http.StatusBadRequest, "The NextToken value is invalid.")
}

func errMalformedPolicy(msg string) *protocol.APIError {
	return emulator.Errorf("MalformedPolicyDocumentException", http.StatusBadRequest, "%s", msg)
}

func errEncryptionFailure() *protocol.APIError {
	return emulator.Errorf("EncryptionFailure", http.StatusBadRequest,
		"Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.")
}

func errDecryptionFailure() *protocol.APIError {
	return emulator.Errorf("DecryptionFailure", http.StatusBadRequest,
		"Secrets Manager can't decrypt the protected secret text using the provided KMS key.")
}
