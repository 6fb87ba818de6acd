package bot

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/pulsebot/pulsebot/bot/discordtest"
	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/jobs/ingest/safehttp"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

// e2eNow is the tests' clock: the evening of the demo feeds' last day
// (news dated 2026-11-19 … 26), so "today" has stories and a pulse.
var e2eNow = time.Date(2026, 11, 26, 20, 0, 0, 0, time.UTC)

func e2eClock() time.Time { return e2eNow }

// Guilds of the fake: each transport works in a guild of its own, so the
// two runs of the command table don't see each other's alerts; the third
// is "another server".
const (
	guildGateway = "1300000000000000010"
	chanGateway  = "1300000000000000011"
	guildHTTP    = "1300000000000000020"
	chanHTTP     = "1300000000000000021"
	guildOther   = "1300000000000000030"
	chanOther    = "1300000000000000031"
	roleGateway  = "1300000000000000015"
	roleHTTP     = "1300000000000000025"
)

func e2eGuilds() []discordtest.Guild {
	return []discordtest.Guild{
		{ID: guildGateway, Name: "Gateway Guild", Channels: []discordtest.Channel{{ID: chanGateway, Name: "general"}, {ID: "1300000000000000012", Name: "alerts"}},
			Roles: []discordtest.Role{{ID: roleGateway, Name: "Traders"}}},
		{ID: guildHTTP, Name: "HTTP Guild", Channels: []discordtest.Channel{{ID: chanHTTP, Name: "general"}, {ID: "1300000000000000022", Name: "alerts"}},
			Roles: []discordtest.Role{{ID: roleHTTP, Name: "Traders"}}},
		{ID: guildOther, Name: "Other Guild", Channels: []discordtest.Channel{{ID: chanOther, Name: "general"}}},
	}
}

// e2eStore is a real SQLite store filled by the real ingest job from the
// repository's demo feeds (file:// URLs), with the clock at e2eNow.
func e2eStore(t testing.TB) (*store.Store, *pulsejob.Service) {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	st.Now = e2eClock
	files, err := filepath.Glob(filepath.Join("..", "testdata", "demo", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no demo feeds in ../testdata/demo (%v)", err)
	}
	specs := make([]store.SourceSpec, len(files))
	for i, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		specs[i] = store.SourceSpec{URL: "file://" + filepath.ToSlash(abs), Name: filepath.Base(f)}
	}
	if err := st.SyncSources(ctx, specs); err != nil {
		t.Fatal(err)
	}
	client, err := safehttp.New(safehttp.Options{AllowFiles: true, UserAgent: "t"})
	if err != nil {
		t.Fatal(err)
	}
	ing := &jobs.Ingester{Store: st, Client: client, Log: slog.New(slog.DiscardHandler), Now: e2eClock}
	if _, err := ing.Run(ctx, jobs.RunOptions{}); err != nil {
		t.Fatalf("ingest demo feeds: %v", err)
	}
	pulses := &pulsejob.Service{Store: st, Now: e2eClock, Log: slog.New(slog.DiscardHandler)}
	if err := pulses.Refresh(ctx); err != nil {
		t.Fatalf("refresh pulses: %v", err)
	}
	return st, pulses
}

// e2eBot is the Bot main would build: New over the store, the clock
// injected, its logger behind RedactHandler.
func e2eBot(t testing.TB, st *store.Store, pulses *pulsejob.Service, log slog.Handler, token string) *Bot {
	t.Helper()
	b := New(st, pulses, slog.New(RedactHandler(log, token)))
	b.Now = e2eClock
	return b
}

// logSink collects log output for assertions; safe for concurrent use.
type logSink struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	return s.buf.Write(p)
}

// waitFor blocks until the log holds substr at least n times.
func (s *logSink) waitFor(ctx context.Context, substr string, n int) error {
	for {
		s.mu.Lock()
		ok := strings.Count(s.buf.String(), substr) >= n
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d log lines with %q: %w", n, substr, ctx.Err())
		}
	}
}

