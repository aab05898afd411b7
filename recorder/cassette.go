package recorder

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// CassetteVersion is the cassette format version this package writes. It
// reads versions 1 and 2; version 2 adds the header's seed and the trailing
// count that detects a truncated file.
const CassetteVersion = 2

// ErrUnsupportedVersion is returned when a cassette declares a version this
// package does not know.
var ErrUnsupportedVersion = errors.New("recorder: unsupported cassette version")

// ErrCassetteNotFound is returned in Replay mode when the cassette file does
// not exist.
var ErrCassetteNotFound = errors.New("recorder: cassette not found")

// Body encodings stored in a cassette.
const (
	encText   = ""       // body is the exact text
	encJSON   = "json"   // body is an indented view; the bytes are its compact form
	encBase64 = "base64" // body is standard base64
)

// Cassette is the content of one cassette file.
type Cassette struct {
	Version int
	// RecordedAt is when recording started; replay runs its clock from
	// here (see Recorder.ReplayClock).
	RecordedAt time.Time
	// Seed is the seed of the recording run's deterministic sources
	// (WithSeed); a replaying test seeds its own from Recorder.Seed.
	Seed         int64
	Interactions []*Interaction
}

// Interaction is one recorded request and its response (or transport error).
type Interaction struct {
	ID         int            `yaml:"id"`
	Service    string         `yaml:"service,omitempty"`
	Operation  string         `yaml:"operation,omitempty"`
	Region     string         `yaml:"region,omitempty"`
	Params     map[string]any `yaml:"params,omitempty"`
	RecordedAt time.Time      `yaml:"recorded_at,omitempty"`
	Duration   time.Duration  `yaml:"duration,omitempty"`
	Request    Request        `yaml:"request"`
	Response   *Response      `yaml:"response,omitempty"`
	// Error is a transport error the real endpoint produced instead of a
	// response; replay returns it as the RoundTrip error.
	Error string `yaml:"error,omitempty"`
	// Waiter names the waiters (from the service's waiters-2.json) whose
	// polling sequence this interaction belongs to; polls of one sequence
	// replay in order and the last one answers any further polls.
	Waiter string `yaml:"waiter,omitempty"`
}

// Request is the raw HTTP request as stored (after redaction).
type Request struct {
	Method  string      `yaml:"method"`
	URL     string      `yaml:"url"`
	Headers http.Header `yaml:"headers,omitempty"`
	Body    []byte      `yaml:"-"`
}

// Response is the raw HTTP response as stored (after redaction).
type Response struct {
	Status  int         `yaml:"status"`
	Headers http.Header `yaml:"headers,omitempty"`
	Body    []byte      `yaml:"-"`
}

// wire forms: bodies are encoded by hand so the YAML stays readable and the
// bytes stay exact.
type wireBody struct {
	Body     string `yaml:"body,omitempty"`
	Encoding string `yaml:"body_encoding,omitempty"`
	File     string `yaml:"body_file,omitempty"`
	Size     int    `yaml:"body_size,omitempty"`
}

type wireRequest struct {
	Method   string      `yaml:"method"`
	URL      string      `yaml:"url"`
	Headers  http.Header `yaml:"headers,omitempty"`
	wireBody `yaml:",inline"`
}

type wireResponse struct {
	Status   int         `yaml:"status"`
	Headers  http.Header `yaml:"headers,omitempty"`
	wireBody `yaml:",inline"`
}

type wireInteraction struct {
	ID         int            `yaml:"id"`
	Service    string         `yaml:"service,omitempty"`
	Operation  string         `yaml:"operation,omitempty"`
	Region     string         `yaml:"region,omitempty"`
	Params     map[string]any `yaml:"params,omitempty"`
	RecordedAt time.Time      `yaml:"recorded_at,omitempty"`
	Duration   string         `yaml:"duration,omitempty"`
	Request    wireRequest    `yaml:"request"`
	Response   *wireResponse  `yaml:"response,omitempty"`
	Error      string         `yaml:"error,omitempty"`
	Waiter     string         `yaml:"waiter,omitempty"`
}

type wireCassette struct {
	Version      int                `yaml:"version"`
	RecordedAt   time.Time          `yaml:"recorded_at,omitempty"`
	Seed         int64              `yaml:"seed,omitempty"`
	Interactions []*wireInteraction `yaml:"interactions"`
	// Count closes the file: a cassette cut short loses it (or disagrees
	// with it), so truncation is an error rather than fewer interactions.
	Count *int `yaml:"count,omitempty"`
}

// storeOptions control how bodies are written.
type storeOptions struct {
	sideFileMin int    // 0: never
	sideDir     string // directory of side files, relative to the cassette dir
	baseDir     string // the cassette's directory
}

// encodeBody chooses the lossless readable form for b.
func encodeBody(b []byte, so storeOptions, sideFiles map[string][]byte) wireBody {
	if len(b) == 0 {
		return wireBody{}
	}
	if so.sideFileMin > 0 && len(b) >= so.sideFileMin {
		sum := sha256.Sum256(b)
		name := filepath.ToSlash(filepath.Join(so.sideDir, hex.EncodeToString(sum[:])))
		sideFiles[name] = b
		return wireBody{File: name, Size: len(b)}
	}
	if !utf8.Valid(b) || strings.ContainsRune(string(b), '\uFEFF') {
		return wireBody{Body: base64.StdEncoding.EncodeToString(b), Encoding: encBase64}
	}
	if pretty, ok := prettyJSON(b); ok {
		return wireBody{Body: pretty, Encoding: encJSON}
	}
	return wireBody{Body: string(b)}
}

