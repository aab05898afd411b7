// Package model loads AWS service models in botocore's JSON format
// (service-2.json, paginators-1.json, waiters-2.json and boto3's
// resources-1.json) into a typed form that the protocol layer, the session,
// the recorder and the emulator all share.
//
// Parse turns one service-2.json document into a *Service whose shape
// references are resolved. Shapes keep every trait the five wire protocols
// need; traits that botocore allows on either a member reference or its shape
// live on both ShapeRef and Shape, and readers check the reference first.
package model
