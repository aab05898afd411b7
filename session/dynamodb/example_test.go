package dynamodb_test

import (
	"fmt"

	"github.com/fakecloud/fakecloud/session/dynamodb"
)

// Build a Query's KeyConditionExpression and FilterExpression the way boto3's
// Table.query does, and serialise an item for PutItem.
func Example() {
	var b dynamodb.Builder
	filter, _ := b.Build(dynamodb.Attr("age").Gt(21), false)
	key, _ := b.Build(dynamodb.Key("pk").Eq("u1").And(dynamodb.Key("sk").BeginsWith("2024")), true)
	fmt.Println(filter.Expression, filter.Names)
	fmt.Println(key.Expression, key.Names)

	item, _ := dynamodb.SerializeItem(map[string]any{"pk": "u1", "n": dynamodb.Decimal("1.50")})
	fmt.Println(item["pk"], item["n"])
	_, err := dynamodb.Serialize(1.5)
	fmt.Println(err)
	// Output:
	// #n0 > :v0 map[#n0:age]
	// (#n1 = :v1 AND begins_with(#n2, :v2)) map[#n1:pk #n2:sk]
	// map[S:u1] map[N:1.50]
	// Float types are not supported. Use Decimal types instead.
}