func (s *logSink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func (s *logSink) handler() slog.Handler {
	return slog.NewJSONHandler(s, &slog.HandlerOptions{Level: slog.LevelDebug})
}

// running is one Serve in the background.
type running struct {
	srv      *discordtest.Server
	b        *Bot
	cfg      ServeConfig
	reg      *prometheus.Registry
	base     string // http://127.0.0.1:port, "" without an HTTP server
	endpoint string // base + /interactions
	logs     *logSink
	cancel   context.CancelFunc
	done     chan error
	stopOnce sync.Once
	err      error
}

// startServe runs Serve with cfg (DiscordURL pointed at the fake, a fresh
// registry, logs captured; an HTTP listener when listen is set) and waits
// until its transports are up. Cleanup stops it and fails the test if
// Serve returned an error; call stop to check that earlier.
func startServe(t *testing.T, srv *discordtest.Server, b *Bot, cfg ServeConfig, listen bool) *running {
	t.Helper()
	r := &running{srv: srv, b: b, reg: prometheus.NewRegistry(), logs: &logSink{}, done: make(chan error, 1)}
	if cfg.Log == nil {
		cfg.Log = slog.New(r.logs.handler())
	}
	cfg.DiscordURL = srv.URL()
	cfg.Registry = r.reg
	if listen {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Listener = ln
		r.base = "http://" + ln.Addr().String()
		r.endpoint = r.base + "/interactions"
	}
	up := make(chan struct{})
	cfg.onReady = func() { close(up) }
	r.cfg = cfg
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- Serve(ctx, b, cfg) }()
	t.Cleanup(func() {
		if err := r.stop(); err != nil {
			t.Errorf("Serve returned %v", err)
		}
		if t.Failed() && testing.Verbose() {
			t.Logf("Serve's log:\n%s", r.logs.String())
		}
	})
	wctx := testCtx(t)
	select {
	case <-up:
	case err := <-r.done:
		r.done <- err
		t.Fatalf("Serve returned before it was up: %v", err)
	case <-wctx.Done():
		t.Fatal("Serve did not come up")
	}
	return r
}

// stop cancels Serve's context and waits for it to return.
func (r *running) stop() error {
	r.stopOnce.Do(func() {
		r.cancel()
		r.err = <-r.done
	})
	return r.err
}

// testCtx bounds every wait of a test.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// answer is how an interaction was answered, whatever the transport.
type answer struct {
	cb       discordtest.Callback
	final    discordtest.Message // the reply the user sees: type-4 message, edit or follow-up
	deferred bool
	followup bool   // the deferral was replaced by an ephemeral follow-up
	token    string // the interaction token
}

// interact sends in over the given transport ("gateway" or "http") and
// waits for the complete answer.
func (r *running) interact(t *testing.T, ctx context.Context, transport string, in discordtest.Interaction) answer {
	t.Helper()
	var ex *discordtest.Exchange
	var err error
	switch transport {
	case "gateway":
		ex, err = r.srv.Interact(ctx, in)
	case "http":
		ex, err = r.srv.PostInteraction(ctx, r.endpoint, in)
	default:
		t.Fatalf("unknown transport %q", transport)
	}
	if err != nil {
		t.Fatalf("%s: %v", transport, err)
	}
	cb, err := ex.WaitCallback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{cb: cb, token: ex.Interaction.Token}
	switch cb.Type {
	case discordgo.InteractionResponseChannelMessageWithSource:
		a.final = *cb.Message
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		a.deferred = true
		err := r.srv.Until(ctx, func() bool { return len(ex.Edits()) > 0 || len(ex.Followups()) > 0 })
		if err != nil {
			t.Fatal(err)
		}
		if fs := ex.Followups(); len(fs) > 0 {
			a.final, a.followup = fs[0], true
		} else {
			a.final = ex.Edits()[0]
		}
	case discordgo.InteractionApplicationCommandAutocompleteResult:
	default:
		t.Fatalf("callback type %d", cb.Type)
	}
	return a
}

// text is everything a person reads in a message: content and embeds.
func (m answer) text() string {
	var b strings.Builder
	b.WriteString(m.final.Content)
	for _, e := range m.final.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + "\n" + f.Value)
		}
		if e.Footer != nil {
			b.WriteString("\n" + e.Footer.Text)
		}
	}
	return b.String()
}

// ephemeral reports whether only the asker sees the answer: an edit keeps
// the flags of the deferral it replaces.
func (m answer) ephemeral() bool {
	if m.deferred && !m.followup {
		return m.cb.Ephemeral()
	}
	return m.final.Ephemeral()
}

// get fetches a path of a running HTTP server.
func (r *running) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(r.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}
