package route

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"
)

// WriteError encodes err in protocol's error format without a service model.
// The emulator uses it only when no service codec can answer: a request no
// registered service claims. Service errors go through protocol.Codec.
func WriteError(w http.ResponseWriter, proto string, err *Error, requestID string) {
	e := err.APIError
	h := w.Header()
	status := e.StatusCode
	if status == 0 {
		status = http.StatusBadRequest
	}
	var body []byte
	switch proto {
	case "json", "rest-json":
		if proto == "json" {
			h.Set("Content-Type", "application/x-amz-json-1.1")
		} else {
			h.Set("Content-Type", "application/json")
		}
		h.Set("X-Amzn-Requestid", requestID)
		h.Set("X-Amzn-Errortype", e.Code)
		body, _ = json.Marshal(map[string]string{"__type": e.Code, "message": e.Message})
	case "query":
		h.Set("Content-Type", "text/xml")
		type xmlErr struct {
			Type    string `xml:"Type"`
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		}
		body, _ = xml.Marshal(struct {
			XMLName   xml.Name `xml:"ErrorResponse"`
			Error     xmlErr   `xml:"Error"`
			RequestID string   `xml:"RequestId"`
		}{Error: xmlErr{"Sender", e.Code, e.Message}, RequestID: requestID})
	case "ec2":
		h.Set("Content-Type", "text/xml")
		type xmlErr struct {
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		}
		body, _ = xml.Marshal(struct {
			XMLName   xml.Name `xml:"Response"`
			Errors    []xmlErr `xml:"Errors>Error"`
			RequestID string   `xml:"RequestID"`
		}{Errors: []xmlErr{{e.Code, e.Message}}, RequestID: requestID})
	default: // rest-xml, S3 style
		h.Set("Content-Type", "application/xml")
		h.Set("X-Amz-Request-Id", requestID)
		body, _ = xml.Marshal(struct {
			XMLName   xml.Name `xml:"Error"`
			Code      string   `xml:"Code"`
			Message   string   `xml:"Message"`
			RequestID string   `xml:"RequestId"`
		}{Code: e.Code, Message: e.Message, RequestID: requestID})
		body = append([]byte(xml.Header), body...)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
