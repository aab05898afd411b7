// Package emulator is fakecloud's fake AWS endpoint: an http.Handler that
// identifies each request's service and operation, decodes it with the
// protocol layer, calls the service's handler and encodes the answer as AWS
// would, keeping state in bbolt (package emulator/store).
//
// Use it in-process three ways:
//
//	emu, _ := emulator.New(emulator.Options{})      // an http.Handler
//	ts := emulator.NewTestServer(t)                  // ts.URL is the endpoint_url
//	client := &http.Client{Transport: emu.Transport()} // no sockets at all
//
// or standalone with `fakecloud serve`.
//
// Services register themselves when their package is imported. Import
// them all with
//
//	import _ "github.com/fakecloud/fakecloud/emulator/services"
//
// or only the ones a test needs (_ "github.com/fakecloud/fakecloud/emulator/sqs").
//
// # Writing a service
//
// A service lives in its own package (emulator/sqs, emulator/s3 …) and
// registers itself from init:
//
//	func init() {
//		emulator.Register(emulator.ServiceDef{
//			Name: "sqs", // botocore service name: the model directory
//			Operations: map[string]emulator.Handler{
//				"CreateQueue": createQueue,
//				"SendMessage": sendMessage,
//			},
//		})
//	}
//
//	func createQueue(ctx context.Context, req *emulator.Request) (map[string]any, error) {
//		name, _ := req.Input["QueueName"].(string)
//		err := req.Store.Update(func(tx *store.Tx) error {
//			b, err := tx.CreateBucketIfNotExists("queues")
//			if err != nil {
//				return err
//			}
//			return b.PutJSON(name, queue{Name: name, Created: req.Clock.Now()})
//		})
//		if err != nil {
//			return nil, err
//		}
//		return map[string]any{"QueueUrl": "..."}, nil
//	}
//
// The contract:
//
//   - Input and output are plain values as package internal/protocol
//     documents (structure = map[string]any, integers int64, timestamps
//     time.Time ...). Handlers never see XML, JSON, query strings or headers.
//   - Errors: return emulator.Errorf("QueueDoesNotExist", 400, "...") (a
//     *protocol.APIError); the codec encodes it exactly as the service does.
//     Any other error is a 500 InternalFailure and is logged; a panic is
//     recovered into the same.
//   - req.Store is the bbolt namespace of the caller's account, region and
//     service; req.Clock and req.IDs are the only sources of time and
//     randomness, so the same Options.Seed and calls give the same bytes.
//   - Operations of the model without a handler answer 501 NotImplemented
//     naming the operation.
//   - Cross-service effects (SNS to SQS, S3 notifications) go through
//     req.Services().Call(ctx, account, region, "sqs", "SendMessage", input),
//     never through package imports.
//   - req.HTTP is the raw request, read-only, for the rare operation that
//     needs it; extra response headers go in req.ResponseHeader.
//
// # Control API
//
// Under /_fakecloud/: GET health, POST reset, POST snapshot, POST restore,
// GET state, GET journal, POST/GET/DELETE faults; and moto's POST
// /moto-api/reset. See Emulator.ServeHTTP.
package emulator
