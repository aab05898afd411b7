package recorder

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"
)

// Show prints a cassette as a table: #, service, operation, key parameters
// and HTTP status.
func Show(w io.Writer, path string) error {
	c, err := LoadCassette(path)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tSERVICE\tOPERATION\tPARAMS\tSTATUS")
	for _, in := range c.Interactions {
		svc, op := in.Service, in.Operation
		if svc == "" {
			svc = "-"
		}
		if op == "" {
			op = in.Request.Method + " " + in.Request.URL
		}
		status := in.Error
		if in.Response != nil {
			status = fmt.Sprint(in.Response.Status)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", in.ID, svc, op, keyParams(in.Params), status)
	}
	return tw.Flush()
}

// keyParams renders up to three scalar parameters, names sorted.
func keyParams(p map[string]any) string {
	keys := make([]string, 0, len(p))
	for k, v := range p {
		switch v.(type) {
		case string, int64, float64, bool:
			if !strings.HasPrefix(k, "$") {
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	var parts []string
	for i, k := range keys {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		v := fmt.Sprint(p[k])
		if len(v) > 40 {
			v = v[:37] + "..."
		}
		parts = append(parts, k+"="+v)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

// Finding is something in a cassette that looks like a secret.
type Finding struct {
	Path string
	Line int
	Kind string // "access-key-id", "secret-access-key", "session-token", "sigv4-signature"
	// Text is the offending value, masked.
	Text string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d: %s %s", f.Path, f.Line, f.Kind, f.Text)
}

var checks = []struct {
	kind string
	re   *regexp.Regexp
}{
	{"access-key-id", regexp.MustCompile(`\b((?:AKIA|ASIA)[A-Z0-9]{16})\b`)},
	{"secret-access-key", regexp.MustCompile(`(?i)(?:secret[_-]?(?:access[_-]?)?key|aws[_-]?secret)[^A-Za-z0-9/+=\n]{0,6}([A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)`)},
	{"session-token", regexp.MustCompile(`(?i)(?:session[_-]?token|security[_-]?token|authorizationToken)[^A-Za-z0-9/+=\n]{0,6}([A-Za-z0-9/+=%]{60,})`)},
	{"sigv4-signature", regexp.MustCompile(`(?i)(?:X-Amz-)?Signature=([0-9a-f]{64})\b`)},
	{"sigv4-signature", regexp.MustCompile(`chunk-signature=((?:[1-9a-f][0-9a-f]{63})|(?:0[0-9a-f]*[1-9a-f][0-9a-f]*))\b`)},
}

// Check scans cassette files (directories are walked for .yaml, .yml and
// .json files, and side-file bodies) for anything that looks like an AWS
// credential: access key ids, secret keys after a secret-ish name, session
// tokens, unredacted SigV4 signatures. An empty result means clean.
func Check(paths ...string) ([]Finding, error) {
	var out []Finding
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return out, fmt.Errorf("recorder: %w", err)
		}
		if !st.IsDir() {
			f, err := checkFile(p)
			out = append(out, f...)
			if err != nil {
				return out, err
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			ext := filepath.Ext(path)
			if ext == ".yaml" || ext == ".yml" || ext == ".json" || strings.HasSuffix(filepath.Dir(path), ".bodies") {
				f, err := checkFile(path)
				out = append(out, f...)
				return err
			}
			return nil
		})
		if err != nil {
			return out, fmt.Errorf("recorder: %w", err)
		}
	}
	return out, nil
}

func checkFile(path string) ([]Finding, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("recorder: %w", err)
	}
	defer f.Close()
	var out []Finding
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		for _, c := range checks {
			for _, m := range c.re.FindAllStringSubmatch(text, -1) {
				if strings.HasPrefix(m[1], Redacted) || strings.HasPrefix(m[1], "FAKECLOUDKEY") {
					continue // our own placeholders
				}
				out = append(out, Finding{Path: path, Line: line, Kind: c.kind, Text: mask(m[1])})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("recorder: %s: %w", path, err)
	}
	return out, nil
}
