package services

import (
	_ "github.com/fakecloud/fakecloud/emulator/dynamodb"        // DynamoDB (json 1.0)
	_ "github.com/fakecloud/fakecloud/emulator/dynamodbstreams" // DynamoDB Streams (json 1.0)
	_ "github.com/fakecloud/fakecloud/emulator/kms"             // KMS (json 1.1)
	_ "github.com/fakecloud/fakecloud/emulator/s3"              // S3 (rest-xml)
	_ "github.com/fakecloud/fakecloud/emulator/secretsmanager"  // Secrets Manager (json 1.1)
	_ "github.com/fakecloud/fakecloud/emulator/sns"             // SNS (query)
	_ "github.com/fakecloud/fakecloud/emulator/sqs"             // SQS (json 1.0, query-compatible)
	_ "github.com/fakecloud/fakecloud/emulator/ssm"             // SSM Parameter Store (json 1.1)
	_ "github.com/fakecloud/fakecloud/emulator/sts"             // STS (query)
)
