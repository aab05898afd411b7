package model

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fakecloud/fakecloud/internal/model/internal/ojson"
)

// A Loader finds service models the way botocore's Loader does: each search
// path (a directory laid out <dir>/<service>/<api-version>/service-2.json)
// is consulted in order, then the embedded models. The newest API version of
// a service across all of them wins; for that version the first search path
// that has the file wins over the embedded data.
//
// Models are decoded lazily, once per service, on the first Load; a Loader
// is safe for concurrent use. Returned *Service values are shared between
// callers and must not be modified.
type Loader struct {
	paths []string

	mu    sync.Mutex
	cache map[string]*loadCall

	listOnce sync.Once
	names    []string

	routeOnce sync.Once
	route     *routing

	decoded atomic.Int64 // embedded bundles decompressed by this loader
}

// loadCall is one in-flight or finished Load of a service.
type loadCall struct {
	done chan struct{}
	svc  *Service
	err  error
}

// modelDecodes counts embedded bundles decompressed by any loader; tests use
// it to prove that package initialisation decodes nothing.
var modelDecodes atomic.Int64

// NewLoader returns a Loader that consults searchPaths, in order, before the
// embedded models. With no paths it serves the embedded models only.
func NewLoader(searchPaths ...string) *Loader {
	return &Loader{paths: append([]string(nil), searchPaths...), cache: map[string]*loadCall{}}
}

// DefaultSearchPaths is botocore's search path before its built-in data:
// every entry of AWS_DATA_PATH (split on os.PathListSeparator, with ~ and
// environment variables expanded), then ~/.aws/models. Empty entries of
// AWS_DATA_PATH are skipped.
func DefaultSearchPaths() []string {
	var paths []string
	home, _ := os.UserHomeDir()
	if v := os.Getenv("AWS_DATA_PATH"); v != "" {
		for _, p := range filepath.SplitList(v) {
			p = expandUser(os.ExpandEnv(p), home)
			if p != "" {
				paths = append(paths, p)
			}
		}
	}
	if home != "" {
		paths = append(paths, filepath.Join(home, ".aws", "models"))
	}
	return paths
}

func expandUser(p, home string) string {
	if home == "" {
		return p
	}
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, "~"+string(filepath.Separator)) {
		return filepath.Join(home, p[2:])
	}
	return p
}

var defaultLoader = sync.OnceValue(func() *Loader { return NewLoader(DefaultSearchPaths()...) })

// Default returns the package's Loader, created on first use with
// DefaultSearchPaths (so AWS_DATA_PATH is read then, not at init).
func Default() *Loader { return defaultLoader() }

// Load returns the named service model from the default Loader.
func Load(name string) (*Service, error) { return Default().Load(name) }

// AvailableServices returns the default Loader's sorted service names: the
// list boto3's Session().get_available_services() gives for the same data.
func AvailableServices() []string { return Default().AvailableServices() }

// Index returns the default Loader's routing index, sorted by service name.
func Index() []IndexEntry { return Default().Index() }

// Lookup returns the index entry of the named service.
func Lookup(name string) (IndexEntry, bool) { return Default().Lookup(name) }

// ByEndpointPrefix returns the services whose endpointPrefix is prefix.
func ByEndpointPrefix(prefix string) []IndexEntry { return Default().ByEndpointPrefix(prefix) }

// BySigningName returns the services whose SigV4 signing name is name.
func BySigningName(name string) []IndexEntry { return Default().BySigningName(name) }

// ByTargetPrefix returns the services whose targetPrefix is prefix.
func ByTargetPrefix(prefix string) []IndexEntry { return Default().ByTargetPrefix(prefix) }

// ByTarget returns the services an X-Amz-Target header value
// ("DynamoDB_20120810.PutItem") addresses: the part before the last dot is
// the target prefix, which may itself contain dots.
func ByTarget(target string) []IndexEntry { return Default().ByTarget(target) }

// SearchPaths returns the directories the Loader consults before the
// embedded models.
func (l *Loader) SearchPaths() []string { return append([]string(nil), l.paths...) }

