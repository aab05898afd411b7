package expr_test

import (
	"fmt"

	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
)

func Example() {
	env, _ := expr.NewEnv(map[string]any{"#s": "status"}, map[string]any{
		":open": map[string]any{"S": "open"}, ":min": map[string]any{"N": "10"}})
	cond, _ := expr.ParseCondition("FilterExpression", "#s = :open AND amt >= :min", env)
	item := expr.Item{"status": map[string]any{"S": "open"}, "amt": map[string]any{"N": "12.50"}}
	fmt.Println(expr.Eval(cond, item), env.CheckUnused())

	_, err := expr.ParseCondition("ConditionExpression", "name = :open", env)
	fmt.Println(err)
	// Output:
	// true <nil>
	// Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name
}
