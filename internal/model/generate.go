package model

import "embed"

// The embedded models are generated from ../shared/aws-data (botocore's data
// directory and boto3's resource models) with documentation stripped; the
// generated files are committed so a build needs neither Python nor the data.
//go:generate go run ./gen -botocore ../../../shared/aws-data/botocore -boto3 ../../../shared/aws-data/boto3 -out .

// embeddedData holds data/<service>.json.gz, one gzip member per service with
// its service-2, paginators-1, waiters-2 and resources-1 documents.
//
//go:embed data/*.json.gz
var embeddedData embed.FS
