package kms

import (
	"net/http"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// The modeled KMS errors fakecloud returns. KMS answers every client error
// with HTTP 400 except KMSInternalException (500).

func errNotFound(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("NotFoundException", http.StatusBadRequest, format, args...)
}

func errKeyNotFound(arn string) *protocol.APIError {
	return errNotFound("Key '%s' does not exist", arn)
}

func errAliasNotFound(arn string) *protocol.APIError {
	return errNotFound("Alias '%s' is not found.", arn)
}

func errAlreadyExists(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("AlreadyExistsException", http.StatusBadRequest, format, args...)
}

func errDisabled(arn string) *protocol.APIError {
	return emulator.Errorf("DisabledException", http.StatusBadRequest, "%s is disabled.", arn)
}

func errInvalidState(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("KMSInvalidStateException", http.StatusBadRequest, format, args...)
}

func errValidation(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("ValidationException", http.StatusBadRequest, format, args...)
}

// errInvalidCiphertext carries no message: KMS sends none, so a caller learns
// nothing about why (wrong context, tampering, wrong key).
func errInvalidCiphertext() *protocol.APIError {
	return emulator.Errorf("InvalidCiphertextException", http.StatusBadRequest, "")
}

func errInvalidKeyUsage(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("InvalidKeyUsageException", http.StatusBadRequest, format, args...)
}

func errIncorrectKey() *protocol.APIError {
	return emulator.Errorf("IncorrectKeyException", http.StatusBadRequest,
		"The key ID in the request does not identify a KMS key that can perform this operation.")
}

func errInvalidSignature() *protocol.APIError {
	return emulator.Errorf("KMSInvalidSignatureException", http.StatusBadRequest, "")
}

func errInvalidMac() *protocol.APIError {
	return emulator.Errorf("KMSInvalidMacException", http.StatusBadRequest, "")
}

func errUnsupported(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("UnsupportedOperationException", http.StatusBadRequest, format, args...)
}

func errNotAuthorized(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("NotAuthorizedException", http.StatusBadRequest, format, args...)
}

func errInvalidAliasName(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("InvalidAliasNameException", http.StatusBadRequest, format, args...)
}

func errInvalidMarker() *protocol.APIError {
	return emulator.Errorf("InvalidMarkerException", http.StatusBadRequest, "Invalid marker")
}

func errTag(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("TagException", http.StatusBadRequest, format, args...)
}
