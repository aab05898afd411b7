package eventstream

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"time"
)

// Limits on what a Decoder accepts (AWS's own: 16 MiB per message, 128 KiB
// of headers).
const (
	MaxMessageSize = 16 << 20
	MaxHeadersSize = 128 << 10
)

const (
	preludeLen = 12
	minMessage = preludeLen + 4
)

// UUID is the value of a type-9 header.
type UUID [16]byte

// Header is one message header. Value is bool, int8, int16, int32, int64,
// []byte, string, time.Time or UUID.
type Header struct {
	Name  string
	Value any
}

// Message is one event-stream frame.
type Message struct {
	Headers []Header
	Payload []byte
}

// Get returns the value of the header named name, or nil.
func (m Message) Get(name string) any {
	for _, h := range m.Headers {
		if h.Name == name {
			return h.Value
		}
	}
	return nil
}

// String returns the string value of the header named name, or "".
func (m Message) String(name string) string {
	s, _ := m.Get(name).(string)
	return s
}

// ErrMalformed is wrapped by every decoding error caused by the input.
var ErrMalformed = errors.New("eventstream: malformed message")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// MarshalBinary frames m.
func (m Message) MarshalBinary() ([]byte, error) {
	var hb bytes.Buffer
	for _, h := range m.Headers {
		if err := appendHeader(&hb, h); err != nil {
			return nil, err
		}
	}
	if hb.Len() > MaxHeadersSize {
		return nil, fmt.Errorf("eventstream: headers are %d bytes, more than %d", hb.Len(), MaxHeadersSize)
	}
	total := preludeLen + hb.Len() + len(m.Payload) + 4
	if total > MaxMessageSize {
		return nil, fmt.Errorf("eventstream: message is %d bytes, more than %d", total, MaxMessageSize)
	}
	out := make([]byte, 0, total)
	out = binary.BigEndian.AppendUint32(out, uint32(total))
	out = binary.BigEndian.AppendUint32(out, uint32(hb.Len()))
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[:8]))
	out = append(out, hb.Bytes()...)
	out = append(out, m.Payload...)
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out))
	return out, nil
}

func appendHeader(b *bytes.Buffer, h Header) error {
	if len(h.Name) == 0 || len(h.Name) > 255 {
		return fmt.Errorf("eventstream: header name %q must be 1-255 bytes", h.Name)
	}
	b.WriteByte(byte(len(h.Name)))
	b.WriteString(h.Name)
	var tmp [8]byte
	switch v := h.Value.(type) {
	case bool:
		if v {
			b.WriteByte(0)
		} else {
			b.WriteByte(1)
		}
	case int8:
		b.WriteByte(2)
		b.WriteByte(byte(v))
	case int16:
		b.WriteByte(3)
		binary.BigEndian.PutUint16(tmp[:2], uint16(v))
		b.Write(tmp[:2])
	case int32:
		b.WriteByte(4)
		binary.BigEndian.PutUint32(tmp[:4], uint32(v))
		b.Write(tmp[:4])
	case int64:
		b.WriteByte(5)
		binary.BigEndian.PutUint64(tmp[:], uint64(v))
		b.Write(tmp[:])
	case []byte:
		if len(v) > 0xffff {
			return fmt.Errorf("eventstream: header %s: value of %d bytes, more than 65535", h.Name, len(v))
		}
		b.WriteByte(6)
		binary.BigEndian.PutUint16(tmp[:2], uint16(len(v)))
		b.Write(tmp[:2])
		b.Write(v)
	case string:
		if len(v) > 0xffff {
			return fmt.Errorf("eventstream: header %s: value of %d bytes, more than 65535", h.Name, len(v))
		}
		b.WriteByte(7)
		binary.BigEndian.PutUint16(tmp[:2], uint16(len(v)))
		b.Write(tmp[:2])
		b.WriteString(v)
	case time.Time:
		b.WriteByte(8)
		binary.BigEndian.PutUint64(tmp[:], uint64(v.UnixMilli()))
		b.Write(tmp[:])
	case UUID:
		b.WriteByte(9)
		b.Write(v[:])
	default:
		return fmt.Errorf("eventstream: header %s: unsupported value type %T", h.Name, h.Value)
	}
	return nil
}

// Encoder writes framed messages to a writer.
type Encoder struct{ w io.Writer }

// NewEncoder returns an Encoder writing to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

// Encode writes one framed message.
func (e *Encoder) Encode(m Message) error {
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = e.w.Write(b)
	return err
}

