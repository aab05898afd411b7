// Package assertions holds testify-style test helpers over the fakecloud
// emulator, the recorder and AWS values.
//
// Every helper takes an assert.TestingT first, reports a failure with a
// go-cmp diff and returns whether it held; package assertions/require has
// the same helpers stopping the test (t.FailNow) on failure. State is read
// through the services' own operations, in-process (Emulator.Call: nothing
// is added to the request journal), in the emulator's default account and
// region (fixtures.DefaultAccount, fixtures.DefaultRegion). Comparisons are
// tuned by go-cmp option values: IgnoreResponseMetadata, EmptyEqualsNil, or
// any cmp.Option.
//
//	emu := emulator.NewTestServer(t).Emulator
//	fixtures.Load(emu, "testdata/seed.yaml")
//	... run the code under test against emu ...
//	assertions.S3ObjectEquals(t, emu, "uploads", "report.csv", assertions.S3Object{Body: "a,b\n"})
//	assertions.OperationCalled(t, emu, "s3", "PutObject", 1, nil)
//	assertions.StateMatches(t, emu, "testdata/want.yaml")
package assertions
