package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

// Acceptance 6: handler latency on a store the size of two years of
// news. Run with
//
//	go test ./bot -run '^$' -bench 'Handlers|PulseChart' -benchtime 1000x
//
// so each handler sub-benchmark makes 1,000 calls; each reports the p50 and
// p99 latency of its calls. "help" (no store access) is the reference.
// The database is generated once and cached in the temp dir under a name
// that changes with the generator (benchDataVersion); go test without
// -bench never builds it.

const (
	benchDataVersion = "v1"
	benchStories     = 100_000
	benchDays        = 730
)

// benchNow is the benchmark store's "now": the last day of its data.
var benchNow = time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)

// benchScopes have stored daily pulses besides global.
var benchScopes = []string{"BTC", "ETH", "SOL", "XRP"}

// benchStore opens the cached benchmark database, building it first if
// needed, with the timer stopped.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	path := filepath.Join(os.TempDir(), "pulsebot-bench-"+benchDataVersion+"-"+schemaHash(b)+".db")
	if _, err := os.Stat(path); err != nil {
		start := time.Now()
		tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
		if err := buildBenchDB(tmp); err != nil {
			os.Remove(tmp)
			b.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %s in %v", path, time.Since(start).Round(time.Millisecond))
	}
	st := storetest.OpenPath(b, path)
	st.Now = func() time.Time { return benchNow }
	return st
}

// benchCoins are the coins stories mention, most often first.
var benchCoins = []string{"BTC", "BTC", "BTC", "ETH", "ETH", "SOL", "XRP", "DOGE", "ADA", "LINK"}

