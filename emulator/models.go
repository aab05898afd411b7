package emulator

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
)

// loadModel is the one place the emulator gets a service model: the
// embedded models (model.Load), or botocore's data directory when
// $FAKECLOUD_BOTOCORE_DATA is set.
var loadModel = func(name string) (*model.Service, error) {
	if os.Getenv("FAKECLOUD_BOTOCORE_DATA") != "" {
		return loadBotocoreModel(name)
	}
	return model.Load(name)
}

var modelCache sync.Map // name -> *model.Service

func botocoreDir() string {
	if d := os.Getenv("FAKECLOUD_BOTOCORE_DATA"); d != "" {
		return d
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// file is <root>/emulator/models.go; shared sits beside <root>.
	return filepath.Join(filepath.Dir(file), "..", "..", "shared", "aws-data", "botocore")
}

func loadBotocoreModel(name string) (*model.Service, error) {
	if v, ok := modelCache.Load(name); ok {
		return v.(*model.Service), nil
	}
	dir := filepath.Join(botocoreDir(), name)
	versions, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("emulator: no model for service %q: %w", name, err)
	}
	var names []string
	for _, v := range versions {
		if v.IsDir() {
			names = append(names, v.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("emulator: no model version for service %q in %s", name, dir)
	}
	sort.Strings(names) // API versions are dates: the last is the newest
	data, err := os.ReadFile(filepath.Join(dir, names[len(names)-1], "service-2.json"))
	if err != nil {
		return nil, fmt.Errorf("emulator: model for %q: %w", name, err)
	}
	svc, err := model.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("emulator: model for %q: %w", name, err)
	}
	v, _ := modelCache.LoadOrStore(name, svc)
	return v.(*model.Service), nil
}

// CodecFunc returns the codec for a service's requests arriving in a wire
// protocol (usually svc.Metadata.Protocol; "query" for old-SDK requests to an
// awsQueryCompatible json service).
type CodecFunc func(svc *model.Service, protocolName string) (protocol.Codec, error)

// defaultCodecs uses internal/protocol/codecs: the service's own codec, or
// the named protocol's for requests in another one (old-SDK query requests
// to an awsQueryCompatible json service), with the shapes of the service's
// model of that protocol's era when there is one (see variantCodec).
func defaultCodecs(svc *model.Service, protocolName string) (protocol.Codec, error) {
	if protocolName == "" || protocolName == svc.Metadata.Protocol {
		return codecs.For(svc)
	}
	c, err := codecs.ByName(protocolName)
	if err != nil {
		return nil, err
	}
	return withVariant(svc, c), nil
}
