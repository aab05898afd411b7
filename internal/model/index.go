package model

// IndexEntry is the routing metadata of one service, taken from its model's
// metadata at generation time. Listing services and routing a request by
// endpoint prefix, signing name or X-Amz-Target prefix use only the index, so
// they never decompress a model.
type IndexEntry struct {
	// Name is the botocore service name (its data directory name): "s3",
	// "dynamodb", "elbv2".
	Name             string
	APIVersion       string
	ServiceID        string
	EndpointPrefix   string
	SigningName      string // as written in the model; see ResolvedSigningName
	SignatureVersion string
	Protocol         string
	Protocols        []string
	TargetPrefix     string
	JSONVersion      string
	GlobalEndpoint   string
	ServiceFullName  string
	HasPaginators    bool
	HasWaiters       bool
	HasResources     bool
	// CompressedSize is the size of the embedded model data in bytes (0 for a
	// model found on a search path).
	CompressedSize int
}

// ResolvedSigningName is the SigV4 credential-scope service name: signingName
// when the model has one, else endpointPrefix (botocore's rule).
func (e IndexEntry) ResolvedSigningName() string {
	if e.SigningName != "" {
		return e.SigningName
	}
	return e.EndpointPrefix
}

func indexEntryFromMetadata(name string, m Metadata) IndexEntry {
	return IndexEntry{
		Name: name, APIVersion: m.APIVersion, ServiceID: m.ServiceID, EndpointPrefix: m.EndpointPrefix,
		SigningName: m.SigningName, SignatureVersion: m.SignatureVersion, Protocol: m.Protocol,
		Protocols: append([]string(nil), m.Protocols...), TargetPrefix: m.TargetPrefix,
		JSONVersion: m.JSONVersion, GlobalEndpoint: m.GlobalEndpoint, ServiceFullName: m.ServiceFullName,
	}
}

// routing is the index of one Loader with its lookup tables.
type routing struct {
	entries  []IndexEntry
	byName   map[string]int
	byPrefix map[string][]int
	bySign   map[string][]int
	byTarget map[string][]int
}

func newRouting(entries []IndexEntry) *routing {
	r := &routing{
		entries:  entries,
		byName:   make(map[string]int, len(entries)),
		byPrefix: map[string][]int{},
		bySign:   map[string][]int{},
		byTarget: map[string][]int{},
	}
	for i, e := range entries {
		r.byName[e.Name] = i
		if e.EndpointPrefix != "" {
			r.byPrefix[e.EndpointPrefix] = append(r.byPrefix[e.EndpointPrefix], i)
		}
		if s := e.ResolvedSigningName(); s != "" {
			r.bySign[s] = append(r.bySign[s], i)
		}
		if e.TargetPrefix != "" {
			r.byTarget[e.TargetPrefix] = append(r.byTarget[e.TargetPrefix], i)
		}
	}
	return r
}

func (r *routing) pick(idx []int) []IndexEntry {
	if len(idx) == 0 {
		return nil
	}
	out := make([]IndexEntry, len(idx))
	for i, j := range idx {
		out[i] = r.entries[j]
	}
	return out
}
