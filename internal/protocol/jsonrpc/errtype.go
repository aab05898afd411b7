package jsonrpc

import (
	"strings"

	"github.com/fakecloud/fakecloud/internal/model"
)

// namespacedErrors lists the awsJson services (by SigV4 signing name) whose
// error __type carries a "namespace#" prefix on the wire. Most awsJson
// services (KMS, Secrets Manager, Kinesis, CloudWatch Logs ...) send the
// bare code; DynamoDB (and DynamoDB Streams, signed as "dynamodb") send
// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" and SQS's
// JSON protocol sends "com.amazonaws.sqs#QueueDoesNotExist".
var namespacedErrors = map[string]bool{"dynamodb": true, "sqs": true}

// coralErrors are the errors DynamoDB's request framework (Coral) raises
// before the service sees the request; they are not in the model and carry
// Coral's own namespaces, e.g.
// {"__type":"com.amazon.coral.validate#ValidationException",...}.
var coralErrors = map[string]string{
	"ValidationException":                 "com.amazon.coral.validate",
	"SerializationException":              "com.amazon.coral.service",
	"UnknownOperationException":           "com.amazon.coral.service",
	"UnrecognizedClientException":         "com.amazon.coral.service",
	"InvalidSignatureException":           "com.amazon.coral.service",
	"IncompleteSignatureException":        "com.amazon.coral.service",
	"MissingAuthenticationTokenException": "com.amazon.coral.service",
	"AccessDeniedException":               "com.amazon.coral.service",
	"ThrottlingException":                 "com.amazon.coral.availability",
}

// ErrorNamespace is the namespace svc puts before modeled error codes in
// __type, or "" when the service sends bare codes. The rule that reproduces
// AWS: "com.amazonaws." + the signing name, plus ".v<date>" when the
// X-Amz-Target prefix ends in "_<yyyymmdd>" (DynamoDB_20120810 ->
// com.amazonaws.dynamodb.v20120810; AmazonSQS -> com.amazonaws.sqs).
func ErrorNamespace(svc *model.Service) string {
	if svc == nil || svc.Metadata.Protocol != "json" {
		return ""
	}
	name := svc.Metadata.ResolvedSigningName()
	if !namespacedErrors[name] {
		return ""
	}
	ns := "com.amazonaws." + name
	if i := strings.LastIndexByte(svc.Metadata.TargetPrefix, '_'); i >= 0 {
		if v := svc.Metadata.TargetPrefix[i+1:]; len(v) == 8 && allDigits(v) {
			ns += ".v" + v
		}
	}
	return ns
}

// ErrorType is the __type value svc sends for code: the bare code for most
// services; for namespaced ones the modeled error's shape name under
// ErrorNamespace, and Coral's namespace for DynamoDB's framework errors.
// A code that already has a namespace is kept.
func ErrorType(svc *model.Service, code string) string {
	ns := ErrorNamespace(svc)
	if ns == "" || code == "" || strings.Contains(code, "#") {
		return code
	}
	if sh, ok := svc.ErrorShape(code); ok {
		return ns + "#" + sh.Name
	}
	if c, ok := coralErrors[code]; ok && svc.Metadata.ResolvedSigningName() == "dynamodb" {
		return c + "#" + code
	}
	return code
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
