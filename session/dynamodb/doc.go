// Package dynamodb is boto3's DynamoDB high-level layer for the session:
// TypeSerializer/TypeDeserializer between Go values and AttributeValues
// (numbers as Decimal strings, sets, binary; 6.15, 6.16) and the Key/Attr
// condition builders of boto3.dynamodb.conditions, which produce an
// expression with generated #n/:v placeholders and the matching
// ExpressionAttributeNames/Values (6.17).
//
// AttributeValues are the session's generic values (map[string]any with one
// type key), so a serialised item goes straight into session.Params.
package dynamodb
