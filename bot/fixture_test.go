package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/jobs/ingest/safehttp"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

// demoNow is inside the demo feeds' week (2026-11-19..26).
var demoNow = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

// handlerFixture is a Bot over a real store at a fixed clock, and the
// shell's pretend server to type commands into.
type handlerFixture struct {
	st    *store.Store
	bot   *Bot
	clock *storetest.Clock
	srv   *shellServer
}

func newHandlerFixture(t testing.TB) *handlerFixture {
	t.Helper()
	st := storetest.Open(t)
	clock := storetest.NewClock(demoNow)
	st.Now = clock.Now
	b := New(st, &pulsejob.Service{Store: st, Now: clock.Now, Log: slog.New(slog.DiscardHandler)}, slog.New(slog.DiscardHandler))
	b.Now = clock.Now
	return &handlerFixture{st: st, bot: b, clock: clock, srv: newShellServer()}
}

// interaction builds what Discord would send for a command line, as the
// fixture's current member (f.srv.perms, f.srv.dm).
func (f *handlerFixture) interaction(t testing.TB, line string) *Interaction {
	t.Helper()
	di, err := f.srv.parseShellLine(line, Commands())
	if err != nil {
		t.Fatalf("parse %q: %v", line, err)
	}
	// Round-trip through JSON, as a transport receives it.
	raw, err := json.Marshal(di)
	if err != nil {
		t.Fatal(err)
	}
	var back discordgo.Interaction
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	in, err := FromDiscord(&back)
	if err != nil {
		t.Fatalf("FromDiscord(%q): %v", line, err)
	}
	return in
}

// do runs a command line and returns the reply.
func (f *handlerFixture) do(t testing.TB, line string) Reply {
	t.Helper()
	return f.bot.Handle(context.Background(), f.interaction(t, line))
}

// ingestDemo fills the store from testdata/demo.feeds with the real ingest
// job and stores the demo week's pulses, at demoNow.
func (f *handlerFixture) ingestDemo(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	client, err := safehttp.New(safehttp.Options{AllowFiles: true, UserAgent: "t"})
	if err != nil {
		t.Fatal(err)
	}
	var specs []store.SourceSpec
	for _, name := range []string{"cl.xml", "bw.atom", "sd.json", "dd.xml"} {
		abs, err := filepath.Abs(filepath.Join("..", "testdata", "demo", name))
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, store.SourceSpec{URL: (&url.URL{Scheme: "file", Path: abs}).String(), Name: name})
	}
	if err := f.st.SyncSources(ctx, specs); err != nil {
		t.Fatal(err)
	}
	ing := &jobs.Ingester{Store: f.st, Client: client, Now: f.clock.Now, Log: slog.New(slog.DiscardHandler)}
	if _, err := ing.Run(ctx, jobs.RunOptions{Force: true}); err != nil {
		t.Fatalf("ingest demo: %v", err)
	}
	if _, err := f.bot.Pulses.Backfill(ctx, time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), demoNow, false); err != nil {
		t.Fatalf("backfill: %v", err)
	}
}

// count counts rows of a table, to check what a command changed.
func count(t testing.TB, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
