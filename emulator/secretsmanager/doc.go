// Package secretsmanager emulates AWS Secrets Manager for fakecloud: secrets
// with versions and staging labels (AWSCURRENT, AWSPREVIOUS, AWSPENDING),
// ClientRequestToken idempotency, listing with filters, scheduled deletion
// and restore, tags, resource policies, GetRandomPassword,
// BatchGetSecretValue, and rotation through an in-process hook
// (SetRotationHook) that runs the four Lambda steps.
//
// Secret values are stored encrypted: each version gets a data key from KMS
// (GenerateDataKey under the secret's KmsKeyId, or the AWS managed key
// alias/aws/secretsmanager, created on first use) with the encryption
// context {"SecretARN", "SecretVersionId"}, as AWS does, and the value is
// sealed with AES-256-GCM under it. KMS is reached through
// emulator.Services.Call, so the kms service must be served too (import
// both, or the emulator/services aggregator). Disabling the key makes
// GetSecretValue fail with DecryptionFailure.
package secretsmanager
