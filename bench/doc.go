// Package bench is the workload engine behind `fakecloud bench`: a closed-loop
// load generator that drives any AWS-compatible endpoint through fakecloud's
// own session client (session.New + Session.Client with EndpointURL and
// HTTPClient), so fakecloud serve, the in-process emulator transport and a
// real or third-party endpoint are measured the same way.
//
// A Workload (s3-get-4k, ddb-put, sqs-roundtrip …) prepares its state once and
// then returns an Op that workers call in a loop. Run measures one Op with N
// workers for a duration, recording every latency in a log-bucket Histogram
// (HDR-like: under 0.8% relative error, fixed memory). Runner ties it together:
// set-up, a warm-up call that doubles as the availability probe (a service or
// operation the endpoint lacks makes the workload "unavailable", never a
// number), the measured run and, on request, the same generator against the
// loopback floor: a trivial in-process HTTP server that answers every request
// with a canned copy of the target's own response, so a result can be quoted
// as a ratio to what the client and the loopback socket alone can do.
package bench
