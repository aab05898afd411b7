package services_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services"
)

// Every service this package imports is registered and can be served.
func TestImportedServicesAreServable(t *testing.T) {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	got := emu.ServiceNames()
	want := emulator.Registered()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("served %v, registered %v", got, want)
	}
	for _, name := range []string{"dynamodb", "dynamodbstreams", "kms", "s3", "secretsmanager", "sns", "sqs", "ssm", "sts"} {
		if !slices.Contains(got, name) {
			t.Errorf("%s is not served: %v", name, got)
		}
	}
}

func Example() {
	// The blank import of emulator/services registers every service package.
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		panic(err)
	}
	defer emu.Close()
	fmt.Println(len(emu.ServiceNames()) == len(emulator.Registered()))
	// Output: true
}
