package cluster

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// t0 is the reference time of the hand-written cases.
var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// background is a day of unrelated headlines (written for these tests) so
// that the IDF of the index looks like a news day: "bitcoin" and "crypto"
// common, names rare.
var background = []string{
	"Bitcoin price holds steady as traders await Fed decision",
	"Ethereum developers schedule next hard fork for spring",
	"Crypto market sheds $80 billion in a day",
	"Solana memecoin volumes hit monthly high",
	"Kraken expands derivatives offering in Europe",
	"Bitcoin miners sell more coins as hashprice falls",
	"Polygon unveils new staking rewards program",
	"Stablecoin supply climbs to record as demand grows",
	"Coinbase adds support for three new tokens",
	"XRP whales move 200 million tokens to exchanges",
	"Analysts say bitcoin could retest support this week",
	"DeFi lending protocol raises $20 million seed round",
	"Tether mints another $1 billion USDT on Tron",
	"Bitcoin ETF sees record trading volume",
	"SEC delays decision on Litecoin ETF application",
	"Hong Kong grants licence to two more crypto exchanges",
	"Ethereum gas fees fall to lowest level this year",
	"Binance opens new launchpool for gaming token",
	"Crypto fund outflows continue for third week",
	"Cardano founder teases major governance update",
	"Dogecoin rallies 12% as meme coins rebound",
	"NFT sales drop to two-year low",
	"Arbitrum DAO votes on treasury diversification plan",
	"Bitcoin hashrate reaches new all-time high",
	"Circle expands USDC to two new blockchains",
}

// newTestIndex returns an index holding the background headlines, each its
// own story with ids from 1000 up, spread over the day before t0.
func newTestIndex(tb testing.TB, opts Options) *Index {
	tb.Helper()
	ix := NewIndex(opts)
	for i, title := range background {
		ix.Add(Doc{
			ID: int64(1000 + i), Title: title,
			Outlet:    fmt.Sprintf("outlet%d.com", i%5),
			Published: t0.Add(-time.Duration(i) * time.Hour),
		}, int64(1000+i))
	}
	return ix
}

func TestMatchJoinsRewordedEvent(t *testing.T) {
	tests := []struct {
		name string
		a, b Doc
	}{
		{
			name: "issuers freeze wallet / exploiter funds frozen",
			a:    Doc{Title: "Circle, Tether freeze wallet tied to Bitget hack"},
			b:    Doc{Title: "Bitget exploiter's funds frozen by stablecoin issuers"},
		},
		{
			name: "exploit amount in two spellings",
			a:    Doc{Title: "Acme Exchange halts withdrawals after $12.5 million exploit"},
			b:    Doc{Title: "Hackers drain $12.5M from Acme Exchange hot wallet"},
		},
		{
			name: "approval with ticker and long form",
			a:    Doc{Title: "SEC approves first spot Solana ETFs"},
			b:    Doc{Title: "Spot SOL exchange-traded funds win SEC approval"},
		},
		{
			name: "bank target lifted / raised",
			a:    Doc{Title: "Foobank lifts 12-month bitcoin target to $150K"},
			b:    Doc{Title: "Foobank raises its BTC forecast to $150,000"},
		},
		{
			name: "funding round from both sides",
			a:    Doc{Title: "Zeta Labs raises $30 million Series B led by Paradigm"},
			b:    Doc{Title: "Paradigm leads $30M round in blockchain startup Zeta Labs"},
		},
		{
			name: "summary carries the shared name",
			a: Doc{Title: "Gold-backed token goes live on Avalanche",
				Summary: "Vaultgold (VGLD), redeemable for one gram of bullion, started trading on Avalanche on Tuesday."},
			b: Doc{Title: "Vaultgold debuts VGLD stablecoin",
				Summary: "The token, backed by gold held in Zurich, is now live on the Avalanche network."},
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := newTestIndex(t, DefaultOptions())
			a, b := tt.a, tt.b
			a.ID, a.Outlet, a.Published = int64(2*i+1), "first.com", t0
			b.ID, b.Outlet, b.Published = int64(2*i+2), "second.com", t0.Add(3*time.Hour)
			ix.Add(a, 1)
			story, score, ok := ix.Match(b)
			if !ok || story != 1 {
				t.Errorf("Match(%q) = story %d, score %.3f, ok %v; want story 1 (%q)", b.Title, story, score, ok, a.Title)
			}
		})
	}
}