// Decoder reads framed messages from a reader.
type Decoder struct {
	r   io.Reader
	buf []byte
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder { return &Decoder{r: r} }

// Decode reads the next message. It returns io.EOF when the stream ends
// cleanly between messages, io.ErrUnexpectedEOF inside one, and an error
// wrapping ErrMalformed for a bad frame.
func (d *Decoder) Decode() (Message, error) {
	var prelude [preludeLen]byte
	if _, err := io.ReadFull(d.r, prelude[:]); err != nil {
		return Message{}, err
	}
	total, hlen, err := checkPrelude(prelude[:])
	if err != nil {
		return Message{}, err
	}
	if cap(d.buf) < total {
		d.buf = make([]byte, total)
	}
	b := d.buf[:total]
	copy(b, prelude[:])
	if _, err := io.ReadFull(d.r, b[preludeLen:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Message{}, err
	}
	return decodeFrame(b, hlen)
}

// Unmarshal decodes exactly one message from b.
func Unmarshal(b []byte) (Message, error) {
	if len(b) < preludeLen {
		return Message{}, malformed("%d bytes is shorter than a prelude", len(b))
	}
	total, hlen, err := checkPrelude(b[:preludeLen])
	if err != nil {
		return Message{}, err
	}
	if total != len(b) {
		return Message{}, malformed("total length %d, have %d bytes", total, len(b))
	}
	return decodeFrame(b, hlen)
}

func checkPrelude(p []byte) (total, hlen int, err error) {
	t := binary.BigEndian.Uint32(p[0:4])
	h := binary.BigEndian.Uint32(p[4:8])
	if got, want := crc32.ChecksumIEEE(p[:8]), binary.BigEndian.Uint32(p[8:12]); got != want {
		return 0, 0, malformed("prelude CRC %08x, computed %08x", want, got)
	}
	if t < minMessage || t > MaxMessageSize {
		return 0, 0, malformed("total length %d outside [%d, %d]", t, minMessage, MaxMessageSize)
	}
	if h > MaxHeadersSize || uint64(h) > uint64(t)-minMessage {
		return 0, 0, malformed("headers length %d does not fit total %d", h, t)
	}
	return int(t), int(h), nil
}

// decodeFrame decodes a whole frame b whose prelude has been checked. The
// message copies what it keeps, so b may be reused.
func decodeFrame(b []byte, hlen int) (Message, error) {
	end := len(b) - 4
	if got, want := crc32.ChecksumIEEE(b[:end]), binary.BigEndian.Uint32(b[end:]); got != want {
		return Message{}, malformed("message CRC %08x, computed %08x", want, got)
	}
	headers, err := decodeHeaders(b[preludeLen : preludeLen+hlen])
	if err != nil {
		return Message{}, err
	}
	payload := append([]byte(nil), b[preludeLen+hlen:end]...)
	return Message{Headers: headers, Payload: payload}, nil
}

func decodeHeaders(b []byte) ([]Header, error) {
	var hs []Header
	for len(b) > 0 {
		n := int(b[0])
		if n == 0 || len(b) < 1+n+1 {
			return nil, malformed("truncated or empty header name")
		}
		name := string(b[1 : 1+n])
		typ := b[1+n]
		b = b[2+n:]
		need := func(k int) ([]byte, error) {
			if len(b) < k {
				return nil, malformed("header %s: value truncated", name)
			}
			v := b[:k]
			b = b[k:]
			return v, nil
		}
		var v any
		switch typ {
		case 0:
			v = true
		case 1:
			v = false
		case 2:
			x, err := need(1)
			if err != nil {
				return nil, err
			}
			v = int8(x[0])
		case 3:
			x, err := need(2)
			if err != nil {
				return nil, err
			}
			v = int16(binary.BigEndian.Uint16(x))
		case 4:
			x, err := need(4)
			if err != nil {
				return nil, err
			}
			v = int32(binary.BigEndian.Uint32(x))
		case 5, 8:
			x, err := need(8)
			if err != nil {
				return nil, err
			}
			i := int64(binary.BigEndian.Uint64(x))
			if typ == 5 {
				v = i
			} else {
				v = time.UnixMilli(i).UTC()
			}
		case 6, 7:
			x, err := need(2)
			if err != nil {
				return nil, err
			}
			s, err := need(int(binary.BigEndian.Uint16(x)))
			if err != nil {
				return nil, err
			}
			if typ == 6 {
				v = append([]byte(nil), s...)
			} else {
				v = string(s)
			}
		case 9:
			x, err := need(16)
			if err != nil {
				return nil, err
			}
			var u UUID
			copy(u[:], x)
			v = u
		default:
			return nil, malformed("header %s: unknown value type %d", name, typ)
		}
		hs = append(hs, Header{Name: name, Value: v})
	}
	return hs, nil
}
