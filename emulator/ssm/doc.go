// Package ssm emulates the Parameter Store of AWS Systems Manager for
// fakecloud: String, StringList and SecureString parameters with versions
// (the 100 newest kept), labels, the Standard, Advanced and
// Intelligent-Tiering tiers and their value limits, AllowedPattern, data
// types text and aws:ec2:image, tags, hierarchies read with
// GetParametersByPath, and DescribeParameters with its filters.
//
// SecureString values are encrypted through KMS (emulator.Services.Call,
// never a package import) under the parameter's KeyId or the AWS managed
// key alias/aws/ssm, created on first use, with the encryption context
// {"PARAMETER_ARN": arn} as SSM uses it. Values up to 4 KB go through KMS
// Encrypt; larger Advanced-tier values are sealed with AES-256-GCM under a
// KMS data key. Reading without WithDecryption returns the ciphertext
// base64-encoded, as SSM does. The kms service must be served too (import
// both, or the emulator/services aggregator).
package ssm