func TestMatchKeepsDifferentEventsApart(t *testing.T) {
	tests := []struct {
		name string
		a, b Doc
		gap  time.Duration
	}{
		{
			name: "inflow streak extends / streak ends",
			a:    Doc{Title: "Bitcoin ETF inflow streak extends to 9 days"},
			b:    Doc{Title: "Bitcoin ETF inflow streak ends after 9 days as $150 million leaves"},
			gap:  20 * time.Hour,
		},
		{
			name: "same name, different things",
			a:    Doc{Title: "Gemini exchange wins New York trust charter"},
			b:    Doc{Title: "Google's Gemini 3 model tops AI coding benchmarks"},
			gap:  2 * time.Hour,
		},
		{
			name: "one shared amount is a coincidence",
			a:    Doc{Title: "Brazil taps XRP Ledger for $4 trillion bond market"},
			b:    Doc{Title: "Fund manager says bitcoin will upend $4 trillion private equity"},
			gap:  5 * time.Hour,
		},
		{
			name: "escrow unlock / relock",
			a:    Doc{Title: "Ripple unlocks 1 billion XRP from escrow"},
			b:    Doc{Title: "Ripple relocks 800 million XRP into escrow"},
			gap:  4 * time.Hour,
		},
		{
			name: "token count is not a dollar amount",
			a:    Doc{Title: "Ripple unlocks 1 billion XRP from escrow"},
			b:    Doc{Title: "XRP treasury firm raises $1 billion ahead of listing"},
			gap:  4 * time.Hour,
		},
		{
			name: "same price move words on another day",
			a:    Doc{Title: "Bitcoin surges above $85,000 on cooler inflation"},
			b:    Doc{Title: "Bitcoin surges above $85,000 after payrolls miss"},
			gap:  48 * time.Hour,
		},
		{
			name: "price analyses on consecutive days",
			a:    Doc{Title: "Bitcoin price analysis: BTC eyes $70K resistance"},
			b:    Doc{Title: "Bitcoin price analysis: bulls target $70K resistance"},
			gap:  24 * time.Hour,
		},
		{
			name: "digest leading with the event",
			a:    Doc{Title: "SEC approves first spot Solana ETFs"},
			b:    Doc{Title: "Morning briefing: SEC approves Solana ETFs, Kraken expands, NFT sales slump"},
			gap:  time.Hour,
		},
		{
			name: "speculation about the event",
			a:    Doc{Title: "SEC approves first spot Solana ETFs"},
			b:    Doc{Title: "Will spot Solana ETFs push SOL to $300?"},
			gap:  time.Hour,
		},
		{
			name: "hire / resignation at the same firm",
			a:    Doc{Title: "Acme Bank hires former SEC official as general counsel"},
			b:    Doc{Title: "Acme Bank general counsel resigns"},
			gap:  30 * time.Hour,
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := newTestIndex(t, DefaultOptions())
			a, b := tt.a, tt.b
			a.ID, a.Outlet, a.Published = int64(2*i+1), "first.com", t0
			b.ID, b.Outlet, b.Published = int64(2*i+2), "second.com", t0.Add(tt.gap)
			ix.Add(a, 1)
			if story, score, ok := ix.Match(b); ok && story == 1 {
				t.Errorf("Match(%q) joined story 1 (%q) with score %.3f; want a new story", b.Title, a.Title, score)
			}
		})
	}
}

func TestMatchWindow(t *testing.T) {
	a := Doc{ID: 1, Title: "Acme Exchange halts withdrawals after $12.5 million exploit", Outlet: "first.com", Published: t0}
	b := Doc{ID: 2, Title: "Hackers drain $12.5M from Acme Exchange hot wallet", Outlet: "second.com"}
	tests := []struct {
		name   string
		window time.Duration
		gap    time.Duration
		want   bool
	}{
		{"inside the default window", 0, 71 * time.Hour, true},
		{"outside the default window", 0, 73 * time.Hour, false},
		{"before, inside", 0, -71 * time.Hour, true},
		{"before, outside", 0, -73 * time.Hour, false},
		{"inside a 24h window", 24 * time.Hour, 23 * time.Hour, true},
		{"outside a 24h window", 24 * time.Hour, 25 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := newTestIndex(t, Options{Window: tt.window})
			ix.Add(a, 1)
			q := b
			q.Published = t0.Add(tt.gap)
			story, _, ok := ix.Match(q)
			if got := ok && story == 1; got != tt.want {
				t.Errorf("joined = %v, want %v (gap %v)", got, tt.want, tt.gap)
			}
		})
	}
}

func TestMatchTemplatedReleases(t *testing.T) {
	companies := []string{"Acme Corp (ACME)", "Globex Inc (GBX)", "Initrode Holdings (INRD)",
		"Umbrella Bio (UMBR)", "Soylent Foods (SOYF)", "Hooli Mining (HOOL)"}
	release := func(company string) string {
		return "Investor Notice: Brightline Law Reminds Shareholders of March 3 Deadline in Class Action Against " + company
	}
	for _, tt := range []struct {
		name    string
		outlets []string
	}{
		{"one wire", []string{"wire1.com"}},
		{"two wires", []string{"wire1.com", "wire1.com", "wire2.com"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ix := newTestIndex(t, DefaultOptions())
			for i, c := range companies {
				d := Doc{ID: int64(i + 1), Title: release(c), Outlet: tt.outlets[i%len(tt.outlets)],
					Published: t0.Add(time.Duration(i) * time.Minute)}
				if story, score, ok := ix.Match(d); ok {
					t.Errorf("release about %s joined story %d (score %.3f); want a new story", c, story, score)
				}
				ix.Add(d, int64(i+1))
			}
			// The same release about the same company on another wire is the same event.
			d := Doc{ID: 100, Title: release(companies[2]), Outlet: "wire3.com", Published: t0.Add(time.Hour)}
			if story, score, ok := ix.Match(d); !ok || story != 3 {
				t.Errorf("re-issue about %s: story %d, score %.3f, ok %v; want story 3", companies[2], story, score, ok)
			}
		})
	}
}

