package dynamodb

import (
	"net/http"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
)

// DynamoDB accepts a table ARN wherever an operation's TableName member has
// the TableArn shape (and as BatchGetItem/BatchWriteItem RequestItems keys
// and transaction TableNames). An ARN is resolved to the table of the
// account and region it names:
//
//   - the caller's own account and region: that table, exactly as by name;
//   - another account: that account's resource-based policy decides; the
//     emulator keeps none, so DynamoDB's answer to a policy that grants
//     nothing applies: 400 AccessDeniedException "User: <caller> is not
//     authorized to perform: dynamodb:<Action> on resource: <arn> because no
//     resource-based policy allows the dynamodb:<Action> action";
//   - the caller's account in another region: a request only reaches the
//     region it is signed for, where no such table exists, so
//     ResourceNotFoundException.
//
// The emulator does not route a request into another account's namespace.

const codeAccessDenied = "AccessDeniedException"

// callerARN is the identity the emulator gives an access key (STS's
// GetCallerIdentity answers the same).
func callerARN(req *emulator.Request) string {
	return "arn:aws:iam::" + req.Account + ":user/fakecloud"
}

// parseTableARN splits arn:<partition>:dynamodb:<region>:<account>:table/<name>[/...].
func parseTableARN(arn string) (region, account, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "dynamodb" || parts[3] == "" || parts[4] == "" {
		return "", "", "", false
	}
	rest, found := strings.CutPrefix(parts[5], "table/")
	if !found {
		return "", "", "", false
	}
	name, _, _ = strings.Cut(rest, "/")
	if name == "" {
		return "", "", "", false
	}
	return parts[3], parts[4], name, true
}

// resolveTableName returns the table name a TableName member designates:
// the name itself, or the table of a same-account, same-region ARN.
func resolveTableName(req *emulator.Request, name string) (string, error) {
	if !strings.HasPrefix(name, "arn:") {
		return name, nil
	}
	region, account, table, ok := parseTableARN(name)
	if !ok {
		return "", validationf("Invalid TableArn: Invalid ResourceArn provided as input %s", name)
	}
	if account != req.Account {
		action := "dynamodb:"
		if req.Operation != nil {
			action += req.Operation.Name
		}
		return "", emulator.Errorf(codeAccessDenied, http.StatusBadRequest,
			"User: %s is not authorized to perform: %s on resource: %s because no resource-based policy allows the %s action",
			callerARN(req), action, name, action)
	}
	if region != req.Region {
		return "", notFound("Requested resource not found: Table: %s not found", name)
	}
	return table, nil
}

// resolveInputTable rewrites a top-level TableName ARN to its table name
// before the handler runs, for operations whose TableName takes an ARN.
func resolveInputTable(req *emulator.Request) error {
	if req.Operation == nil || req.Operation.Input == nil || req.Operation.Input.Shape == nil {
		return nil
	}
	ref := req.Operation.Input.Shape.Members["TableName"]
	if ref == nil || ref.Shape == nil || ref.Shape.Name != tableArnShape {
		return nil
	}
	name, ok := req.Input["TableName"].(string)
	if !ok {
		return nil
	}
	t, err := resolveTableName(req, name)
	if err != nil {
		return err
	}
	req.Input["TableName"] = t
	return nil
}
