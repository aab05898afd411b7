// Package services registers every emulated AWS service with package
// emulator. Its only job is to blank-import the service packages, so a
// program or test that wants them all writes
//
//	import _ "github.com/fakecloud/fakecloud/emulator/services"
//
// and then emulator.New / emulator.NewTestServer serve every one. A program
// that wants only some imports those service packages instead
// (import _ "github.com/fakecloud/fakecloud/emulator/sqs").
//
// Services registered by this package:
//
//   - dynamodb (emulator/dynamodb)
//   - dynamodbstreams (emulator/dynamodbstreams)
//   - kms (emulator/kms)
//   - s3 (emulator/s3)
//   - secretsmanager (emulator/secretsmanager)
//   - sns (emulator/sns)
//   - sqs (emulator/sqs)
//   - ssm (emulator/ssm)
//   - sts (emulator/sts)
//
// A service package is added here (and to this list) once it exists and
// builds on main.
package services