// prettyJSON returns an indented view of b when compacting it restores b
// exactly.
func prettyJSON(b []byte) (string, bool) {
	t := bytes.TrimSpace(b)
	if len(t) != len(b) || len(b) < 2 || (b[0] != '{' && b[0] != '[') || !json.Valid(b) {
		return "", false
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return "", false
	}
	var back bytes.Buffer
	if err := json.Compact(&back, out.Bytes()); err != nil || !bytes.Equal(back.Bytes(), b) {
		return "", false
	}
	return out.String(), true
}

func decodeBody(w wireBody, baseDir string) ([]byte, error) {
	if w.File != "" {
		if baseDir == "" {
			return nil, fmt.Errorf("recorder: body_file %q but no cassette directory", w.File)
		}
		clean := filepath.Clean(filepath.FromSlash(w.File))
		if filepath.IsAbs(clean) || strings.HasPrefix(clean, "..") {
			return nil, fmt.Errorf("recorder: body_file %q escapes the cassette directory", w.File)
		}
		b, err := os.ReadFile(filepath.Join(baseDir, clean))
		if err != nil {
			return nil, fmt.Errorf("recorder: body_file: %w", err)
		}
		return b, nil
	}
	switch w.Encoding {
	case encText:
		return []byte(w.Body), nil
	case encBase64:
		b, err := base64.StdEncoding.DecodeString(w.Body)
		if err != nil {
			return nil, fmt.Errorf("recorder: base64 body: %w", err)
		}
		return b, nil
	case encJSON:
		var out bytes.Buffer
		if err := json.Compact(&out, []byte(w.Body)); err != nil {
			return nil, fmt.Errorf("recorder: json body: %w", err)
		}
		return out.Bytes(), nil
	default:
		return nil, fmt.Errorf("recorder: unknown body_encoding %q", w.Encoding)
	}
}

// marshalCassette renders c as YAML; side-file bodies are returned by name.
func marshalCassette(c *Cassette, so storeOptions) ([]byte, map[string][]byte, error) {
	side := map[string][]byte{}
	n := len(c.Interactions)
	w := wireCassette{Version: CassetteVersion, RecordedAt: c.RecordedAt.UTC(), Seed: c.Seed, Count: &n}
	w.Interactions = make([]*wireInteraction, 0, len(c.Interactions))
	for _, in := range c.Interactions {
		w.Interactions = append(w.Interactions, toWire(in, so, side))
	}
	if c.RecordedAt.IsZero() {
		w.RecordedAt = time.Time{}
	}
	b, err := encodeYAML(&w)
	return b, side, err
}

func encodeYAML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("recorder: encode cassette: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("recorder: encode cassette: %w", err)
	}
	return buf.Bytes(), nil
}

func toWire(in *Interaction, so storeOptions, side map[string][]byte) *wireInteraction {
	wi := &wireInteraction{
		ID: in.ID, Service: in.Service, Operation: in.Operation, Region: in.Region,
		Params: in.Params, RecordedAt: in.RecordedAt.UTC(), Error: in.Error, Waiter: in.Waiter,
		Request: wireRequest{Method: in.Request.Method, URL: in.Request.URL,
			Headers: in.Request.Headers, wireBody: encodeBody(in.Request.Body, so, side)},
	}
	if in.RecordedAt.IsZero() {
		wi.RecordedAt = time.Time{}
	}
	if in.Duration > 0 {
		wi.Duration = in.Duration.String()
	}
	if in.Response != nil {
		wi.Response = &wireResponse{Status: in.Response.Status, Headers: in.Response.Headers,
			wireBody: encodeBody(in.Response.Body, so, side)}
	}
	return wi
}

// writeCassette writes the cassette and its side files atomically (temp file
// and rename), so a crash never leaves half a cassette.
// With sync, each file is fsynced before its rename and the directory
// after it.
func writeCassette(path string, data []byte, side map[string][]byte, sync bool) error {
	if err := writeSideFiles(filepath.Dir(path), side, sync); err != nil {
		return err
	}
	return atomicWrite(path, data, sync)
}

// writeSideFiles writes content-addressed bodies; one already there has
// the same content by construction and is left alone.
func writeSideFiles(dir string, side map[string][]byte, sync bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("recorder: %w", err)
	}
	for name, b := range side {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("recorder: %w", err)
		}
		if st, err := os.Stat(p); err == nil && st.Size() == int64(len(b)) {
			continue
		}
		if err := atomicWrite(p, b, sync); err != nil {
			return err
		}
	}
	return nil
}

func atomicWrite(path string, data []byte, sync bool) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("recorder: %w", err)
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("recorder: %w", err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			os.Remove(tmp)
			return fmt.Errorf("recorder: fsync: %w", err)
		}
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("recorder: %w", err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("recorder: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("recorder: %w", err)
	}
	if sync {
		return syncDir(filepath.Dir(path))
	}
	return nil
}

// syncDir fsyncs a directory so a rename in it is durable. File systems
// that cannot fsync a directory (EINVAL) are left as they are.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("recorder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("recorder: fsync %s: %w", dir, err)
	}
	return nil
}

// WriteCassette writes c to path atomically (temp file + rename), bodies
// inline. Tools and benchmarks use it to build cassettes without recording.
func WriteCassette(path string, c *Cassette) error {
	data, side, err := marshalCassette(c, storeOptions{})
	if err != nil {
		return err
	}
	return writeCassette(path, data, side, true)
}
