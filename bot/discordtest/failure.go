package discordtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Failure is an injected error response. It is used once, by the first
// request that matches it, after routing and authentication and before any
// validation (Discord rate-limits and fails before it reads bodies).
type Failure struct {
	Method string // "" matches any method
	// Path is a prefix of the version-less path ("/channels/1/messages");
	// a leading /api/v9 or /api/v10 is ignored; "" matches any path.
	Path   string
	Status int
	Body   string // "" = Discord's usual body for Status
	// RetryAfter is the wait a 429 asks for (JSON retry_after, Retry-After
	// and X-RateLimit-Reset-After); default 10ms so retries stay fast.
	RetryAfter time.Duration
	Global     bool // 429: a global rate limit
}

// Fail queues an injected failure.
func (s *Server) Fail(f Failure) {
	if m := apiPrefix.FindStringSubmatch(f.Path); m != nil {
		f.Path = m[2]
	}
	s.mu.Lock()
	s.rest.failures = append(s.rest.failures, f)
	s.mu.Unlock()
}

// FailNext makes the next request with method (or any, "") whose
// version-less path starts with pathPrefix fail with status. body "" gives
// Discord's usual body: for 429 {"message":"You are being rate
// limited.","retry_after":0.01,"global":false} with Retry-After and
// X-RateLimit-* headers; for 403 Missing Permissions (50013); for 404
// 404: Not Found; for 5xx "500: Internal Server Error".
func (s *Server) FailNext(method, pathPrefix string, status int, body string) {
	s.Fail(Failure{Method: method, Path: pathPrefix, Status: status, Body: body})
}

// FailRandomly makes each request matching f's method and path prefix
// fail with probability rate, with f's status (and body), from a
// pseudo-random sequence seeded by seed: the same requests in the same
// order meet the same failures. Queued failures (Fail) come first. A
// second call replaces the first; rate 0 turns it off.
func (s *Server) FailRandomly(f Failure, rate float64, seed uint64) {
	if m := apiPrefix.FindStringSubmatch(f.Path); m != nil {
		f.Path = m[2]
	}
	s.mu.Lock()
	s.rest.random = randomFailure{Failure: f, rate: rate, state: seed}
	s.mu.Unlock()
}

// randomFailure is FailRandomly's setting and its generator's state.
type randomFailure struct {
	Failure
	rate  float64
	state uint64
}

// take draws for one request (SplitMix64).
func (r *randomFailure) take() bool {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11)/(1<<53) < r.rate
}

// takeFailure removes and returns the first failure matching a request,
// or draws a random one.
func (s *Server) takeFailure(method, path string) (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	match := func(f Failure) bool {
		return (f.Method == "" || strings.EqualFold(f.Method, method)) && strings.HasPrefix(path, f.Path)
	}
	for i, f := range s.rest.failures {
		if match(f) {
			s.rest.failures = append(s.rest.failures[:i:i], s.rest.failures[i+1:]...)
			return f, true
		}
	}
	if r := &s.rest.random; r.rate > 0 && match(r.Failure) && r.take() {
		s.rest.randomHits++
		return r.Failure, true
	}
	return Failure{}, false
}

// RandomFailures counts the failures FailRandomly has injected.
func (s *Server) RandomFailures() int { return s.counter(func() int { return s.rest.randomHits }) }

// retryAfterJSON picks retry_after out of a custom 429 body.
var retryAfterJSON = regexp.MustCompile(`"retry_after"\s*:\s*([0-9.]+)`)

func (f Failure) write(c *call) {
	h := c.w.Header()
	body := f.Body
	if f.Status == http.StatusTooManyRequests {
		wait := f.RetryAfter
		if wait <= 0 {
			wait = 10 * time.Millisecond
		}
		if m := retryAfterJSON.FindStringSubmatch(body); m != nil {
			if secs, err := strconv.ParseFloat(m[1], 64); err == nil {
				wait = time.Duration(secs * float64(time.Second))
			}
		}
		secs := wait.Seconds()
		if body == "" {
			b, _ := json.Marshal(map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": f.Global})
			body = string(b)
		}
		scope := "user"
		if f.Global {
			scope = "global"
			h.Set("X-RateLimit-Global", "true")
		}
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", "discordtest")
		h.Set("X-RateLimit-Scope", scope)
	}
	if body == "" {
		body = defaultErrorBody(f.Status)
	}
	h.Set("Content-Type", "application/json")
	c.w.WriteHeader(f.Status)
	fmt.Fprint(c.w, body)
}

func defaultErrorBody(status int) string {
	var code int
	var msg string
	switch status {
	case http.StatusUnauthorized:
		msg = "401: Unauthorized"
	case http.StatusForbidden:
		code, msg = 50013, "Missing Permissions"
	case http.StatusNotFound:
		msg = "404: Not Found"
	case http.StatusBadRequest:
		code, msg = 50035, "Invalid Form Body"
	default:
		msg = fmt.Sprintf("%d: %s", status, http.StatusText(status))
	}
	b, _ := json.Marshal(map[string]any{"message": msg, "code": code})
	return string(b)
}
