package secretsmanager_test

import "testing"

// The texts below are AWS's as Terraform and SDK logs show them from real
// Secrets Manager ("ResourceExistsException: The operation failed because
// the secret tap-stack-rds-credentials already exists.", "Secrets Manager
// can't find the specified secret value for staging label: AWSCURRENT").

func TestErrorMessagesAreSecretsManagers(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("CreateSecret", map[string]any{"Name": "app/db", "SecretString": "v1", "ClientRequestToken": tok1})
	c.Call("CreateSecret", map[string]any{"Name": "gone", "SecretString": "v"})
	c.Call("DeleteSecret", map[string]any{"SecretId": "gone", "RecoveryWindowInDays": int64(7)})
	c.Call("CreateSecret", map[string]any{"Name": "empty"})

	const notFound = "Secrets Manager can't find the specified secret."
	const marked = "You can't perform this operation on the secret because it was marked for deletion."
	tests := []struct {
		name, op string
		params   map[string]any
		code     string
		message  string
	}{
		{"GetMissing", "GetSecretValue", map[string]any{"SecretId": "nope"}, "ResourceNotFoundException", notFound},
		{"DescribeMissing", "DescribeSecret", map[string]any{"SecretId": "nope"}, "ResourceNotFoundException", notFound},
		{"DeleteMissing", "DeleteSecret", map[string]any{"SecretId": "nope"}, "ResourceNotFoundException", notFound},
		{"PutMissing", "PutSecretValue", map[string]any{"SecretId": "nope", "SecretString": "x"}, "ResourceNotFoundException", notFound},
		{"WrongARNSuffix", "GetSecretValue", map[string]any{"SecretId": "arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-AAAAAA"},
			"ResourceNotFoundException", notFound},
		{"UnknownVersionId", "GetSecretValue", map[string]any{"SecretId": "app/db", "VersionId": tok2},
			"ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId: " + tok2},
		{"UnknownStage", "GetSecretValue", map[string]any{"SecretId": "app/db", "VersionStage": "AWSPENDING"},
			"ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSPENDING"},
		{"NoValueYet", "GetSecretValue", map[string]any{"SecretId": "empty"},
			"ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"},
		{"CreateExisting", "CreateSecret", map[string]any{"Name": "app/db", "SecretString": "v2"},
			"ResourceExistsException", "The operation failed because the secret app/db already exists."},
		{"GetDeleted", "GetSecretValue", map[string]any{"SecretId": "gone"}, "InvalidRequestException", marked},
		{"PutDeleted", "PutSecretValue", map[string]any{"SecretId": "gone", "SecretString": "x"}, "InvalidRequestException", marked},
		{"UpdateDeleted", "UpdateSecret", map[string]any{"SecretId": "gone", "Description": "d"}, "InvalidRequestException", marked},
		{"CreateOverScheduled", "CreateSecret", map[string]any{"Name": "gone", "SecretString": "x"},
			"InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ae := c.WantErr(tc.op, tc.params, tc.code, 400)
			if ae.Message != tc.message {
				t.Errorf("message %q, want %q", ae.Message, tc.message)
			}
		})
	}
}
