package sigv4_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/fakecloud/fakecloud/internal/sigv4"
)

func Example() {
	creds := sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	at := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

	req, _ := http.NewRequest("GET", "https://example.amazonaws.com/", nil)
	if _, err := sigv4.Sign(req, creds, "service", "us-east-1", at); err != nil {
		panic(err)
	}
	fmt.Println(req.Header.Get("Authorization"))

	// The server side: verify against the known keys at the server's time.
	lookup := func(id string) (sigv4.Credentials, bool) { return creds, id == creds.AccessKeyID }
	auth, err := sigv4.Verify(req, lookup, at.Add(time.Minute))
	fmt.Println(auth.AccessKeyID, auth.Region, auth.Service, err)

	// Fifteen minutes later the same request is refused as AWS refuses it.
	_, err = sigv4.Verify(req, lookup, at.Add(20*time.Minute))
	code, status, msg := err.(*sigv4.Error).AWS(sigv4.FlavorS3)
	fmt.Println(code, status, msg)
	// Output:
	// AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31
	// AKIDEXAMPLE us-east-1 service <nil>
	// RequestTimeTooSkewed 403 The difference between the request time and the current time is too large.
}
