package discordtest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// rewrite is the RoundTripper the bot uses for PULSEBOT_DISCORD_URL:
// discordgo's endpoints are fixed to https://discord.com, so requests to
// that host go to the fake instead.
type rewrite struct{ base *url.URL }

func (t rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == "discord.com" {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, t.base.Host
	}
	return http.DefaultTransport.RoundTrip(r)
}

// newSession is a discordgo session pointed at the fake, not yet opened.
func newSession(t *testing.T, srv *Server, token string) *discordgo.Session {
	t.Helper()
	dg, err := discordgo.New("Bot " + token)
	if err != nil {
		t.Fatal(err)
	}
	base, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	dg.Client = &http.Client{Transport: rewrite{base}, Timeout: 10 * time.Second}
	dg.Identify.Intents = discordgo.IntentsGuilds
	dg.LogLevel = -1 // discordgo logs expected failures (dropped connections) at LogError
	return dg
}

// openSession opens a session and closes it before the fake shuts down.
// discordgo's Close sleeps a second, which is why these tests run in
// parallel.
func openSession(t *testing.T, srv *Server, setup func(*discordgo.Session)) *discordgo.Session {
	t.Helper()
	dg := newSession(t, srv, srv.Options().Token)
	if setup != nil {
		setup(dg)
	}
	if err := dg.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { dg.Close() })
	return dg
}

// testCtx bounds every wait of a test.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// recorder is a testing.TB that keeps Errorf calls instead of failing, so
// tests can check what the fake flags. Everything else goes to the real
// test.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Error(args ...any) { r.Errorf("%s", fmt.Sprint(args...)) }

func (r *recorder) Helper() {}

func (r *recorder) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

// hasError reports whether some recorded error contains every part.
func (r *recorder) hasError(parts ...string) bool {
	for _, e := range r.errors() {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(e, p)
		}
		if all {
			return true
		}
	}
	return false
}

// noMentions is the allowed_mentions every pulsebot message carries.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// send delivers v to ch unless the test is over; discordgo handlers run on
// their own goroutines and may outlive a failed test.
func send[T any](t *testing.T, ch chan<- T, v T) {
	select {
	case ch <- v:
	case <-t.Context().Done():
	}
}

func recv[T any](t *testing.T, ctx context.Context, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		t.Fatalf("waiting for %s: %v", what, ctx.Err())
		panic("unreachable")
	}
}
