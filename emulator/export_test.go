package emulator

// IsSecretMemberForTest exposes the journal's deny list to the external tests.
var IsSecretMemberForTest = isSecretName
