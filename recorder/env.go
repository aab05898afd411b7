package recorder

import (
	"bytes"
	"hash/crc32"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Environment-independent cassettes. A signed request to a custom endpoint
// (fakecloud, localstack, an httptest server: anything not *.amazonaws.com)
// has its scheme://host:port replaced by EndpointPlaceholder everywhere in the
// interaction (URL, Host, bodies such as SQS QueueUrl, Location headers), and
// the region of its credential scope becomes RegionPlaceholder in ARNs,
// AWS hostnames and credential scopes. Live requests are normalised the same
// way before matching, and a replayed response gets the live request's own
// endpoint and region back, so a cassette recorded against fakecloud on one
// random port, or in one region, replays against another. Account ids are
// already placeholders (see account.go).

// EndpointPlaceholder stands for the custom endpoint a cassette was recorded
// against.
const EndpointPlaceholder = "http://endpoint.fakecloud.invalid"

const endpointHost = "endpoint.fakecloud.invalid"

// RegionPlaceholder stands for the region a cassette was recorded in.
const RegionPlaceholder = "region-1"

// env is what normalisation replaced in one request: the live origin and
// host:port, and the region.
type env struct {
	origin string // scheme://host[:port], "" when the endpoint is AWS's own
	host   string // host[:port]
	region string
}

// envOf reads the endpoint and region of a signed request; unsigned traffic
// (not AWS) is left alone.
func envOf(q *Request) (env, bool) {
	u, err := url.Parse(q.URL)
	if err != nil || u.Host == "" {
		return env{}, false
	}
	_, region := scope(q.Headers, u.Query())
	if region == "" {
		return env{}, false
	}
	e := env{region: region}
	if h := hostOnly(u.Host); !strings.HasSuffix(h, ".amazonaws.com") && !strings.HasSuffix(h, ".amazonaws.com.cn") && h != endpointHost && !virtualHosted(h) {
		e.origin = u.Scheme + "://" + u.Host
		e.host = u.Host
	}
	return e, true
}

func regionRes(region string) []*regexp.Regexp {
	q := regexp.QuoteMeta(region)
	return []*regexp.Regexp{
		regexp.MustCompile(`(arn:aws[a-z-]*:[a-zA-Z0-9-]*:)` + q + `(:)`),
		regexp.MustCompile(`(?i)(arn%3Aaws[a-z-]*%3A[a-z0-9-]*%3A)` + q + `(%3A)`),
		regexp.MustCompile(`(\.)` + q + `(\.amazonaws\.com)`),
		regexp.MustCompile(`(/)` + q + `(/[a-z0-9-]+/aws4_request)`),
		regexp.MustCompile(`(%2F)` + q + `(%2F[a-z0-9-]+%2Faws4_request)`),
	}
}

// rewrite applies the endpoint and region substitutions (from -> to) to
// every part of an interaction.
func rewriteEnv(in *Interaction, from, to env) {
	if from.origin == "" && (from.region == "" || from.region == to.region) {
		return
	}
	var res []*regexp.Regexp
	if from.region != "" && from.region != to.region {
		res = regionRes(from.region)
	}
	str := func(s string) string {
		if from.origin != "" && to.origin != "" && from.origin != to.origin {
			s = strings.ReplaceAll(s, from.origin, to.origin)
			s = strings.ReplaceAll(s, strings.ReplaceAll(from.origin, "/", `\/`), strings.ReplaceAll(to.origin, "/", `\/`))
			s = strings.ReplaceAll(s, url.QueryEscape(from.origin), url.QueryEscape(to.origin))
			if from.host != to.host {
				s = strings.ReplaceAll(s, "//"+from.host, "//"+to.host)
			}
		}
		for _, re := range res {
			s = re.ReplaceAllString(s, "${1}"+to.region+"${2}")
		}
		return s
	}
	bs := func(b []byte) []byte {
		hit := from.host != "" && bytes.Contains(b, []byte(hostOnly(from.host)))
		hit = hit || (len(res) > 0 && bytes.Contains(b, []byte(from.region)))
		if !hit {
			return b
		}
		return []byte(str(string(b)))
	}
	hdr := func(h http.Header) {
		for k, vs := range h {
			for i, v := range vs {
				vs[i] = str(v)
				if strings.EqualFold(k, "Host") && from.host != "" && v == from.host {
					vs[i] = to.host
				}
			}
		}
	}
	in.Request.URL = str(in.Request.URL)
	hdr(in.Request.Headers)
	in.Request.Body = bs(in.Request.Body)
	if in.Response != nil {
		hdr(in.Response.Headers)
		in.Response.Body = bs(in.Response.Body)
	}
	if from.region != "" && in.Region == from.region {
		in.Region = to.region
	}
}

// normalizeEnv puts placeholders into an interaction and returns what they
// replaced.
func normalizeEnv(in *Interaction) env {
	e, ok := envOf(&in.Request)
	if !ok {
		return env{}
	}
	to := env{region: RegionPlaceholder}
	if e.origin != "" {
		to.origin, to.host = EndpointPlaceholder, endpointHost
	}
	rewriteEnv(in, e, to)
	return e
}

// restoreEnv turns the placeholders of a recorded response into the live
// request's endpoint and region, and re-derives what the change invalidates
// (Content-Length, DynamoDB's X-Amz-Crc32).
func restoreEnv(resp *Response, live env) {
	if resp == nil || (live.origin == "" && live.region == "") {
		return
	}
	from := env{region: RegionPlaceholder}
	if live.origin != "" {
		from.origin, from.host = EndpointPlaceholder, endpointHost
	}
	if live.region == "" {
		from.region = ""
	}
	before := resp.Body
	in := &Interaction{Response: resp}
	rewriteEnv(in, from, live)
	if !bytes.Equal(before, resp.Body) {
		if resp.Headers.Get("X-Amz-Crc32") != "" {
			resp.Headers.Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(resp.Body)), 10))
		}
	}
}

// virtualHosted reports an S3 virtual-host name on a custom endpoint
// (bucket.s3.localhost, bucket.localhost): the bucket is part of the
// request, so such an endpoint is left as it is.
func virtualHosted(h string) bool {
	labels := strings.Split(h, ".")
	for i, l := range labels {
		if i > 0 && (l == "s3" || strings.HasPrefix(l, "s3-")) {
			return true
		}
	}
	return len(labels) >= 2 && labels[len(labels)-1] == "localhost"
}
