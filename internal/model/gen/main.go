// Command gen writes the model package's embedded data from a botocore data
// directory and boto3's resource models.
//
// For every service directory under -botocore it takes the newest API version
// that has a service-2.json (botocore's Loader rule), merges the
// *.sdk-extras.json files as botocore does, strips documentation strings, and
// writes data/<service>.json.gz: one gzip member holding
//
//	{"apiVersion":..., "service":{service-2}, "paginators":{...}, "waiters":{...},
//	 "resourcesVersion":..., "resources":{resources-1}}
//
// It also writes index_gen.go, the per-service routing metadata that lets the
// package list services and route requests without decompressing any model.
//
// Run it through go generate in internal/model.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fakecloud/fakecloud/internal/model/internal/ojson"
)

func main() {
	botocore := flag.String("botocore", "../../../shared/aws-data/botocore", "botocore data directory")
	boto3 := flag.String("boto3", "../../../shared/aws-data/boto3", "boto3 data directory (resources-1.json)")
	out := flag.String("out", ".", "model package directory to write data/ and index_gen.go into")
	flag.Parse()
	if err := run(*botocore, *boto3, *out); err != nil {
		log.Fatal(err)
	}
}

type indexEntry struct {
	Name, APIVersion, ServiceID, EndpointPrefix, SigningName, SignatureVersion string
	Protocol                                                                   string
	Protocols                                                                  []string
	TargetPrefix, JSONVersion, GlobalEndpoint, ServiceFullName                 string
	HasPaginators, HasWaiters, HasResources                                    bool
	Size                                                                       int
}

func run(botocoreDir, boto3Dir, outDir string) error {
	ents, err := os.ReadDir(botocoreDir)
	if err != nil {
		return err
	}
	dataDir := filepath.Join(outDir, "data")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}
	written := map[string]bool{}
	var index []indexEntry
	total := 0
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		ver, ok, err := newestVersion(filepath.Join(botocoreDir, name), "service-2.json")
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		ie, blob, err := buildService(botocoreDir, boto3Dir, name, ver)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		file := name + ".json.gz"
		if err := os.WriteFile(filepath.Join(dataDir, file), blob, 0o644); err != nil {
			return err
		}
		written[file] = true
		ie.Size = len(blob)
		total += len(blob)
		index = append(index, ie)
	}
	// Remove data of services that no longer exist.
	old, _ := os.ReadDir(dataDir)
	for _, e := range old {
		if strings.HasSuffix(e.Name(), ".json.gz") && !written[e.Name()] {
			if err := os.Remove(filepath.Join(dataDir, e.Name())); err != nil {
				return err
			}
		}
	}
	sort.Slice(index, func(i, j int) bool { return index[i].Name < index[j].Name })
	src, err := indexSource(index)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(outDir, "index_gen.go"), src, 0o644); err != nil {
		return err
	}
	log.Printf("wrote %d services, %d bytes of compressed models", len(index), total)
	return nil
}

// newestVersion returns the greatest API version directory under dir that
// holds file (botocore compares version names as strings).
func newestVersion(dir, file string) (string, bool, error) {
	vs, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return "", false, nil
		}
		return "", false, err
	}
	best := ""
	for _, v := range vs {
		if !v.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, v.Name(), file)); err == nil && v.Name() > best {
			best = v.Name()
		}
	}
	return best, best != "", nil
}

// loadDoc reads dir/<typ>.json, merges dir/<typ>.sdk-extras.json and strips
// documentation. A missing file gives nil, false.
func loadDoc(dir, typ string) (*ojson.Object, bool, error) {
	path := filepath.Join(dir, typ+".json")
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	v, err := ojson.Decode(b)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	doc, ok := v.(*ojson.Object)
	if !ok {
		return nil, false, fmt.Errorf("%s: not a JSON object", path)
	}
	extraPath := filepath.Join(dir, typ+".sdk-extras.json")
	if eb, err := os.ReadFile(extraPath); err == nil {
		ev, err := ojson.Decode(eb)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", extraPath, err)
		}
		if eo, ok := ev.(*ojson.Object); ok {
			if m, ok := eo.Get("merge"); ok {
				if mo, ok := m.(*ojson.Object); ok {
					ojson.DeepMerge(doc, mo)
				}
			}
		}
	}
	ojson.StripDocs(doc)
	return doc, true, nil
}

