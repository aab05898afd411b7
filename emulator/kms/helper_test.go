package kms_test

import (
	"errors"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	_ "github.com/fakecloud/fakecloud/emulator/kms"
)

// client drives the emulator through the real wire (see package wiretest).
type client = wiretest.Client

func newClient(t testing.TB, emu *emulator.Emulator) *client {
	return wiretest.New(t, emu, "kms")
}

func newEmu(t testing.TB, opts ...emulator.Options) *emulator.Emulator {
	return wiretest.NewEmulator(t, []string{"kms"}, opts...)
}

func createKey(c *client, params map[string]any) map[string]any {
	c.T.Helper()
	return c.Call("CreateKey", params)["KeyMetadata"].(map[string]any)
}

var errBadSig = errors.New("signature does not verify")
