package endpoints_test

import (
	"fmt"

	"github.com/fakecloud/fakecloud/internal/endpoints"
)

func Example() {
	ep, err := endpoints.Resolve("iam", "eu-west-1", endpoints.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(ep.URL, ep.SigningRegion)

	ep, _ = endpoints.Resolve("sqs", "us-west-2", endpoints.Options{UseFIPS: true})
	fmt.Println(ep.URL)

	p, _ := endpoints.PartitionForRegion("cn-north-1")
	fmt.Println(p)

	regions, _ := endpoints.AvailableRegions("dynamodb", "aws-us-gov", false)
	fmt.Println(regions)
	// Output:
	// https://iam.amazonaws.com us-east-1
	// https://sqs-fips.us-west-2.amazonaws.com
	// aws-cn
	// [us-gov-east-1 us-gov-west-1]
}
