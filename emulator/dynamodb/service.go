package dynamodb

import (
	"github.com/fakecloud/fakecloud/emulator"
)

// Name is the botocore service name DynamoDB registers under.
const Name = "dynamodb"

func init() { emulator.Register(Def()) }

// Def returns DynamoDB's service definition (the operation table). init
// registers it; tests may pass it in emulator.Options.ServiceDefs.
func Def() emulator.ServiceDef {
	ops := map[string]emulator.Handler{
		// table.go
		"CreateTable":        createTable,
		"DescribeTable":      describeTable,
		"ListTables":         listTables,
		"UpdateTable":        updateTable,
		"DeleteTable":        deleteTable,
		"UpdateTimeToLive":   updateTimeToLive,
		"DescribeTimeToLive": describeTimeToLive,
		"TagResource":        tagResource,
		"UntagResource":      untagResource,
		"ListTagsOfResource": listTagsOfResource,
		// item.go
		"PutItem":    putItem,
		"GetItem":    getItem,
		"UpdateItem": updateItem,
		"DeleteItem": deleteItem,
		// query.go
		"Query": query,
		"Scan":  scan,
		// batch.go
		"BatchWriteItem": batchWriteItem,
		"BatchGetItem":   batchGetItem,
		// transact.go
		"TransactWriteItems": transactWriteItems,
		"TransactGetItems":   transactGetItems,
		// partiql.go, partiql_exec.go
		"ExecuteStatement":      executeStatement,
		"BatchExecuteStatement": batchExecuteStatement,
		// partiql_tx.go
		"ExecuteTransaction": executeTransaction,
	}
	// Every request is checked against the model's constraints first, as
	// DynamoDB's front end does (validate.go).
	for name, h := range ops {
		ops[name] = validated(h)
	}
	return emulator.ServiceDef{Name: Name, Operations: ops}
}
