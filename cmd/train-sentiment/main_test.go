package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/jobs/sentiment"
)

func TestRunRejectsBadArguments(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"extra"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 2 {
			t.Errorf("run(%q) = %d, want 2 (stderr %q)", args, code, errb.String())
		}
	}
}

func TestRunListFeeds(t *testing.T) {
	shared := t.TempDir()
	feeds := filepath.Join(shared, "feeds")
	if err := os.MkdirAll(feeds, 0o755); err != nil {
		t.Fatal(err)
	}
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<item><title>Bitcoin &amp; ether jump</title><guid>g1</guid><description>&lt;p&gt;Prices rose.&lt;/p&gt;</description></item>
</channel></rss>`
	if err := os.WriteFile(filepath.Join(feeds, "x.xml"), []byte(rss), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-shared", shared, "-list-feeds"}, &out, &errb); code != 0 {
		t.Fatalf("run -list-feeds = %d, stderr %q", code, errb.String())
	}
	if got, want := strings.TrimSpace(out.String()), "x.xml\tg1\tBitcoin & ether jump\tPrices rose."; got != want {
		t.Errorf("-list-feeds printed %q, want %q", got, want)
	}
}

func TestRunTrainFailsWithoutData(t *testing.T) {
	var out, errb bytes.Buffer
	dir := t.TempDir()
	code := run(context.Background(), []string{"-shared", dir, "-own", dir, "-out", filepath.Join(dir, "m.tsv")}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "corpus:") {
		t.Errorf("run without data = %d, stderr %q; want 1 and a corpus error", code, errb.String())
	}
}

// TestShiftMatchesTrainedPrior checks that -select's after-the-fact prior
// shift gives the labels of a model trained with that prior: both add
// log(prior) − log(mix) to the logits.
func TestShiftMatchesTrainedPrior(t *testing.T) {
	var examples []sentiment.Example
	for i, h := range []struct {
		title string
		label sentiment.Label
	}{
		{"Exchange hacked, funds stolen", sentiment.Bearish},
		{"Token crashes after exploit", sentiment.Bearish},
		{"Bitcoin rallies to record high", sentiment.Bullish},
		{"Exchange lists new token", sentiment.Bullish},
		{"Partnership boosts token", sentiment.Bullish},
		{"Conference scheduled for May", sentiment.Neutral},
		{"Developers publish meeting notes", sentiment.Neutral},
		{"Exchange updates fee schedule", sentiment.Neutral},
		{"Network upgrade goes live", sentiment.Bullish},
		{"Lender halts withdrawals", sentiment.Bearish},
	} {
		src := "twitter"
		if i%2 == 0 {
			src = "own"
		}
		examples = append(examples, sentiment.Example{Title: h.title, Label: h.label, Source: src})
	}
	cfg := sentiment.DefaultTrainConfig()
	cfg.MinCount = 1
	cfg.Prior = [3]float64{}
	plain, _, err := sentiment.Train(examples, cfg)
	if err != nil {
		t.Fatal(err)
	}
	base, err := sentiment.Load(plain)
	if err != nil {
		t.Fatal(err)
	}
	mix := trainingMix(examples, cfg)
	probes := []string{"Exchange hacked", "Token rallies", "Conference notes", "Upgrade halts", "Nothing known here", "Lender lists fee"}
	for _, p := range candidatePriors[1:] {
		cfg.Prior = p.prior
		data, _, err := sentiment.Train(examples, cfg)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sentiment.Load(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range probes {
			if got, want := shift(base.Score(h, ""), mix, p.prior), m.Score(h, "").Label; got != want {
				t.Errorf("prior %s, %q: shift gives %s, the model trained with the prior %s", p.name, h, got, want)
			}
		}
	}
}

func TestFoldIsStable(t *testing.T) {
	counts := make([]int, folds)
	for i := range 1000 {
		title := "Headline number " + strconv.Itoa(i)
		f := fold(title)
		if f != fold("  "+strings.ToUpper(title)+" ") {
			t.Fatalf("fold(%q) depends on case or spaces", title)
		}
		counts[f]++
	}
	for f, c := range counts {
		if c < 150 || c > 250 {
			t.Errorf("fold %d holds %d of 1000 titles, want about 200", f, c)
		}
	}
}

func TestParseGrid(t *testing.T) {
	g, err := parseGrid("1e-4, 3e-4", "6", "0,3")
	if err != nil || len(g.l2) != 2 || g.l2[1] != 3e-4 || len(g.ownWeight) != 1 || g.ownWeight[0] != 6 ||
		len(g.datedWeight) != 2 || g.datedWeight[1] != 3 {
		t.Errorf("parseGrid = %+v, %v", g, err)
	}
	if _, err := parseGrid("x", "6", "3"); err == nil {
		t.Error("parseGrid accepted a bad -l2")
	}
	if _, err := parseGrid("1e-4", "6", "three"); err == nil {
		t.Error("parseGrid accepted a bad -dated-weight")
	}
	if code := run(context.Background(), []string{"-select", "-own-weight", "six"}, io.Discard, io.Discard); code != 2 {
		t.Errorf("run with a bad -own-weight = %d, want 2", code)
	}
}

func TestMonthFold(t *testing.T) {
	var got []int
	for m := time.January; m <= time.December; m++ {
		got = append(got, monthFold(time.Date(2020, m, 15, 0, 0, 0, 0, time.UTC)))
	}
	if want := []int{0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4}; !slices.Equal(got, want) {
		t.Errorf("monthFold by month = %v, want %v", got, want)
	}
}
