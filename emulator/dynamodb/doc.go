// Package dynamodb emulates Amazon DynamoDB for fakecloud: tables with local
// and global secondary indexes, TTL and tags; items with condition, update
// and projection expressions (package expr), exact 38-digit numbers and
// DynamoDB's validation messages; Query and Scan with pagination; batch
// operations and transactions; PartiQL ExecuteStatement and
// BatchExecuteStatement (SELECT, INSERT, UPDATE SET/REMOVE, DELETE with ?
// parameters, compiled to the expr package's conditions and updates).
//
// State lives in the emulator's bbolt namespace. Each table's items sit in
// one bucket under an order-preserving key (hash then range key), so a Query
// is a cursor range scan in sort-key order; secondary indexes are buckets of
// index key -> base key kept in step on every write, in the same bbolt
// transaction as the write itself.
//
// Tables with a StreamSpecification get a stream: every item change (Put,
// Update, Delete, BatchWriteItem, TransactWriteItems) appends a stream
// record in that same transaction. The records are served by the
// dynamodbstreams package, which reads this namespace; the stored layout is
// documented in stream.go and in dynamodbstreams' doc.go.
//
// The package registers itself with the emulator from init; a blank import
// makes the service available:
//
//	import _ "github.com/fakecloud/fakecloud/emulator/dynamodb"
package dynamodb
