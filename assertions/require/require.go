// Package require has the helpers of package assertions that stop the test
// on failure: each calls the assertion and then t.FailNow if it failed.
package require

import (
	"github.com/fakecloud/fakecloud/assertions"
	"github.com/fakecloud/fakecloud/emulator"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func stop(t require.TestingT, ok bool) {
	if h, isH := t.(interface{ Helper() }); isH {
		h.Helper()
	}
	if !ok {
		t.FailNow()
	}
}

// S3ObjectExists is assertions.S3ObjectExists, stopping the test on failure.
func S3ObjectExists(t require.TestingT, emu *emulator.Emulator, bucket, key string, msgAndArgs ...any) {
	stop(t, assertions.S3ObjectExists(t, emu, bucket, key, msgAndArgs...))
}

// S3ObjectEquals is assertions.S3ObjectEquals, stopping the test on failure.
func S3ObjectEquals(t require.TestingT, emu *emulator.Emulator, bucket, key string, want assertions.S3Object, opts ...cmp.Option) {
	stop(t, assertions.S3ObjectEquals(t, emu, bucket, key, want, opts...))
}

// S3BucketEmpty is assertions.S3BucketEmpty, stopping the test on failure.
func S3BucketEmpty(t require.TestingT, emu *emulator.Emulator, bucket string, msgAndArgs ...any) {
	stop(t, assertions.S3BucketEmpty(t, emu, bucket, msgAndArgs...))
}

// DynamoDBItemEquals is assertions.DynamoDBItemEquals, stopping the test on failure.
func DynamoDBItemEquals(t require.TestingT, emu *emulator.Emulator, table string, key, want map[string]any, opts ...cmp.Option) {
	stop(t, assertions.DynamoDBItemEquals(t, emu, table, key, want, opts...))
}

// DynamoDBTableCount is assertions.DynamoDBTableCount, stopping the test on failure.
func DynamoDBTableCount(t require.TestingT, emu *emulator.Emulator, table string, want int, msgAndArgs ...any) {
	stop(t, assertions.DynamoDBTableCount(t, emu, table, want, msgAndArgs...))
}

// SQSQueueDepth is assertions.SQSQueueDepth, stopping the test on failure.
func SQSQueueDepth(t require.TestingT, emu *emulator.Emulator, queue string, want int, msgAndArgs ...any) {
	stop(t, assertions.SQSQueueDepth(t, emu, queue, want, msgAndArgs...))
}

// SQSMessageReceived is assertions.SQSMessageReceived, stopping the test on failure.
func SQSMessageReceived(t require.TestingT, emu *emulator.Emulator, queue string, want assertions.SQSMessage, opts ...cmp.Option) {
	stop(t, assertions.SQSMessageReceived(t, emu, queue, want, opts...))
}

// OperationCalled is assertions.OperationCalled, stopping the test on failure.
func OperationCalled(t require.TestingT, emu *emulator.Emulator, service, operation string, times int, match func(map[string]any) bool) {
	stop(t, assertions.OperationCalled(t, emu, service, operation, times, match))
}

// NoCallsTo is assertions.NoCallsTo, stopping the test on failure.
func NoCallsTo(t require.TestingT, emu *emulator.Emulator, service string, msgAndArgs ...any) {
	stop(t, assertions.NoCallsTo(t, emu, service, msgAndArgs...))
}

// AllInteractionsUsed is assertions.AllInteractionsUsed, stopping the test on failure.
func AllInteractionsUsed(t require.TestingT, rec assertions.Unuseder, msgAndArgs ...any) {
	stop(t, assertions.AllInteractionsUsed(t, rec, msgAndArgs...))
}

// StateMatches is assertions.StateMatches, stopping the test on failure.
func StateMatches(t require.TestingT, emu *emulator.Emulator, wantPath string, opts ...cmp.Option) {
	stop(t, assertions.StateMatches(t, emu, wantPath, opts...))
}

// OperationCalledWith is assertions.OperationCalledWith, stopping the test on failure.
func OperationCalledWith(t require.TestingT, emu *emulator.Emulator, service, operation string, times int, want assertions.Params, opts ...cmp.Option) {
	stop(t, assertions.OperationCalledWith(t, emu, service, operation, times, want, opts...))
}

// OperationsCalled is assertions.OperationsCalled, stopping the test on failure.
func OperationsCalled(t require.TestingT, emu *emulator.Emulator, service string, want ...string) {
	stop(t, assertions.OperationsCalled(t, emu, service, want...))
}

// SNSPublished is assertions.SNSPublished, stopping the test on failure.
func SNSPublished(t require.TestingT, emu *emulator.Emulator, topic string, want assertions.SNSMessage, opts ...cmp.Option) {
	stop(t, assertions.SNSPublished(t, emu, topic, want, opts...))
}

// SecretEquals is assertions.SecretEquals, stopping the test on failure.
func SecretEquals(t require.TestingT, emu *emulator.Emulator, secretID, want string, msgAndArgs ...any) {
	stop(t, assertions.SecretEquals(t, emu, secretID, want, msgAndArgs...))
}

// ParameterEquals is assertions.ParameterEquals, stopping the test on failure.
func ParameterEquals(t require.TestingT, emu *emulator.Emulator, name, want string, msgAndArgs ...any) {
	stop(t, assertions.ParameterEquals(t, emu, name, want, msgAndArgs...))
}

// SNSDelivered is assertions.SNSDelivered, stopping the test on failure.
func SNSDelivered(t require.TestingT, emu *emulator.Emulator, queue string, want assertions.SNSMessage, opts ...cmp.Option) {
	stop(t, assertions.SNSDelivered(t, emu, queue, want, opts...))
}
