package discordtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/pulsebot/pulsebot/internal/shareddata"
)

// SpecPath returns the path of Discord's openapi.json, which lives beside
// the shared test data (../shared/discord-api-spec/openapi.json from the
// module root), for Options.OpenAPISpec. When it is absent SpecPath says so
// with tb.Log and returns "": the test still runs, without validation.
func SpecPath(tb testing.TB) string {
	tb.Helper()
	dir, ok := shareddata.Find()
	if !ok {
		tb.Log("discordtest: shared test data not found: requests are not validated against Discord's OpenAPI spec")
		return ""
	}
	p := filepath.Join(dir, "..", "discord-api-spec", "openapi.json")
	if _, err := os.Stat(p); err != nil {
		tb.Logf("discordtest: %v: requests are not validated against Discord's OpenAPI spec", err)
		return ""
	}
	return p
}

// spec is a loaded OpenAPI document with its router.
type spec struct {
	router    routers.Router
	loadTime  time.Duration
	firstLoad bool // this New call paid for the load
}

// specCache holds loaded specs for the life of the test binary. It is the
// package's only mutable global, on purpose: Discord's openapi.json is
// 1.2 MB and takes ~150 ms to load and resolve (more under -race), which
// every test asking for validation would otherwise pay. Loaded specs are
// read-only, so sharing them between parallel tests is safe.
var specCache struct {
	mu sync.Mutex
	m  map[string]*specOnce
}

type specOnce struct {
	once sync.Once
	sp   *spec
	err  error
}

func loadSpec(path string) (*spec, error) {
	specCache.mu.Lock()
	if specCache.m == nil {
		specCache.m = map[string]*specOnce{}
	}
	so, ok := specCache.m[path]
	if !ok {
		so = &specOnce{}
		specCache.m[path] = so
	}
	specCache.mu.Unlock()
	first := false
	so.once.Do(func() {
		first = true
		start := time.Now()
		doc, err := openapi3.NewLoader().LoadFromFile(path)
		if err != nil {
			so.err = fmt.Errorf("load OpenAPI spec %s: %w", path, err)
			return
		}
		// The spec's server is https://discord.com/api/v10; requests are
		// rewritten to it (v9 included) before routing, so it stays as is.
		r, err := gorillamux.NewRouter(doc)
		if err != nil {
			so.err = fmt.Errorf("route OpenAPI spec %s: %w", path, err)
			return
		}
		so.sp = &spec{router: r, loadTime: time.Since(start)}
	})
	if so.err != nil {
		return nil, so.err
	}
	sp := *so.sp
	sp.firstLoad = first
	return &sp, nil
}

// specBase is the spec's server URL: requests are validated as if sent
// there, whatever API version (9 or 10) they used.
const specBase = "https://discord.com/api/v10"

// validate checks a request against the spec. A multipart body cannot be
// validated as such (kin-openapi has no decoder for the spec's multipart
// schemas: "unsupported schema of request body"), so its payload_json part
// is validated as the operation's application/json body instead, and the
// file parts are not validated. Routes missing from the spec pass.
func (sp *spec) validate(r *http.Request, body []byte) []violation {
	m := apiPrefix.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return nil
	}
	ctype := r.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ctype); mt == "multipart/form-data" {
		payload, _, err := decodeBody(ctype, body)
		if err != nil {
			return nil // decodeBody's error is reported by the caller
		}
		body, ctype = payload, "application/json"
	}
	u := specBase + m[2]
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return sp.check(r.Method, u, r.Header, ctype, body)
}

// validateCallback checks an interaction response body (from an HTTP
// interactions endpoint) as the body of POST …/callback.
func (sp *spec) validateCallback(id, token string, payload []byte) []violation {
	return sp.check(http.MethodPost, specBase+"/interactions/"+id+"/"+token+"/callback", http.Header{}, "application/json", payload)
}

func (sp *spec) check(method, url string, h http.Header, ctype string, body []byte) []violation {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return nil
	}
	req.Header = h.Clone()
	req.Header.Del("Content-Type")
	if len(body) > 0 {
		req.Header.Set("Content-Type", ctype)
	}
	route, params, err := sp.router.FindRoute(req)
	if err != nil {
		return nil
	}
	err = openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		// The fake checks the token itself; the spec's security schemes
		// would need a callback per scheme for nothing.
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	})
	if err == nil {
		return nil
	}
	var errs []error
	var me openapi3.MultiError
	if errors.As(err, &me) {
		errs = me
	} else {
		errs = []error{err}
	}
	vs := make([]violation, 0, len(errs))
	for _, e := range errs {
		vs = append(vs, violation{code: "OPENAPI", message: "OpenAPI: " + summarize(e)})
	}
	return vs
}

// summarize shortens kin-openapi's errors, which print whole schemas: keep
// the first line and the "| …" reasons of oneOf branches.
func summarize(err error) string {
	lines := strings.Split(err.Error(), "\n")
	parts := []string{strings.TrimSpace(lines[0])}
	for _, l := range lines[1:] {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "| ") {
			parts = append(parts, strings.TrimPrefix(t, "| "))
		}
	}
	s := strings.Join(parts, "; ")
	if r := []rune(s); len(r) > 600 {
		s = string(r[:600]) + "…"
	}
	return s
}
