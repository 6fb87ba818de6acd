package sentiment

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     string // stems / classes, "|" before a token after a clause boundary
		question bool
	}{
		{"stems verbs and plurals", "Hackers hacked exchanges", "|hacker hack exchang", false},
		{"possessive and n't", "Bitcoin's rally isn't over", "|bitcoin rally not over", false},
		{"curly apostrophe", "Bitcoin’s rally won’t stop", "|bitcoin rally not stop", false},
		{"numbers classes", "BTC +5% to $60k, ETH -20%", "|btc <pct> to <usd> |eth <pct>", false},
		{"percent spelled out", "Ether slides 11 percent", "|ether slid <pct>", false},
		{"cashtag", "$AAPL - Apple beats", "|<tkr> |appl beat", false},
		{"question mark", "Will BTC crash?", "|will btc crash", true},
		{"hyphen splits words, spaced dash splits clauses", "All-time high - again", "|all tim high |again", false},
		{"html tags skipped", "<b>Bitcoin</b> jumps", "|bitcoin |jump", false},
		{"dotted abbreviation", "U.S. regulators", "|us regulator", false},
		{"non-ascii kept", "Börse Stuttgart", "|börse stuttgart", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			toks, q := tokenize(nil, tc.in, 64)
			var parts []string
			for _, tok := range toks {
				s := classText(tok.kind)
				if tok.kind == kindWord {
					s = wordStem(tc.in[tok.start:tok.end])
				}
				if tok.brk {
					s = "|" + s
				}
				parts = append(parts, s)
			}
			if got := strings.Join(parts, " "); got != tc.want || q != tc.question {
				t.Errorf("tokenize(%q) = %q, question %v; want %q, %v", tc.in, got, q, tc.want, tc.question)
			}
		})
	}
}

// The trainer names features with wordStem and the scorer hashes tokens as
// it reads them; the two must agree on every word, or trained weights would
// silently never fire.
func TestWordStemMatchesTokenHash(t *testing.T) {
	f, err := os.Open("testdata/own_headlines.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	checked := 0
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "\t")
		toks, _ := tokenize(nil, line, maxTitleTokens)
		for _, tok := range toks {
			if tok.kind != kindWord {
				continue
			}
			stem := wordStem(line[tok.start:tok.end])
			if h := hashString(fnvOffset, stem); h != tok.h {
				t.Errorf("%q: token %q stems to %q whose hash differs from the token's", line, line[tok.start:tok.end], stem)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Errorf("checked only %d words", checked)
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	examples := []Example{
		{Title: "Exchange hacked, funds stolen", Label: Bearish, Source: "own"},
		{Title: "Bitcoin hits all-time high", Label: Bullish, Source: "own"},
		{Title: "Coinbase to publish results on Thursday", Label: Neutral, Source: "own"},
		{Title: "SEC sues exchange over unregistered offering", Label: Bearish, Source: "own"},
		{Title: "Bitcoin falls 8% as stocks slide", Label: Bearish, Source: "own"},
		{Title: "Ether jumps 12% after upgrade", Label: Bullish, Source: "own"},
		{Title: "Will BTC crash?", Label: Neutral, Source: "own"},
		{Title: "Exchange lists new token", Label: Bullish, Source: "own"},
	}
	cfg := DefaultTrainConfig()
	cfg.MinCount = 1
	a, _, err := Train(examples, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Train(examples, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Error("two trainings on the same data gave different model files")
	}
	m, err := Load(a)
	if err != nil {
		t.Fatalf("Load(Train(...)) = %v", err)
	}
	if got := m.Score("Exchange hacked again", ""); got.Label != Bearish {
		t.Errorf("tiny model scores %q as %s, want bearish", "Exchange hacked again", got.Label)
	}
}

func TestFeatures(t *testing.T) {
	sparse, dense := Features("SEC says ETF not approved", "")
	for _, name := range []string{"n:approv", "b:etf not", "u:sec"} {
		if _, ok := sparse[name]; !ok {
			t.Errorf("Features: no sparse feature %q in %v", name, sparse)
		}
	}
	if dense["negation"] != 1 || dense["lexneg"] <= 0 {
		t.Errorf("Features: dense = %v, want negation 1 and negative lexicon evidence", dense)
	}
}
