package dynamodbstreams

// Exported for the external tests: the decoders the fuzz targets drive.
var (
	DecodeIterator = func(tok string) error { _, err := decodeIterator(tok); return err }
	DecodeStream   = func(b []byte) error { _, err := decodeStream(b); return err }
	RecordCreated  = func(b []byte) error { _, err := recordCreated(b); return err }
	DecodeRecord   = decodeRecord
)
