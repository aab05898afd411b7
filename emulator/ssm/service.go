package ssm

import (
	"time"

	"github.com/fakecloud/fakecloud/emulator"
)

// Name is the botocore service name SSM registers under.
const Name = "ssm"

func init() { emulator.Register(Def()) }

// Def returns SSM's service definition (the Parameter Store operations).
func Def() emulator.ServiceDef {
	def := emulator.ServiceDef{
		Name:  Name,
		State: state,
		Operations: map[string]emulator.Handler{
			// parameter.go
			"PutParameter":        putParameter,
			"GetParameter":        getParameter,
			"GetParameters":       getParameters,
			"DeleteParameter":     deleteParameter,
			"DeleteParameters":    deleteParameters,
			"GetParameterHistory": getParameterHistory,
			// label.go
			"LabelParameterVersion":   labelParameterVersion,
			"UnlabelParameterVersion": unlabelParameterVersion,
			// list.go
			"GetParametersByPath": getParametersByPath,
			"DescribeParameters":  describeParameters,
			// tags.go
			"AddTagsToResource":      addTagsToResource,
			"RemoveTagsFromResource": removeTagsFromResource,
			"ListTagsForResource":    listTagsForResource,
		},
	}
	for op, h := range def.Operations {
		def.Operations[op] = withSweep(h) // Expiration policies (policy.go)
	}
	return def
}

func str(in map[string]any, k string) string { s, _ := in[k].(string); return s }

func boolean(in map[string]any, k string) bool { b, _ := in[k].(bool); return b }

func integer(in map[string]any, k string) (int64, bool) { n, ok := in[k].(int64); return n, ok }

func list(in map[string]any, k string) []any { l, _ := in[k].([]any); return l }

func strs(in map[string]any, k string) []string {
	var out []string
	for _, v := range list(in, k) {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func now(req *emulator.Request) time.Time { return req.Clock.Now().UTC().Truncate(time.Millisecond) }