func TestMatchSameOutlet(t *testing.T) {
	a := Doc{ID: 1, Title: "Acme Exchange halts withdrawals after $12.5 million exploit", Outlet: "first.com", Published: t0}
	tests := []struct {
		name  string
		title string
		want  bool
	}{
		{"repost of the headline", "Acme Exchange halts withdrawals after $12.5 million exploit", true},
		{"headline with an update tag", "UPDATE: Acme Exchange halts withdrawals after $12.5 million exploit", true},
		{"rewrite by the same outlet", "Hackers drain $12.5M from Acme Exchange hot wallet", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := newTestIndex(t, DefaultOptions())
			ix.Add(a, 1)
			story, score, ok := ix.Match(Doc{ID: 2, Title: tt.title, Outlet: "www.First.com", Published: t0.Add(time.Hour)})
			if got := ok && story == 1; got != tt.want {
				t.Errorf("joined = %v (score %.3f), want %v", got, score, tt.want)
			}
		})
	}
}

func TestMatchCommentaryNeverJoinsNorIsJoined(t *testing.T) {
	ix := newTestIndex(t, DefaultOptions())
	digest := Doc{ID: 1, Title: "Morning briefing: SEC approves Solana ETFs, Kraken expands, NFT sales slump",
		Outlet: "first.com", Published: t0}
	if _, _, ok := ix.Match(digest); ok {
		t.Errorf("a digest matched a story")
	}
	ix.Add(digest, 1)
	story, _, ok := ix.Match(Doc{ID: 2, Title: "SEC approves first spot Solana ETFs", Outlet: "second.com", Published: t0.Add(time.Hour)})
	if ok && story == 1 {
		t.Errorf("an event joined the digest's story")
	}
}

func TestAddIgnoresDuplicateID(t *testing.T) {
	ix := NewIndex(DefaultOptions())
	d := Doc{ID: 7, Title: "Acme Exchange halts withdrawals after $12.5 million exploit", Outlet: "first.com", Published: t0}
	ix.Add(d, 1)
	ix.Add(d, 2)
	if got := ix.Len(); got != 1 {
		t.Fatalf("Len() = %d after adding one ID twice, want 1", got)
	}
	if story, _, ok := ix.Match(Doc{ID: 8, Title: d.Title, Outlet: "second.com", Published: t0}); !ok || story != 1 {
		t.Errorf("Match = story %d, ok %v; want the first story (1)", story, ok)
	}
}

func TestMatchEmptyIndex(t *testing.T) {
	ix := NewIndex(Options{})
	if _, _, ok := ix.Match(Doc{ID: 1, Title: "Bitcoin hashrate reaches new all-time high", Published: t0}); ok {
		t.Errorf("Match on an empty index returned ok")
	}
	if _, _, ok := ix.Match(Doc{ID: 2, Published: t0}); ok {
		t.Errorf("Match of an empty document returned ok")
	}
}

// TestConcurrentUse runs Match and Add from several goroutines; run with
// -race it checks the locking.
func TestConcurrentUse(t *testing.T) {
	ix := newTestIndex(t, DefaultOptions())
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				d := Doc{ID: int64(g*100 + i), Title: background[(g+i)%len(background)] + " update",
					Outlet: fmt.Sprintf("g%d.com", g), Published: t0.Add(time.Duration(i) * time.Minute)}
				story, _, ok := ix.Match(d)
				if !ok {
					story = d.ID
				}
				ix.Add(d, story)
			}
		}()
	}
	wg.Wait()
	if got, want := ix.Len(), len(background)+4*50; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
}

func TestNewIndexDefaults(t *testing.T) {
	if got, want := NewIndex(Options{}).opts, DefaultOptions(); got != want {
		t.Errorf("NewIndex(Options{}) options = %+v, want the defaults %+v", got, want)
	}
	got := NewIndex(Options{Window: time.Hour, SummaryWeight: -1}).opts
	if got.Window != time.Hour || got.SummaryWeight != 0 || got.Threshold != DefaultOptions().Threshold {
		t.Errorf("NewIndex kept %+v; want Window 1h, summaries off, other fields default", got)
	}
}