// validName rejects names that could escape a search path directory.
func validName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, `/\`) && !strings.ContainsRune(name, 0)
}

// Load returns the named service model (botocore name: "s3", "dynamodb"),
// decoding it on first use. An unknown name gives *UnknownServiceError; a
// corrupt model gives an error naming the file.
func (l *Loader) Load(name string) (*Service, error) {
	if !validName(name) {
		return nil, l.unknown(name)
	}
	l.mu.Lock()
	if c, ok := l.cache[name]; ok {
		l.mu.Unlock()
		<-c.done
		return c.svc, c.err
	}
	c := &loadCall{done: make(chan struct{})}
	l.cache[name] = c
	l.mu.Unlock()

	c.svc, c.err = l.loadSafe(name)
	if c.err != nil {
		// Only successes are cached (as botocore's instance_cache): a
		// fixed file or a later install is seen on the next call, and
		// unknown names sent by clients cannot grow the cache.
		l.mu.Lock()
		delete(l.cache, name)
		l.mu.Unlock()
	}
	close(c.done)
	return c.svc, c.err
}

// loadSafe turns a panic in a decoder into an error, so a model file on a
// search path can never crash a server or leave other callers of Load
// waiting forever.
func (l *Loader) loadSafe(name string) (svc *Service, err error) {
	defer func() {
		if r := recover(); r != nil {
			svc, err = nil, fmt.Errorf("model %s: internal error decoding the model: %v", name, r)
		}
	}()
	return l.load(name)
}

func (l *Loader) unknown(name string) error {
	return &UnknownServiceError{Name: name, Known: l.AvailableServices()}
}

// embeddedEntry returns the generated index entry of a service.
func embeddedEntry(name string) (IndexEntry, bool) {
	i := sort.Search(len(embeddedIndex), func(i int) bool { return embeddedIndex[i].Name >= name })
	if i < len(embeddedIndex) && embeddedIndex[i].Name == name {
		return embeddedIndex[i], true
	}
	return IndexEntry{}, false
}

// bundle is the decoded form of one data/<service>.json.gz.
type bundle struct {
	APIVersion       string          `json:"apiVersion"`
	Service          json.RawMessage `json:"service"`
	Paginators       json.RawMessage `json:"paginators"`
	Waiters          json.RawMessage `json:"waiters"`
	ResourcesVersion string          `json:"resourcesVersion"`
	Resources        json.RawMessage `json:"resources"`
}

func embeddedFile(name string) string { return "data/" + name + ".json.gz" }

func (l *Loader) readBundle(name string) (*bundle, error) {
	file := embeddedFile(name)
	where := "embedded " + file
	gz, err := embeddedData.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	l.decoded.Add(1)
	modelDecodes.Add(1)
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	var b bundle
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return &b, nil
}

// doc is one model document with where it came from, for error messages.
type doc struct {
	data []byte
	file string
}

// versionsOnDisk returns the API versions under dir/<service> that hold a
// typ document.
func versionsOnDisk(dir, typ string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var vs []string
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		if _, ok := findFile(filepath.Join(dir, e.Name()), typ); ok {
			vs = append(vs, e.Name())
		}
	}
	return vs
}

// findFile finds typ.json or typ.json.gz in dir (botocore reads both).
func findFile(dir, typ string) (string, bool) {
	for _, ext := range []string{".json", ".json.gz"} {
		p := filepath.Join(dir, typ+ext)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, true
		}
	}
	return "", false
}

// readDisk reads a model document from a search path and merges its
// typ.sdk-extras.json when one sits beside it, as botocore does.
func readDisk(dir, typ string) (*doc, bool, error) {
	p, ok := findFile(dir, typ)
	if !ok {
		return nil, false, nil
	}
	data, err := readMaybeGzip(p)
	if err != nil {
		return nil, true, fmt.Errorf("%s: %w", p, err)
	}
	ep, ok := findFile(dir, typ+".sdk-extras")
	if !ok {
		return &doc{data, p}, true, nil
	}
	edata, err := readMaybeGzip(ep)
	if err != nil {
		return nil, true, fmt.Errorf("%s: %w", ep, err)
	}
	merged, err := mergeExtras(data, edata)
	if err != nil {
		return nil, true, fmt.Errorf("%s with %s: %w", p, ep, err)
	}
	return &doc{merged, p}, true, nil
}

func readMaybeGzip(p string) ([]byte, error) {
	b, err := os.ReadFile(p)
	if err != nil || !strings.HasSuffix(p, ".gz") {
		return b, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// mergeExtras applies the "merge" section of an sdk-extras document to a
// model document, keeping key order (new members go last, as in Python).
func mergeExtras(data, extras []byte) ([]byte, error) {
	base, err := ojson.Decode(data)
	if err != nil {
		return nil, err
	}
	bo, ok := base.(*ojson.Object)
	if !ok {
		return nil, errors.New("model document is not a JSON object")
	}
	ev, err := ojson.Decode(extras)
	if err != nil {
		return nil, fmt.Errorf("extras: %w", err)
	}
	if eo, ok := ev.(*ojson.Object); ok {
		if m, ok := eo.Get("merge"); ok {
			if mo, ok := m.(*ojson.Object); ok {
				ojson.DeepMerge(bo, mo)
			}
		}
	}
	var out bytes.Buffer
	if err := ojson.Encode(&out, bo); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func (l *Loader) load(name string) (*Service, error) {
	emb, hasEmb := embeddedEntry(name)
	newest := ""
	if hasEmb {
		newest = emb.APIVersion
	}
	for _, p := range l.paths {
		for _, v := range versionsOnDisk(filepath.Join(p, name), "service-2") {
			if v > newest {
				newest = v
			}
		}
	}
	if newest == "" {
		return nil, l.unknown(name)
	}

	var b *bundle
	embedded := func() (*bundle, error) {
		if b == nil {
			var err error
			if b, err = l.readBundle(name); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	// find returns the typ document of the chosen version: the first search
	// path that has it, else the embedded one when it is that version.
	find := func(typ string, pick func(*bundle) json.RawMessage) (*doc, error) {
		for _, p := range l.paths {
			d, ok, err := readDisk(filepath.Join(p, name, newest), typ)
			if ok {
				return d, err
			}
		}
		if !hasEmb || emb.APIVersion != newest {
			return nil, nil
		}
		bb, err := embedded()
		if err != nil {
			return nil, err
		}
		raw := pick(bb)
		if len(raw) == 0 {
			return nil, nil
		}
		return &doc{raw, "embedded " + embeddedFile(name) + " (" + typ + ")"}, nil
	}

	sd, err := find("service-2", func(b *bundle) json.RawMessage { return b.Service })
	if err != nil {
		return nil, err
	}
	if sd == nil {
		return nil, fmt.Errorf("model %s %s: service-2 document missing", name, newest)
	}
	svc, err := Parse(sd.data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sd.file, err)
	}
	svc.Name = name
	svc.Paginators = map[string]*Paginator{}
	svc.Waiters = map[string]*Waiter{}

	pd, err := find("paginators-1", func(b *bundle) json.RawMessage { return b.Paginators })
	if err != nil {
		return nil, err
	}
	if pd != nil {
		if svc.Paginators, err = ParsePaginators(pd.data); err != nil {
			return nil, fmt.Errorf("%s: %w", pd.file, err)
		}
	}
	wd, err := find("waiters-2", func(b *bundle) json.RawMessage { return b.Waiters })
	if err != nil {
		return nil, err
	}
	if wd != nil {
		if svc.Waiters, err = ParseWaiters(wd.data); err != nil {
			return nil, fmt.Errorf("%s: %w", wd.file, err)
		}
	}
	if svc.Resources, err = l.resources(name, emb, hasEmb, embedded); err != nil {
		return nil, err
	}
	return svc, nil
}

// resources returns boto3's resources-1 document of the service: the newest
// version that has one (boto3 does not tie it to the service's API version).
func (l *Loader) resources(name string, emb IndexEntry, hasEmb bool, embedded func() (*bundle, error)) (json.RawMessage, error) {
	newest, fromDisk := "", ""
	for _, p := range l.paths {
		for _, v := range versionsOnDisk(filepath.Join(p, name), "resources-1") {
			if v > newest {
				newest, fromDisk = v, p
			}
		}
	}
	if hasEmb && emb.HasResources {
		b, err := embedded()
		if err != nil {
			return nil, err
		}
		if b.ResourcesVersion > newest || (fromDisk == "" && len(b.Resources) > 0) {
			return b.Resources, nil
		}
	}
	if fromDisk == "" {
		return nil, nil
	}
	// The first search path holding that version wins.
	for _, p := range l.paths {
		d, ok, err := readDisk(filepath.Join(p, name, newest), "resources-1")
		if !ok {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !json.Valid(d.data) {
			return nil, fmt.Errorf("%s: invalid JSON", d.file)
		}
		return json.RawMessage(d.data), nil
	}
	return nil, nil
}

// AvailableServices returns the sorted names of every service with a
// service-2 document on the search paths or embedded: botocore's
// list_available_services("service-2"), which boto3's
// Session.get_available_services returns.
func (l *Loader) AvailableServices() []string {
	l.listOnce.Do(func() {
		set := make(map[string]bool, len(embeddedIndex))
		names := make([]string, 0, len(embeddedIndex))
		for _, e := range embeddedIndex {
			set[e.Name] = true
			names = append(names, e.Name)
		}
		for _, p := range l.paths {
			ents, err := os.ReadDir(p)
			if err != nil {
				continue
			}
			for _, e := range ents {
				if !e.IsDir() || set[e.Name()] {
					continue
				}
				if len(versionsOnDisk(filepath.Join(p, e.Name()), "service-2")) > 0 {
					set[e.Name()] = true
					names = append(names, e.Name())
				}
			}
		}
		sort.Strings(names)
		l.names = names
	})
	return append([]string(nil), l.names...)
}

// Index returns the routing metadata of every available service, sorted by
// name. Embedded services come from the generated index without decoding a
// model; a service whose newest version is on a search path is described by
// that file's metadata (a file that cannot be read is left out here; Load
// reports its error).
func (l *Loader) Index() []IndexEntry { return append([]IndexEntry(nil), l.routing().entries...) }

func (l *Loader) routing() *routing {
	l.routeOnce.Do(func() {
		if len(l.paths) == 0 {
			l.route = newRouting(embeddedIndex)
			return
		}
		var entries []IndexEntry
		for _, name := range l.AvailableServices() {
			emb, hasEmb := embeddedEntry(name)
			newest, dir := "", ""
			for _, p := range l.paths {
				for _, v := range versionsOnDisk(filepath.Join(p, name), "service-2") {
					if v > newest || (v == newest && dir == "") {
						newest, dir = v, p
					}
				}
			}
			if hasEmb && emb.APIVersion >= newest {
				if emb.APIVersion > newest || dir == "" {
					entries = append(entries, emb)
					continue
				}
			}
			d, ok, err := readDisk(filepath.Join(dir, name, newest), "service-2")
			if !ok || err != nil {
				continue
			}
			var m struct {
				Metadata Metadata `json:"metadata"`
			}
			if json.Unmarshal(d.data, &m) != nil {
				continue
			}
			e := indexEntryFromMetadata(name, m.Metadata)
			e.APIVersion = newest
			_, e.HasPaginators = findFile(filepath.Join(dir, name, newest), "paginators-1")
			_, e.HasWaiters = findFile(filepath.Join(dir, name, newest), "waiters-2")
			e.HasResources = hasEmb && emb.HasResources
			entries = append(entries, e)
		}
		l.route = newRouting(entries)
	})
	return l.route
}

// Lookup returns the index entry of the named service.
func (l *Loader) Lookup(name string) (IndexEntry, bool) {
	r := l.routing()
	i, ok := r.byName[name]
	if !ok {
		return IndexEntry{}, false
	}
	return r.entries[i], true
}

// ByEndpointPrefix returns the services whose endpointPrefix is prefix
// (the first label of their hostnames: "s3", "dynamodb", "email").
func (l *Loader) ByEndpointPrefix(prefix string) []IndexEntry {
	r := l.routing()
	return r.pick(r.byPrefix[prefix])
}

// BySigningName returns the services that sign with name in the SigV4
// credential scope. Several services may share one ("execute-api" is
// shared by API Gateway's clients).
func (l *Loader) BySigningName(name string) []IndexEntry {
	r := l.routing()
	return r.pick(r.bySign[name])
}

// ByTargetPrefix returns the services whose targetPrefix is prefix.
func (l *Loader) ByTargetPrefix(prefix string) []IndexEntry {
	r := l.routing()
	return r.pick(r.byTarget[prefix])
}

// ByTarget returns the services an X-Amz-Target header value addresses.
func (l *Loader) ByTarget(target string) []IndexEntry {
	i := strings.LastIndexByte(target, '.')
	if i <= 0 {
		return nil
	}
	return l.ByTargetPrefix(target[:i])
}

// UnknownServiceError is returned for a service name no search path and no
// embedded model knows. Known holds every available service name.
type UnknownServiceError struct {
	Name  string
	Known []string
}

// Error follows botocore's UnknownServiceError ("Unknown service: 'sqss'.
// Valid service names are: ..."). Where botocore lists every service, the
// list here starts with the names closest to the one asked for and is cut
// when close names exist, since ~430 names bury the useful ones.
func (e *UnknownServiceError) Error() string {
	close := closeNames(e.Name, e.Known, 5)
	if len(close) == 0 {
		return fmt.Sprintf("Unknown service: '%s'. Valid service names are: %s", e.Name, strings.Join(e.Known, ", "))
	}
	msg := fmt.Sprintf("Unknown service: '%s'. Valid service names are: %s", e.Name, strings.Join(close, ", "))
	if n := len(e.Known) - len(close); n > 0 {
		msg += fmt.Sprintf(" and %d more", n)
	}
	return msg
}

// closeNames returns up to max names within a small edit distance of name,
// closest first.
func closeNames(name string, known []string, max int) []string {
	type cand struct {
		name string
		d    int
	}
	limit := len(name) / 3
	if limit < 2 {
		limit = 2
	}
	var cs []cand
	lname := strings.ToLower(name)
	for _, k := range known {
		d := editDistance(lname, k)
		if d <= limit || (len(lname) >= 3 && strings.Contains(k, lname)) {
			cs = append(cs, cand{k, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for i := 0; i < len(cs) && i < max; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in bytes.
// Inputs longer than 256 bytes are compared by their first 256 bytes, so a
// hostile name cannot make the error quadratic in its length.
func editDistance(a, b string) int {
	if len(a) > 256 {
		a = a[:256]
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
