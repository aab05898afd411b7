package endpoints

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
)

//go:embed data/endpoints.json.gz
var endpointsGz []byte

//go:embed data/partitions.json.gz
var partitionsGz []byte

// endpointsDoc is endpoints.json (format version 3).
type endpointsDoc struct {
	Version    int          `json:"version"`
	Partitions []*partition `json:"partitions"`
}

type partition struct {
	ID          string                  `json:"partition"`
	Name        string                  `json:"partitionName"`
	DNSSuffix   string                  `json:"dnsSuffix"`
	RegionRegex string                  `json:"regionRegex"`
	Regions     map[string]regionInfo   `json:"regions"`
	Defaults    endpointData            `json:"defaults"`
	Services    map[string]*serviceData `json:"services"`
	regex       *regexp.Regexp          // compiled RegionRegex, nil if absent or invalid
}

type regionInfo struct {
	Description string `json:"description"`
}

type serviceData struct {
	Endpoints         orderedEndpoints `json:"endpoints"`
	PartitionEndpoint string           `json:"partitionEndpoint"`
	IsRegionalized    *bool            `json:"isRegionalized"`
	Defaults          endpointData     `json:"defaults"`
}

// endpointData is one endpoint entry, a service's defaults or a partition's
// defaults. Empty strings and nil slices stand for keys that are absent:
// botocore merges these dictionaries key by key, and no key in the data
// carries an empty value.
type endpointData struct {
	Hostname          string           `json:"hostname"`
	DNSSuffix         string           `json:"dnsSuffix"`
	SSLCommonName     string           `json:"sslCommonName"`
	Protocols         []string         `json:"protocols"`
	SignatureVersions []string         `json:"signatureVersions"`
	CredentialScope   *credentialScope `json:"credentialScope"`
	Variants          []variant        `json:"variants"`
	Deprecated        bool             `json:"deprecated"`
}

type credentialScope struct {
	Region  string `json:"region"`
	Service string `json:"service"`
}

type variant struct {
	Hostname  string   `json:"hostname"`
	DNSSuffix string   `json:"dnsSuffix"`
	Tags      []string `json:"tags"`
}

// orderedEndpoints keeps the endpoints of a service in document order, because
// boto3 lists available regions in the order endpoints.json has them.
type orderedEndpoints struct {
	names []string
	data  map[string]*endpointData
}

func (o *orderedEndpoints) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("endpoints: want object, got %v", tok)
	}
	o.data = map[string]*endpointData{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		var ed endpointData
		if err := dec.Decode(&ed); err != nil {
			return fmt.Errorf("endpoint %q: %w", name, err)
		}
		if _, dup := o.data[name]; !dup {
			o.names = append(o.names, name)
		}
		o.data[name] = &ed
	}
	_, err = dec.Token()
	return err
}

// partitionsDoc is partitions.json, the data behind the endpoint rule sets.
type partitionsDoc struct {
	Version    string `json:"version"`
	Partitions []struct {
		ID          string                `json:"id"`
		Outputs     PartitionInfo         `json:"outputs"`
		RegionRegex string                `json:"regionRegex"`
		Regions     map[string]regionInfo `json:"regions"`
	} `json:"partitions"`
}

// PartitionInfo is a partition's entry in partitions.json ("outputs"), the
// values the endpoint rule sets read through aws.partition.
type PartitionInfo struct {
	ID                   string `json:"-"`
	Name                 string `json:"name"`
	DNSSuffix            string `json:"dnsSuffix"`
	DualStackDNSSuffix   string `json:"dualStackDnsSuffix"`
	ImplicitGlobalRegion string `json:"implicitGlobalRegion"`
	SupportsFIPS         bool   `json:"supportsFIPS"`
	SupportsDualStack    bool   `json:"supportsDualStack"`
	RegionRegex          string `json:"-"`
}

var (
	loadEndpoints = sync.OnceValues(func() (*endpointsDoc, error) {
		var doc endpointsDoc
		if err := gunzipJSON(endpointsGz, &doc); err != nil {
			return nil, fmt.Errorf("endpoints: decoding embedded endpoints.json: %w", err)
		}
		for _, p := range doc.Partitions {
			if p.RegionRegex != "" {
				// A malformed pattern in the data leaves the partition matching
				// by its region list only; it never panics a caller.
				p.regex, _ = regexp.Compile(pythonRegex(p.RegionRegex))
			}
		}
		return &doc, nil
	})
	loadPartitions = sync.OnceValues(func() (*partitionsDoc, error) {
		var doc partitionsDoc
		if err := gunzipJSON(partitionsGz, &doc); err != nil {
			return nil, fmt.Errorf("endpoints: decoding embedded partitions.json: %w", err)
		}
		return &doc, nil
	})
)

func gunzipJSON(gz []byte, v any) error {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// pythonRegex adapts a regionRegex written for Python's re module to Go's
// regexp: in Python 3 str patterns \w and \d are Unicode-aware, and $ also
// matches before a final newline. Only constructs that appear in the data
// need translating.
func pythonRegex(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '\\' && i+1 < len(p) {
			switch p[i+1] {
			case 'w':
				b.WriteString(`[\p{L}\p{N}_]`)
			case 'd':
				b.WriteString(`\p{Nd}`)
			default:
				b.WriteByte(c)
				b.WriteByte(p[i+1])
			}
			i++
			continue
		}
		if c == '$' {
			b.WriteString(`(?:\n?\z)`)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Partitions returns partitions.json's description of every partition, in
// file order.
func Partitions() ([]PartitionInfo, error) {
	doc, err := loadPartitions()
	if err != nil {
		return nil, err
	}
	out := make([]PartitionInfo, 0, len(doc.Partitions))
	for _, p := range doc.Partitions {
		info := p.Outputs
		info.ID = p.ID
		info.RegionRegex = p.RegionRegex
		out = append(out, info)
	}
	return out, nil
}
