package reliability_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services"
)

// A malformed request gets the answer AWS gives, and the emulator keeps
// serving: the shape of every case in TestHostileInput.
func Example() {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer emu.Close()
	client := &http.Client{Transport: emu.Transport()}

	req, _ := http.NewRequest("POST", "http://localhost/", strings.NewReader(`{"TableName":`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.PutItem")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := client.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, strings.Contains(string(body), "SerializationException"))

	health, err := client.Get("http://localhost/_fakecloud/health")
	if err != nil {
		fmt.Println(err)
		return
	}
	health.Body.Close()
	fmt.Println("health", health.StatusCode)
	// Output:
	// 400 true
	// health 200
}
