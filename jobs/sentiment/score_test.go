package sentiment_test

import (
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/pulsebot/pulsebot/jobs/sentiment"
)

// The headlines below were written for this test (they are not in
// testdata/own_headlines.tsv, which the model is trained on). term, when
// set, must be among the result's terms with the sign of the label
// (positive for bullish, negative for bearish).
var scoreCases = []struct {
	name  string
	title string
	want  sentiment.Label
	term  string
	// known marks a case the current model gets wrong; it is logged, not
	// failed, so the table documents the misses instead of hiding them.
	known bool
}{
	// negation
	{"negated approval is bearish", "SEC says spot Solana ETF not approved", sentiment.Bearish, "not approved", false},
	{"fails to reclaim a level is bearish", "Bitcoin fails to reclaim $65,000 after weekend bounce", sentiment.Bearish, "", false},
	{"no longer supported is bearish", "Wallet app no longer supports Dogecoin transfers", sentiment.Bearish, "", false},
	{"denial of a hack is not bearish", "Bybit denies hack, says all systems operate normally", sentiment.Neutral, "", false},
	{"not a security is bullish", "Judge finds token is not a security", sentiment.Bullish, "", false},
	{"ban lifted is bullish", "Vietnam lifts ban on crypto trading", sentiment.Bullish, "", false},
	{"stopping short of a ban is not a ban", "Regulators stop short of banning stablecoins", sentiment.Neutral, "", false},
	{"an acquittal is good news", "Exchange founder acquitted of fraud charges", sentiment.Bullish, "", false},
	// questions and hedges
	{"a question about a crash is not a crash", "Will BTC crash?", sentiment.Neutral, "", false},
	{"a question about a rally is not a rally", "Is an altcoin season coming?", sentiment.Neutral, "", false},
	{"question on ETF odds", "Will the SEC approve a Cardano ETF this year?", sentiment.Neutral, "", false},
	{"hedged crash call is still a bearish warning", "Ether could plunge to $1,500, trader warns", sentiment.Bearish, "", false},
	{"hedged rally call", "Analysts say bitcoin could rally to $120,000", sentiment.Bullish, "", false},
	// numbers with direction
	{"falls with a percentage", "Bitcoin falls 8% as risk assets sell off", sentiment.Bearish, "falls 8%", false},
	{"jumps with a percentage", "Avalanche jumps 12% on subnet news", sentiment.Bullish, "jumps 12%", false},
	{"down with a percentage", "Polkadot down 3% in Asian trading", sentiment.Bearish, "down 3%", false},
	{"explicit plus sign", "LINK +5% after staking upgrade", sentiment.Bullish, "+5%", false},
	{"explicit minus sign", "SOL -20% in a week", sentiment.Bearish, "-20%", false},
	{"percentage after the number", "Bitcoin trades 9% higher than a week ago", sentiment.Bullish, "", false},
	{"percent spelled out", "Ether slides 11 percent as ETF hopes fade", sentiment.Bearish, "", false},
	// market phrases, bullish
	{"ETF approval", "Bitcoin rallies on ETF approval", sentiment.Bullish, "", false},
	{"inflows", "Solana funds log record weekly inflows", sentiment.Bullish, "inflows", false},
	{"all-time high", "Ether sets new all-time high above $5,000", sentiment.Bullish, "all-time high", false},
	{"record high", "Bitcoin hash rate climbs to record high", sentiment.Bullish, "", false},
	{"adoption", "Argentina retailers drive bitcoin adoption as peso weakens", sentiment.Bullish, "", false},
	{"partnership", "Chainlink announces partnership with Deutsche Börse", sentiment.Bullish, "", false},
	{"upgrade", "Ethereum upgrade cuts layer 2 fees", sentiment.Bullish, "", false},
	{"listing", "Coinbase announces listing of Jupiter token", sentiment.Bullish, "", false},
	{"resumed withdrawals", "Exchange resumes withdrawals after maintenance", sentiment.Bullish, "", false},
	{"short squeeze", "Short squeeze lifts bitcoin above $90,000", sentiment.Bullish, "", false},
	// market phrases, bearish
	{"hack", "Exchange hack: attackers take $40 million in tokens", sentiment.Bearish, "", false},
	{"exploit", "Lending protocol exploit drains $12 million", sentiment.Bearish, "", false},
	{"liquidations", "Bitcoin slides as $600 million in long liquidations hit", sentiment.Bearish, "", false},
	{"outflows", "Bitcoin ETFs bleed as outflows top $1 billion", sentiment.Bearish, "outflows", false},
	{"delisting", "Exchange announces delisting of three privacy tokens", sentiment.Bearish, "", false},
	{"SEC sues", "SEC sues crypto lender over unregistered offering", sentiment.Bearish, "", false},
	{"ban", "Country announces ban on crypto mining", sentiment.Bearish, "ban", false},
	{"lawsuit", "Investors file lawsuit against NFT marketplace", sentiment.Bearish, "lawsuit", false},
	{"crash", "Crypto crash erases $150 billion in a day", sentiment.Bearish, "", false},
	{"plunge", "Memecoin plunge leaves traders nursing losses", sentiment.Bearish, "", false},
	{"scam", "Police warn of crypto investment scam targeting retirees", sentiment.Bearish, "", false},
	{"fraud", "Token founder charged with fraud", sentiment.Bearish, "", false},
	{"bankruptcy", "Bitcoin miner files for bankruptcy", sentiment.Bearish, "bankruptcy", false},
	{"insolvent", "Crypto lender declared insolvent by court", sentiment.Bearish, "", false},
	{"layoffs", "NFT platform announces layoffs of 30% of staff", sentiment.Bearish, "layoffs", false},
	{"depeg", "Algorithmic stablecoin depegs, falling to 60 cents", sentiment.Bearish, "", false},
	{"halted withdrawals", "Crypto exchange halts withdrawals citing liquidity issues", sentiment.Bearish, "", false},
	// neutral news
	{"earnings date", "Coinbase to publish Q3 results on Thursday", sentiment.Neutral, "", false},
	{"conference", "Bitcoin developers gather in Lisbon for annual conference", sentiment.Neutral, "", false},
	{"explainer", "What is restaking? A guide for beginners", sentiment.Neutral, "", false},
	{"appointment", "Exchange appoints new chief technology officer", sentiment.Neutral, "", false},
	{"flat market", "Bitcoin trades sideways near $58,000", sentiment.Neutral, "", false},
	{"scheduled vote", "Uniswap governance vote scheduled for Monday", sentiment.Neutral, "", false},
	{"options expiry", "Ether options worth $2 billion expire on Friday", sentiment.Neutral, "", false},
	// mixed
	{"rise despite a hack", "Bitcoin rises despite hack at Asian exchange", sentiment.Bullish, "", false},
	{"fall despite inflows", "Ether falls despite strong ETF inflows", sentiment.Bearish, "", false},
	{"recovery after a crash", "Bitcoin recovers after flash crash to $50,000", sentiment.Bullish, "", false},
	{"funds returned after an exploit", "Hacker returns $10 million to exploited DeFi protocol", sentiment.Bullish, "", false},
	{"small move is not news", "Bitcoin edges 0.3% lower in quiet trading", sentiment.Neutral, "", false},
	// costs, framing and names
	{"a cost cut is good news", "Layer 2 network cuts fees by 80% after upgrade", sentiment.Bullish, "", false},
	{"falling losses are good news", "Miner's quarterly losses fall 40% as hashprice recovers", sentiment.Bullish, "", false},
	{"an explainer is not news", "What the ETF approval means for ether holders", sentiment.Neutral, "", false},
	{"a price analysis is not a move", "Solana price analysis: bulls and bears battle at $140", sentiment.Neutral, "", false},
	{"a project named Optimism is not optimism", "Exchange adds Optimism and Arbitrum deposits", sentiment.Bullish, "adds", false},
}

