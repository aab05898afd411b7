package emulator_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// Signature verification answers a wrong secret the way the service would:
// here a json service's 400 InvalidSignatureException.
func ExampleOptions_verifySignatures() {
	emu, err := emulator.New(emulator.Options{
		Services: []string{}, ServiceDefs: []emulator.ServiceDef{counterDef()},
		VerifySignatures: true,
		Credentials:      map[string]string{"AKIDEXAMPLE": "secret"},
		Clock:            emulator.FixedClock(epoch),
	})
	if err != nil {
		panic(err)
	}
	defer emu.Close()
	client := &http.Client{Transport: emu.Transport()}
	for _, secret := range []string{"secret", "guess"} {
		r, _ := http.NewRequest("POST", "http://localhost:4566/", strings.NewReader(`{"Name":"n"}`))
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		r.Header.Set("X-Amz-Target", "Counter_20240101.Incr")
		_, _ = sigv4.Sign(r, sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret}, "counter", "us-east-1", epoch)
		resp, err := client.Do(r)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(secret, resp.StatusCode)
	}
	// Output:
	// secret 200
	// guess 400
}

// BenchmarkVerifiedCall is the cost of a SigV4-verified json call in-process.
func BenchmarkVerifiedCall(b *testing.B) {
	emu := newWireEmu(b, emulator.Options{VerifySignatures: true, Credentials: map[string]string{"AKIDGOOD": "s3cr3t"}})
	c := inproc(emu)
	b.ReportAllocs()
	for b.Loop() {
		r := jsonReq(b, goodCreds, epoch)
		resp, err := c.Do(r)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err, resp.StatusCode)
		}
		resp.Body.Close()
	}
}