func buildService(botocoreDir, boto3Dir, name, ver string) (indexEntry, []byte, error) {
	dir := filepath.Join(botocoreDir, name, ver)
	svc, _, err := loadDoc(dir, "service-2")
	if err != nil {
		return indexEntry{}, nil, err
	}
	pag, hasPag, err := loadDoc(dir, "paginators-1")
	if err != nil {
		return indexEntry{}, nil, err
	}
	wai, hasWai, err := loadDoc(dir, "waiters-2")
	if err != nil {
		return indexEntry{}, nil, err
	}
	// boto3 picks the newest resources-1.json independently of the
	// service's API version (determine_latest_version(name, "resources-1")).
	var res *ojson.Object
	rver, hasRes, err := newestVersion(filepath.Join(boto3Dir, name), "resources-1.json")
	if err != nil {
		return indexEntry{}, nil, err
	}
	if hasRes {
		if res, _, err = loadDoc(filepath.Join(boto3Dir, name, rver), "resources-1"); err != nil {
			return indexEntry{}, nil, err
		}
	}

	bundle := ojson.NewObject()
	bundle.Set("apiVersion", ver)
	bundle.Set("service", svc)
	if hasPag {
		bundle.Set("paginators", pag)
	}
	if hasWai {
		bundle.Set("waiters", wai)
	}
	if hasRes {
		bundle.Set("resourcesVersion", rver)
		bundle.Set("resources", res)
	}
	var raw bytes.Buffer
	if err := ojson.Encode(&raw, bundle); err != nil {
		return indexEntry{}, nil, err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return indexEntry{}, nil, err
	}
	zw.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		return indexEntry{}, nil, err
	}

	var md struct {
		Metadata struct {
			APIVersion       string   `json:"apiVersion"`
			ServiceID        string   `json:"serviceId"`
			EndpointPrefix   string   `json:"endpointPrefix"`
			SigningName      string   `json:"signingName"`
			SignatureVersion string   `json:"signatureVersion"`
			Protocol         string   `json:"protocol"`
			Protocols        []string `json:"protocols"`
			TargetPrefix     string   `json:"targetPrefix"`
			JSONVersion      string   `json:"jsonVersion"`
			GlobalEndpoint   string   `json:"globalEndpoint"`
			ServiceFullName  string   `json:"serviceFullName"`
		} `json:"metadata"`
	}
	var sb bytes.Buffer
	if err := ojson.Encode(&sb, svc); err != nil {
		return indexEntry{}, nil, err
	}
	if err := json.Unmarshal(sb.Bytes(), &md); err != nil {
		return indexEntry{}, nil, err
	}
	m := md.Metadata
	return indexEntry{
		Name: name, APIVersion: ver, ServiceID: m.ServiceID, EndpointPrefix: m.EndpointPrefix,
		SigningName: m.SigningName, SignatureVersion: m.SignatureVersion, Protocol: m.Protocol,
		Protocols: m.Protocols, TargetPrefix: m.TargetPrefix, JSONVersion: m.JSONVersion,
		GlobalEndpoint: m.GlobalEndpoint, ServiceFullName: m.ServiceFullName,
		HasPaginators: hasPag, HasWaiters: hasWai, HasResources: hasRes,
	}, gz.Bytes(), nil
}

func indexSource(index []indexEntry) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by go run ./gen; DO NOT EDIT.\n\npackage model\n\n")
	b.WriteString("// embeddedIndex is the routing metadata of every embedded service, sorted by name.\n")
	b.WriteString("var embeddedIndex = []IndexEntry{\n")
	for _, e := range index {
		fmt.Fprintf(&b, "\t{Name: %q, APIVersion: %q, ServiceID: %q, EndpointPrefix: %q, SigningName: %q, SignatureVersion: %q, Protocol: %q, Protocols: %#v, TargetPrefix: %q, JSONVersion: %q, GlobalEndpoint: %q, ServiceFullName: %q, HasPaginators: %v, HasWaiters: %v, HasResources: %v, CompressedSize: %d},\n",
			e.Name, e.APIVersion, e.ServiceID, e.EndpointPrefix, e.SigningName, e.SignatureVersion, e.Protocol, e.Protocols,
			e.TargetPrefix, e.JSONVersion, e.GlobalEndpoint, e.ServiceFullName, e.HasPaginators, e.HasWaiters, e.HasResources, e.Size)
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}
