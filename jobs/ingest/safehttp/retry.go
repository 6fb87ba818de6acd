package safehttp

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter caps both Retry-After and Backoff: a feed that asks us to go
// away for a month is polled again tomorrow.
const MaxRetryAfter = 24 * time.Hour

// baseBackoff is the wait after the first consecutive failure.
const baseBackoff = 10 * time.Minute

// StatusError is a response that was neither 2xx nor 304.
type StatusError struct {
	StatusCode int
	// RetryAfter is the server's Retry-After on a 429 or 503, capped at
	// MaxRetryAfter; 0 when absent, unparseable or another status.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// Backoff is how long to leave a source alone after n consecutive failures:
// 10 minutes doubled for each failure after the first, capped at 24 hours,
// and 0 when n ≤ 0 (no failure, no wait).
func Backoff(consecutiveFailures int) time.Duration {
	if consecutiveFailures <= 0 {
		return 0
	}
	d := baseBackoff
	for range consecutiveFailures - 1 {
		d *= 2
		if d >= MaxRetryAfter {
			return MaxRetryAfter
		}
	}
	return d
}

// ParseRetryAfter reads a Retry-After value, either delay-seconds or an
// HTTP-date measured from now. A date in the past means "now" (0, true).
// The result is capped at MaxRetryAfter; ok is false for an empty or
// malformed value.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			// All digits but too big for uint64 is still "a very long time".
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return MaxRetryAfter, true
			}
			return 0, false
		}
		if secs >= uint64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	switch {
	case d < 0:
		return 0, true
	case d > MaxRetryAfter:
		return MaxRetryAfter, true
	}
	return d, true
}
