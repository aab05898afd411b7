// Package model loads AWS service models in botocore's JSON format
// (service-2.json, paginators-1.json, waiters-2.json and boto3's
// resources-1.json) into a typed form that the protocol layer, the session,
// the recorder and the emulator all share.
//
// Every botocore service is embedded (data/<service>.json.gz, documentation
// stripped, written by `go generate` from ../shared/aws-data) and decoded
// lazily: Load("s3") decompresses and parses S3 alone, once, and caches it.
// AvailableServices, Index and the routing lookups (ByEndpointPrefix,
// BySigningName, ByTarget) read a generated index and never decode a model.
// As in botocore, directories on AWS_DATA_PATH and ~/.aws/models override the
// embedded data; NewLoader takes explicit search paths instead.
//
// Parse turns one service-2.json document into a *Service whose shape
// references are resolved. Shapes keep every trait the five wire protocols
// need; traits that botocore allows on either a member reference or its shape
// live on both ShapeRef and Shape, and readers check the reference first.
//
// XFormName is botocore's xform_name: "ListObjectsV2" -> "list_objects_v2".
package model
