package model_test

import (
	"fmt"

	"github.com/fakecloud/fakecloud/internal/model"
)

func ExampleLoad() {
	svc, err := model.Load("sqs")
	if err != nil {
		panic(err)
	}
	op, _ := svc.Operation("send_message")
	fmt.Println(svc.Metadata.Protocol, svc.Metadata.TargetPrefix, op.Name, op.Input.ShapeName)
	fmt.Println(svc.Paginators["ListQueues"].OutputToken)
	// Output:
	// json AmazonSQS SendMessage SendMessageRequest
	// [NextToken]
}

func ExampleByTarget() {
	for _, e := range model.ByTarget("DynamoDB_20120810.PutItem") {
		fmt.Println(e.Name, e.APIVersion, e.ResolvedSigningName())
	}
	// Output: dynamodb 2012-08-10 dynamodb
}

func ExampleXFormName() {
	fmt.Println(model.XFormName("ListObjectsV2"), model.XFormName("DescribeDBInstances"), model.XFormName("ListWebACLs"))
	// Output: list_objects_v2 describe_db_instances list_web_acls
}

func ExampleUnknownServiceError() {
	_, err := model.NewLoader().Load("sqss")
	fmt.Println(err)
	// Output: Unknown service: 'sqss'. Valid service names are: sqs, ses, sns, ssm, sso and 424 more
}
