package ssm_test

import "testing"

// Parameter Store's texts as SDK users see them: GetParameter's
// ParameterNotFound carries no message ("An error occurred
// (ParameterNotFound) when calling the GetParameter operation: "), a bad
// selector is "Systems Manager could not find version 2 of test-2. Verify
// the version and try again.", and an existing name without Overwrite is
// ParameterAlreadyExists.

func TestErrorMessagesAreParameterStores(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/app/p", "Value": "v", "Type": "String"})
	tests := []struct {
		name, op string
		params   map[string]any
		code     string
		message  string
	}{
		{"GetMissing", "GetParameter", map[string]any{"Name": "/app/nope"}, "ParameterNotFound", ""},
		{"DeleteMissing", "DeleteParameter", map[string]any{"Name": "/app/nope"}, "ParameterNotFound", ""},
		{"HistoryMissing", "GetParameterHistory", map[string]any{"Name": "/app/nope"}, "ParameterNotFound", "Parameter /app/nope not found."},
		{"MissingVersion", "GetParameter", map[string]any{"Name": "/app/p:2"}, "ParameterVersionNotFound",
			"Systems Manager could not find version 2 of /app/p. Verify the version and try again."},
		{"LabelMissingVersion", "LabelParameterVersion", map[string]any{"Name": "/app/p", "ParameterVersion": int64(5), "Labels": []any{"prod"}},
			"ParameterVersionNotFound", "Systems Manager could not find version 5 of /app/p. Verify the version and try again."},
		{"PutExisting", "PutParameter", map[string]any{"Name": "/app/p", "Value": "w", "Type": "String"}, "ParameterAlreadyExists",
			"The parameter already exists. To overwrite this value, set the overwrite option in the request to true."},
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
