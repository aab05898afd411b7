// Package ec2 implements the ec2 wire protocol, the EC2 dialect of awsQuery,
// in both directions.
//
// Requests are query forms (see package query) with EC2's naming: a member
// is sent under its queryName, else its capitalized locationName, else its
// name, and every list is Name.N (no ".member", nothing for an empty list).
// Responses have no Result wrapper:
//
//	<OpResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>..</requestId>...members...</OpResponse>
//
// and errors are
//
//	<Response><Errors><Error><Code>..</Code><Message>..</Message></Error></Errors><RequestID>..</RequestID></Response>
package ec2
