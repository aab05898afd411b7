package ssm_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	_ "github.com/fakecloud/fakecloud/emulator/kms"
	_ "github.com/fakecloud/fakecloud/emulator/ssm"
)

// client drives the emulator through the real wire (see package wiretest).
type client = wiretest.Client

func newClient(t testing.TB, emu *emulator.Emulator) *client {
	return wiretest.New(t, emu, "ssm")
}

func newEmu(t testing.TB, opts ...emulator.Options) *emulator.Emulator {
	return wiretest.NewEmulator(t, []string{"kms", "ssm"}, opts...)
}