// buildBenchDB writes 100,000 stories spread over two years (about 137 a
// day, 5% off-topic) and the daily pulses of global and benchScopes,
// computed by jobs/pulse from those stories, in one transaction.
func buildBenchDB(path string) error {
	ctx := context.Background()
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	first := time.Date(benchNow.Year(), benchNow.Month(), benchNow.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -(benchDays - 1))
	topics := []string{"regulation", "legal", "etf", "security", "mining", "macro", "markets", "adoption", "defi", "stablecoins", "funding"}
	words := strings.Fields("bitcoin ether rallies slides exchange regulator approves fund inflows hack protocol upgrade miners treasury stablecoin lawsuit record token launch")
	byDay := make([][]pulse.Story, benchDays)
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO stories (headline, url, first_published, day, outlets, weight, coins, topics,
		off_topic, backlog, sentiment, sentiment_label, sentiment_confidence, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for i := 0; i < benchStories; i++ {
		d := i * benchDays / benchStories
		day := first.AddDate(0, 0, d)
		at := day.Add(time.Duration(rng.IntN(86400)) * time.Second)
		if d == benchDays-1 && at.After(benchNow) {
			at = benchNow.Add(-time.Duration(rng.IntN(15*3600)) * time.Second)
		}
		var hl []string
		for range 8 + rng.IntN(6) {
			hl = append(hl, words[rng.IntN(len(words))])
		}
		var coins []string
		for range rng.IntN(3) {
			if c := benchCoins[rng.IntN(len(benchCoins))]; !slices.Contains(coins, c) {
				coins = append(coins, c)
			}
		}
		tps := []string{topics[rng.IntN(len(topics))]}
		outlets := 1 + int(rng.ExpFloat64()*1.5)
		score := max(-1, min(1, rng.NormFloat64()*0.4))
		label := "neutral"
		if score > 0.25 {
			label = "bullish"
		} else if score < -0.25 {
			label = "bearish"
		}
		conf := 0.5 + rng.Float64()/2
		off := rng.IntN(20) == 0
		id := int64(i + 1)
		headline := strings.Join(hl, " ")
		url := fmt.Sprintf("https://news%d.example/%d/%s", rng.IntN(30), id, strings.Join(hl[:4], "-"))
		if _, err := ins.ExecContext(ctx, headline, url, at.Unix(), day.Format(time.DateOnly), outlets, float64(outlets)*0.9,
			tagList(coins), tagList(tps), boolInt(off), score, label, conf, at.Unix()); err != nil {
			return err
		}
		if !off {
			byDay[d] = append(byDay[d], pulse.Story{ID: id, Headline: headline, URL: url, Outlets: outlets, Sentiment: score,
				Label: label, Confidence: conf, FirstPublished: at, Coins: coins, Topics: tps})
		}
	}
	pins, err := tx.PrepareContext(ctx, `INSERT INTO pulses (scope, day, score, band, confidence, stories, volume, balance, data, final, computed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer pins.Close()
	for _, scope := range append([]string{pulse.GlobalScope}, benchScopes...) {
		var hist []pulse.Day
		for d := 0; d < benchDays; d++ {
			day := first.AddDate(0, 0, d)
			in := pulse.Input{Scope: scope, Date: day, History: hist}
			for _, s := range byDay[d] {
				if scope == pulse.GlobalScope || slices.Contains(s.Coins, scope) {
					in.Stories = append(in.Stories, s)
				}
			}
			p := pulse.Compute(in)
			data, err := json.Marshal(p)
			if err != nil {
				return err
			}
			final := d < benchDays-1 // today's pulse is live
			if _, err := pins.ExecContext(ctx, scope, day.Format(time.DateOnly), p.Score, p.Band, p.Confidence, p.Stories,
				p.Volume, p.Balance, string(data), boolInt(final), benchNow.Unix()); err != nil {
				return err
			}
			hist = append(hist, pulse.Day{Date: day, Score: p.Score, Stories: p.Stories, Volume: p.Volume, Balance: p.Balance})
			if len(hist) > pulsejob.HistoryDays {
				hist = hist[1:]
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return nil
}

// schemaHash names the cached database after the migrations it was built
// with: a new index or column means a new database.
func schemaHash(b *testing.B) string {
	files, err := filepath.Glob(filepath.Join("..", "store", "migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no migrations in ../store/migrations: %v", err)
	}
	h := sha256.New()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func tagList(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return " " + strings.Join(tags, " ") + " "
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// benchLines are the command lines a benchmark cycles through: a mix of
// what people ask, including the slow paths (today's live pulse, a coin
// without stored pulses, a rare coin with no story in 24 hours).
func benchLines(rng *rand.Rand, kind string) []string {
	var out []string
	for i := 0; i < 100; i++ {
		past := benchNow.AddDate(0, 0, -1-rng.IntN(benchDays-2)).Format(time.DateOnly)
		switch kind {
		case "pulse":
			out = append(out, []string{
				"/pulse", "/pulse", "/pulse coin:BTC", "/pulse coin:ETH",
				"/pulse date:" + past, "/pulse coin:SOL date:" + past, "/pulse coin:XRP date:" + past,
				"/pulse coin:DOGE", "/pulse coin:ADA date:" + past, "/pulse date:yesterday",
			}[i%10])
		case "stories":
			out = append(out, []string{
				"/stories", "/stories", "/stories limit:10", "/stories coin:BTC", "/stories coin:ETH limit:3",
				"/stories topic:etf", "/stories coin:SOL topic:markets", "/stories coin:LINK",
				"/stories coin:LINK topic:mining", "/stories coin:DOGE topic:defi limit:10",
			}[i%10])
		default:
			out = append(out, "/help")
		}
	}
	return out
}

// BenchmarkHandlers times /pulse (without its chart) and /stories through
// Handle on the two-year store, and /help as the reference.
func BenchmarkHandlers(b *testing.B) {
	st := benchStore(b)
	bot := New(st, &pulsejob.Service{Store: st, Now: func() time.Time { return benchNow }, Log: slog.New(slog.DiscardHandler)}, slog.New(slog.DiscardHandler))
	bot.Now = func() time.Time { return benchNow }
	bot.noChart = true
	f := &handlerFixture{st: st, bot: bot, srv: newShellServer()}
	ctx := context.Background()
	for _, kind := range []string{"help", "pulse", "stories"} {
		b.Run(kind, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(3, 4))
			var ins []*Interaction
			for _, line := range benchLines(rng, kind) {
				in := f.interaction(b, line)
				// Every call does real work: an answer, not an error.
				if rep := bot.Handle(ctx, in); len(rep.Embeds) == 0 {
					b.Fatalf("%s: %+v", line, rep)
				}
				ins = append(ins, in)
			}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				bot.Handle(ctx, ins[i%len(ins)])
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(lat)
			pct := func(p float64) float64 {
				return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
		})
	}
}

// BenchmarkPulseChart times the 30-day chart /pulse attaches, which the
// transports defer.
func BenchmarkPulseChart(b *testing.B) {
	st := benchStore(b)
	svc := &pulsejob.Service{Store: st, Now: func() time.Time { return benchNow }}
	ctx := context.Background()
	res, err := svc.Get(ctx, pulse.GlobalScope, benchNow)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Chart(ctx, res); err != nil {
			b.Fatal(err)
		}
	}
}
