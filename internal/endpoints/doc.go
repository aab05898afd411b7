// Package endpoints answers boto3's questions about partitions, regions and
// endpoints from botocore's own data: endpoints.json and partitions.json,
// embedded compressed (data/, produced by `go generate` from a botocore data
// directory) and decoded lazily on first use.
//
// The functions mirror boto3/botocore behaviour:
//
//   - AvailablePartitions is Session.get_available_partitions.
//   - AvailableRegions is Session.get_available_regions, except that it takes
//     the service's endpointPrefix (model metadata) rather than a client name:
//     mapping a client name to its model is the session's job, and this
//     package does not depend on the service models.
//   - PartitionForRegion is Session.get_partition_for_region.
//   - Resolve is botocore's legacy endpoint resolution as a client performs it
//     at creation (ClientEndpointBridge plus the S3 us-east-1 and STS global
//     endpoint customisations): the value of client.meta.endpoint_url and the
//     signing region and name.
//   - BucketURL applies S3's virtual-host versus path-style choice.
//   - ConfiguredEndpointURL implements AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<ID>
//     and the shared config file's endpoint_url settings.
//
// The golden files in testdata/ were recorded from boto3 itself reading the
// same data directory; see testdata/record_boto3.py.
package endpoints
