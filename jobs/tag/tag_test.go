package tag

import (
	"slices"
	"sync"
	"testing"
	"unicode/utf8"
)

// checkInvariants fails when tags break the documented shape: coins sorted,
// unique and tracked; topics non-empty, known, in TopicIDs order, and
// "other" only alone.
func checkInvariants(t *testing.T, in string, got Tags) {
	t.Helper()
	if !slices.IsSorted(got.Coins) || len(slices.Compact(slices.Clone(got.Coins))) != len(got.Coins) {
		t.Errorf("%q: Coins %v not sorted and unique", in, got.Coins)
	}
	for _, c := range got.Coins {
		if _, ok := LookupCoin(c); !ok {
			t.Errorf("%q: Coins has untracked %q", in, c)
		}
	}
	if len(got.Topics) == 0 {
		t.Fatalf("%q: no topics", in)
	}
	ids := TopicIDs()
	last := -1
	for _, tp := range got.Topics {
		k := slices.Index(ids, tp)
		if k < 0 || k <= last {
			t.Errorf("%q: Topics %v not known ids in TopicIDs order", in, got.Topics)
		}
		last = k
	}
	if slices.Contains(got.Topics, "other") && len(got.Topics) != 1 {
		t.Errorf("%q: Topics %v has other beside real topics", in, got.Topics)
	}
}

func TestTagInvariantsOnFixtures(t *testing.T) {
	for _, it := range loadAllFixtures(t) {
		checkInvariants(t, it.file+" "+it.guid, Tag(it.title, it.summary, it.categories))
	}
}

func TestTagEdgeInputs(t *testing.T) {
	inputs := []string{
		"", " ", "$", "$$BTC", "'s", "’s", "Bitcoin'", "Bitcoin’", "<", "<b", "<b>Bitcoin", "&", "&amp",
		"&#8217;s Bitcoin", "1,000.5", "4.", ".5", "\xff\xfe Bitcoin \xff", "ⓑⓘⓣⓒⓞⓘⓝ", "İstanbul BTC",
		"NEAR", "near", "$near", "BTC/", "/USDT", "SOLUSDT", "USDT", "X", "ether", "Ether ETF",
	}
	for _, in := range inputs {
		checkInvariants(t, in, Tag(in, in, []string{in}))
	}
}

// FuzzTag checks that no input panics or breaks the invariants. The seeds
// run with the normal tests; go test -fuzz=FuzzTag explores further.
func FuzzTag(f *testing.F) {
	for _, s := range []string{"Bitcoin's $ETH/USDT rally", "<p>NEAR Intents</p> &amp; SEC", "BITCOIN HITS NEW HIGH", "\xff"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, title, summary string) {
		got := Tag(title, summary, []string{title})
		checkInvariants(t, title, got)
		if !utf8.ValidString(title) {
			return
		}
		// Deterministic.
		if again := Tag(title, summary, []string{title}); !slices.Equal(got.Coins, again.Coins) ||
			!slices.Equal(got.Topics, again.Topics) || got.OffTopic != again.OffTopic {
			t.Errorf("Tag(%q, %q) not deterministic: %+v then %+v", title, summary, got, again)
		}
	})
}

// TestTagConcurrent runs Tag from several goroutines on shared tables; with
// -race it proves the tables are read-only after the first call.
func TestTagConcurrent(t *testing.T) {
	items := loadAllFixtures(t)
	want := make([]Tags, len(items))
	for i, it := range items {
		want[i] = Tag(it.title, it.summary, it.categories)
	}
	const workers = 4
	errs := make(chan string, workers*len(items))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, it := range items {
				got := Tag(it.title, it.summary, it.categories)
				if !slices.Equal(got.Coins, want[i].Coins) || !slices.Equal(got.Topics, want[i].Topics) || got.OffTopic != want[i].OffTopic {
					errs <- it.file + " " + it.guid
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent Tag differs from sequential for %s", e)
	}
}
