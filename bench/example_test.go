package bench_test

import (
	"fmt"
	"time"

	"github.com/fakecloud/fakecloud/bench"
)

// A Histogram keeps percentiles of any number of latencies in fixed memory.
func ExampleHistogram() {
	var h bench.Histogram
	for i := 1; i <= 1000; i++ {
		h.Record(time.Duration(i) * time.Microsecond)
	}
	// Percentiles are bucket upper bounds: at most 1/128 above the exact
	// 500 µs and 990 µs.
	fmt.Println(h.Count(), h.Quantile(0.5).Round(time.Microsecond), h.Quantile(0.99).Round(time.Microsecond), h.Max())
	// Output: 1000 502µs 991µs 1ms
}
