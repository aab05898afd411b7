// Package query implements the awsQuery wire protocol (SQS's legacy
// protocol, SNS, STS, IAM, CloudFormation, ...) in both directions.
//
// A request is a form: Action=Op&Version=apiVersion and the input members
// flattened into dotted names (Tags.member.1.Key, Attributes.entry.1.value,
// flattened lists as Name.1). It is POSTed as
// application/x-www-form-urlencoded; servers accept the same parameters in a
// GET query string. A response is XML:
//
//	<OpResponse xmlns="..."><OpResult>...</OpResult><ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></OpResponse>
//
// and an error is
//
//	<ErrorResponse><Error><Type>Sender</Type><Code>..</Code><Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>
//
// The form flattening is shared with the ec2 protocol, which differs only in
// names and list layout; EncodeParams and DecodeParams take the Style.
package query