func TestScoreCases(t *testing.T) {
	m := sentiment.Default()
	for _, tc := range scoreCases {
		t.Run(tc.name, func(t *testing.T) {
			got := m.Score(tc.title, "")
			if got.Label != tc.want && tc.known {
				t.Logf("known miss: Score(%q).Label = %s (score %.2f, terms %v), want %s", tc.title, got.Label, got.Score, got.Terms, tc.want)
				return
			}
			if got.Label != tc.want {
				t.Errorf("Score(%q).Label = %s (score %.2f, terms %v), want %s", tc.title, got.Label, got.Score, got.Terms, tc.want)
			}
			if tc.term == "" {
				return
			}
			for _, term := range got.Terms {
				if term.Text == tc.term {
					if tc.want == sentiment.Bullish && term.Weight <= 0 || tc.want == sentiment.Bearish && term.Weight >= 0 {
						t.Errorf("term %q has weight %.3f, want the sign of %s", term.Text, term.Weight, tc.want)
					}
					return
				}
			}
			t.Errorf("Score(%q).Terms = %v, want a term %q", tc.title, got.Terms, tc.term)
		})
	}
}

func TestScoreResultShape(t *testing.T) {
	m := sentiment.Default()
	inputs := [][2]string{
		{"", ""},
		{"   ", ""},
		{"?!?", ""},
		{"Bitcoin", ""},
		{"", "Summary only: exchange hacked, funds stolen"},
		{"Ether jumps 12% after upgrade", "<p>The <b>upgrade</b> went live on Tuesday &amp; fees fell.</p>"},
		{strings.Repeat("bitcoin crash rally hack ", 200), strings.Repeat("inflows ", 500)},
		{"Ünïcödé 比特币 暴跌 — Bitcoin’s rally isn’t over", ""},
	}
	for _, in := range inputs {
		got := m.Score(in[0], in[1])
		if got.Score < -1 || got.Score > 1 || math.IsNaN(got.Score) {
			t.Errorf("Score(%.40q).Score = %v, want in [-1, 1]", in[0], got.Score)
		}
		if got.Confidence < 0 || got.Confidence > 1 || math.IsNaN(got.Confidence) {
			t.Errorf("Score(%.40q).Confidence = %v, want in [0, 1]", in[0], got.Confidence)
		}
		if len(got.Terms) > 5 {
			t.Errorf("Score(%.40q) has %d terms, want at most 5", in[0], len(got.Terms))
		}
		for i := 1; i < len(got.Terms); i++ {
			if math.Abs(got.Terms[i].Weight) > math.Abs(got.Terms[i-1].Weight) {
				t.Errorf("Score(%.40q).Terms not sorted by |weight|: %v", in[0], got.Terms)
			}
		}
		switch got.Label {
		case sentiment.Bullish, sentiment.Bearish, sentiment.Neutral:
		default:
			t.Errorf("Score(%.40q).Label = %q", in[0], got.Label)
		}
	}
	if got := m.Score("", ""); got.Label != sentiment.Neutral || got.Terms != nil {
		t.Errorf("Score of empty text = %+v, want neutral with no terms", got)
	}
}

