// Package expr is DynamoDB's expression language: a lexer, parser and
// evaluator for ConditionExpression / FilterExpression,
// KeyConditionExpression, UpdateExpression and ProjectionExpression, the
// AttributeValue rules they rest on (exact 38-digit decimal numbers, sets
// without duplicates), and the reserved-word list.
//
// Values are the protocol layer's decoded AttributeValues: a map with one
// key, {"S": "x"}, {"N": "12.5"}, {"B": []byte}, {"BOOL": true},
// {"NULL": true}, {"L": []any}, {"M": map[string]any}, {"SS": []any}, …
// Errors are *Error values whose Message is DynamoDB's text, so the service
// returns them as ValidationException unchanged.
package expr