func TestScoreSummaryCounts(t *testing.T) {
	m := sentiment.Default()
	title := "Exchange publishes update on wallet migration"
	plain := m.Score(title, "")
	bad := m.Score(title, "The exchange was hacked and user funds were stolen; withdrawals are halted.")
	if bad.Score >= plain.Score {
		t.Errorf("a bearish summary did not lower the score: %.3f with it, %.3f without", bad.Score, plain.Score)
	}
}

func TestScoreDeterministicAndConcurrent(t *testing.T) {
	m := sentiment.Default()
	titles := []string{"Bitcoin falls 8% after CPI", "SEC approves ether ETFs", "Coinbase to publish Q3 results on Thursday", "Will BTC crash?"}
	want := make([]sentiment.Result, len(titles))
	for i, h := range titles {
		want[i] = m.Score(h, "")
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(titles))
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				for i, h := range titles {
					got := sentiment.Default().Score(h, "")
					if got.Score != want[i].Score || len(got.Terms) != len(want[i].Terms) {
						errs <- h
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for h := range errs {
		t.Errorf("Score(%q) differed between calls", h)
	}
}

func TestVersion(t *testing.T) {
	v := sentiment.Default().Version()
	if !strings.HasPrefix(v, "s1-") || len(v) != len("s1-")+10 {
		t.Errorf("Version() = %q, want s1- and 10 hex digits", v)
	}
	if v2 := sentiment.Default().Version(); v2 != v {
		t.Errorf("Version() changed between calls: %q then %q", v, v2)
	}
	a, err := sentiment.Load([]byte("pulsebot-sentiment\tf6\nbias\t0\t0\t0\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sentiment.Load([]byte("pulsebot-sentiment\tf6\nbias\t0\t0.1\t0\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Version() == b.Version() {
		t.Errorf("models with different weights share version %q", a.Version())
	}
}

func TestLoadRejects(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"empty", ""},
		{"other feature version", "pulsebot-sentiment\tf0\nbias\t0\t0\t0\n"},
		{"not a model", "hello\n"},
		{"short line", "pulsebot-sentiment\tf6\nu:hack\t1\t2\n"},
		{"bad number", "pulsebot-sentiment\tf6\nu:hack\t1\tx\t2\n"},
		{"unknown dense feature", "pulsebot-sentiment\tf6\ndense:vibes\t1\t2\t3\n"},
		{"bad feature kind", "pulsebot-sentiment\tf6\nq:hack\t1\t2\t3\n"},
		{"bigram without a space", "pulsebot-sentiment\tf6\nb:hack\t1\t2\t3\n"},
		{"duplicate feature", "pulsebot-sentiment\tf6\nu:hack\t1\t2\t3\nu:hack\t1\t2\t3\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := sentiment.Load([]byte(tc.data)); err == nil {
				t.Errorf("Load(%q) succeeded, want an error", tc.data)
			}
		})
	}
}
